import { test } from 'node:test'
import assert from 'node:assert/strict'
import { applyChanges, cleanText, excerpt, parseTime, plural, roomPosition } from '../board-text.js'
import { describe, formFields } from '../board-words.js'

const stages = ['situation', 'perspectives', 'analysis', 'decision']

test('where the room is: its family and stage, or the first family before it has one', () => {
  const state = { room: { room: { current_item_id: null, current_stage: null } },
    item: { 7: { id: 7, position: 2 }, 3: { id: 3, position: 1 } } }
  assert.deepEqual(roomPosition(state, stages), { item: 3, stage: 'situation' })
  state.room.room = { current_item_id: 7, current_stage: 'analysis' }
  assert.deepEqual(roomPosition(state, stages), { item: 7, stage: 'analysis' })
})

test('changes set and remove entities, as the protocol says', () => {
  const state = { card: { 1: { id: 1 } } }
  applyChanges(state, [{ kind: 'card', id: '1', value: null }, { kind: 'card', id: '2', value: { id: 2 } },
    { kind: 'notes', id: '3', value: { text: 'x' } }])
  assert.deepEqual(state, { card: { 2: { id: 2 } }, notes: { 3: { text: 'x' } } })
})

test('wording: excerpts, plurals, and the notes as the server keeps them', () => {
  assert.equal(excerpt('a  b\nc'), 'a b c')
  assert.equal(excerpt('x'.repeat(70)).length, 60)
  assert.equal(plural(1, 'card', 'cards'), '1 card')
  assert.equal(plural(2, 'card', 'cards'), '2 cards')
  assert.equal(cleanText('\n  notes \r\n\n'), 'notes')
  assert.equal(parseTime('2026-06-30T10:00:00.123456+00:00'), Date.UTC(2026, 5, 30, 10, 0, 0, 123))
})

test("a form's fields are sent without the page's own, and described in the person's words", () => {
  const fields = formFields([['csrf_token', 't'], ['client_change_id', 'c'], ['_form', 'f'], ['text', 'Hello'], ['item_id', '3']])
  assert.deepEqual(fields, { text: 'Hello', item_id: '3' })
  assert.equal(describe('add_card', fields), 'Add a card: “Hello”')
  assert.equal(describe('sign_off', {}), 'Sign off the decision')
})
