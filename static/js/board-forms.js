// The board's forms while the script sends them: waiting, cleared, errors beside the fields,
// and a conflict shown beside what the person wrote when someone else changed the same thing.
import { CLEARED, h } from './board-dom.js'
import { isDirty, markClean } from './board-busy.js'
import { orphanNote } from './board-regions.js'

export const VERSIONED = ['edit_card', 'save_decision', 'amend_decision']

export function setWaiting (form, on) {
  if (on) form.dataset.waiting = 'true'
  else delete form.dataset.waiting
  form.setAttribute('aria-busy', on ? 'true' : 'false')
  // aria-disabled, not disabled: a disabled button loses the keyboard focus to the page. The
  // submit handler ignores a form that is waiting, so the change is not sent twice.
  form.querySelectorAll('button[type="submit"]').forEach(button => {
    if (on) button.setAttribute('aria-disabled', 'true')
    else button.removeAttribute('aria-disabled')
  })
}

export function clearForm (form) {
  for (const field of form.querySelectorAll('textarea, input:not([type="hidden"]), select')) {
    if (field.tagName === 'SELECT') {
      field.selectedIndex = 0
      for (const option of field.options) option.defaultSelected = false
    } else if (field.type === 'checkbox' || field.type === 'radio') {
      field.checked = false
      field.defaultChecked = false
    } else {
      field.value = ''
      field.defaultValue = ''
    }
  }
  // Cleared without an input event: what reads the fields as they change hears of it (board-prompts.js).
  form.dispatchEvent(new window.CustomEvent(CLEARED, { bubbles: true }))
}

export function refill (form, data) {
  for (const [name, value] of Object.entries(data)) {
    const field = form.elements[name]
    if (field && field.type !== 'hidden' && !field.value) field.value = value
  }
}

export function clearMessages (form) {
  form.querySelectorAll('[data-js-message]').forEach(el => el.remove())
  form.querySelectorAll('[data-js-error]').forEach(el => {
    el.classList.remove('govuk-form-group--error', 'govuk-textarea--error', 'govuk-input--error', 'govuk-select--error')
    el.removeAttribute('data-js-error')
    if (el.dataset.describedBefore !== undefined) {
      if (el.dataset.describedBefore) el.setAttribute('aria-describedby', el.dataset.describedBefore)
      else el.removeAttribute('aria-describedby')
      delete el.dataset.describedBefore
    }
  })
}

export function insertTop (form, el) {
  const first = Array.from(form.children).find(child => !(child.tagName === 'INPUT' && child.type === 'hidden'))
  form.insertBefore(el, first || null)
}

function firstField (form, name) {
  const field = form.elements[name]
  if (!field) return null
  return field instanceof window.RadioNodeList ? field[0] : field
}

/** Mark a form the person is writing in, kept though its part of the page went, saying why (`note`). */
export function markOrphan (node, note = orphanNote()) {
  if (node.querySelector('[data-orphan]')) return
  node.prepend(h('p', { class: 'govuk-body-s app-orphan', 'data-morph': 'skip', 'data-orphan': true, text: note }))
}

