import { test } from 'node:test'
import assert from 'node:assert/strict'
import { allowed } from '../board-viewer.js'

const manager = { user_id: 1, runs_room: true, permissions: ['record_decision', 'contribute', 'edit_any_card'] }
const social = { user_id: 2, runs_room: false, permissions: ['contribute', 'propose_action'] }

test('a control is kept for a viewer with every permission it needs', () => {
  assert.equal(allowed('record_decision', null, manager), true)
  assert.equal(allowed('record_decision', null, social), false)
  assert.equal(allowed('', null, social), true)
})

test('"!permission" keeps what is for those without it: the proposal form is not for the decision maker', () => {
  assert.equal(allowed('propose_action !record_decision', null, social), true)
  assert.equal(allowed('propose_action !record_decision', null, manager), false)
})

test('the chair controls go by whether the viewer runs the room', () => {
  assert.equal(allowed('runs_room', null, manager), true)
  assert.equal(allowed('runs_room', null, social), false)
  assert.equal(allowed('!runs_room', null, social), true)
})

test("a card's author may change it; others only with the permission to change any card", () => {
  assert.equal(allowed('edit_any_card', '2', social), true)
  assert.equal(allowed('edit_any_card', '7', social), false)
  assert.equal(allowed('edit_any_card', '7', manager), true)
})
