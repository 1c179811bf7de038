// The words for each kind of change: what a waiting change is called, and what is said once it is saved.
import { excerpt } from './board-text.js'

export const LABELS = {
  start_session: 'Start the session',
  move: 'Move the room',
  close_session: 'Close the session',
  add_card: 'Add a card',
  edit_card: 'Change a card',
  remove_card: 'Remove a card',
  save_notes: 'Notes',
  review_action: 'Mark an action from last time',
  save_decision: 'Save the decision',
  sign_off: 'Sign off the decision',
  amend_decision: 'Amend the decision',
  add_after_sign_off: 'Add an entry after sign-off',
  add_action: 'Add an action',
  propose_action: 'Propose an action',
  accept_action: 'Accept a proposed action',
  drop_action: 'Drop a proposed action'
}
export const DONE = {
  start_session: 'The session has started.',
  move: 'The room has moved on.',
  close_session: 'The session is closed.',
  add_card: 'Your card has been added.',
  edit_card: 'The card has been changed.',
  remove_card: 'The card has been removed.',
  review_action: 'The action has been marked.',
  save_decision: 'The decision has been saved.',
  sign_off: 'The decision is signed off.',
  amend_decision: 'The amendment has been recorded.',
  add_after_sign_off: 'The entry has been added after sign-off.',
  add_action: 'The action has been added.',
  propose_action: 'Your action has been proposed to the team manager.',
  accept_action: 'The action has been accepted.',
  drop_action: 'The proposed action has been dropped.'
}

/** A form's fields as the service takes them (less the page's own: the token, ids, "_" fields). */
export function formFields (entries) {
  const result = {}
  for (const [name, value] of entries) {
    if (name === 'csrf_token' || name === 'client_change_id' || name.startsWith('_')) continue
    result[name] = typeof value === 'string' ? value : ''
  }
  return result
}

export function describe (type, data) {
  const label = LABELS[type] || type
  const text = data.text || data.decision_text
  return text ? `${label}: “${excerpt(text)}”` : label
}