export function installForms (S) {
  S.showError = (form, error, yours) => {
    clearMessages(form)
    if (error.code === 'conflict' && error.current) {
      S.showConflict(form, error.current, yours)
      return
    }
    const box = h('div', { class: 'app-form-error', role: 'alert', tabindex: '-1', 'data-morph': 'skip', 'data-js-message': true },
      h('p', { class: 'govuk-error-message' }, h('span', { class: 'govuk-visually-hidden', text: 'Error: ' }), error.message))
    insertTop(form, box)
    let focusTarget = null
    for (const [name, message] of Object.entries(error.fields || {})) {
      const field = firstField(form, name)
      if (!field || field.type === 'hidden') continue
      const group = field.closest('.govuk-form-group')
      const id = `${form.id}-${name}-js-error`
      const note = h('p', { class: 'govuk-error-message', id, 'data-morph': 'skip', 'data-js-message': true },
        h('span', { class: 'govuk-visually-hidden', text: 'Error: ' }), message)
      const anchor = field.closest('.govuk-radios') || field
      anchor.parentNode.insertBefore(note, anchor)
      if (group) {
        group.classList.add('govuk-form-group--error')
        group.setAttribute('data-js-error', '')
      }
      field.dataset.describedBefore = field.getAttribute('aria-describedby') || ''
      field.setAttribute('aria-describedby', `${field.dataset.describedBefore} ${id}`.trim())
      field.setAttribute('data-js-error', '')
      const kind = field.tagName === 'TEXTAREA' ? 'govuk-textarea--error' : field.tagName === 'SELECT' ? 'govuk-select--error' : 'govuk-input--error'
      if (field.type !== 'radio') field.classList.add(kind)
      focusTarget = focusTarget || field
    }
    ;(focusTarget || box).focus()
  }

  /** Show what the person wrote beside what is there now; saving again is then their choice. */
  S.showConflict = (form, current, yours, focus = true) => {
    form.querySelectorAll('.app-conflict').forEach(el => el.remove())
    const type = form.dataset.change
    const fields = type === 'save_decision'
      ? [['decision_text', 'Decision'], ['rationale', 'Rationale']]
      : [['text', type === 'save_notes' ? 'Notes' : 'Text']]
    const theirsOf = name => (type === 'amend_decision' ? current[form.elements.field.value] : current[name]) || ''
    const box = h('div', { class: 'app-conflict', tabindex: '-1', role: 'alert', 'data-morph': 'skip', 'data-js-message': true },
      h('h4', { class: 'govuk-heading-s', text: 'Someone else changed this while you were writing' }),
      h('p', { class: 'govuk-body-s', text: 'Your version has not been saved. Compare the two. To keep yours, save again; to keep theirs, choose “Use their version”.' }))
    for (const [name, label] of fields) {
      const field = form.elements[name]
      const mine = field ? field.value : (yours && yours[name]) || ''
      const suffix = fields.length > 1 ? `: ${label.toLowerCase()}` : ''
      box.append(h('div', { class: 'app-compare' },
        h('div', { class: 'app-compare__side' },
          h('h5', { class: 'govuk-heading-s app-compare__title', text: `Your version${suffix}` }),
          h('p', { class: 'govuk-body app-pre-line app-compare__text', text: mine })),
        h('div', { class: 'app-compare__side' },
          h('h5', { class: 'govuk-heading-s app-compare__title', text: `What is there now${suffix}` }),
          h('p', { class: 'govuk-body app-pre-line app-compare__text', text: theirsOf(name) }))))
    }
    const useTheirs = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary app-button--compact', text: 'Use their version' })
    useTheirs.addEventListener('click', () => {
      for (const [name] of fields) {
        const field = form.elements[name]
        if (field) field.value = theirsOf(name)
      }
      if (type === 'save_notes') S.notesUseTheirs(form.elements.item_id.value, current)
      if (form.elements.version) form.elements.version.value = current.version
      markClean(form)
      box.remove()
    })
    const actions = h('div', { class: 'govuk-button-group' })
    if (type === 'save_notes') {
      const keepMine = h('button', { type: 'button', class: 'govuk-button app-button--compact', text: 'Keep my version' })
      keepMine.addEventListener('click', () => {
        box.remove()
        S.notesKeepMine(form.elements.item_id.value, current)
      })
      actions.append(keepMine)
    }
    actions.append(useTheirs)
    box.append(actions)
    if (form.elements.version && type !== 'save_notes') form.elements.version.value = current.version
    insertTop(form, box)
    // Refused on saving: take them to it. Noticed while they type: say so, but leave the cursor be.
    if (focus) box.focus()
  }

  /** After a change by someone else: a form the person is still editing may now be out of date. */
  S.checkStale = () => {
    document.querySelectorAll('#board form[data-change]').forEach(form => {
      const type = form.dataset.change
      if (!VERSIONED.includes(type) || form.dataset.waiting || !isDirty(form) || !form.elements.version) return
      const version = Number(form.elements.version.value)
      let current
      if (type === 'edit_card') {
        current = S.state.card[form.elements.card_id.value]
        if (!current) {
          markOrphan(form.closest('li') || form)
          return
        }
      } else {
        current = S.state.decision[form.elements.item_id.value]
      }
      if (current && current.version > version) S.showConflict(form, current, null, false)
    })
  }
}
