import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mayTell, receive, SEND_EVERY, SHOW_FOR, standing } from '../board-typing.js'

const priya = { user_id: 2, name: 'Priya Shah', summary: "Priya Shah is typing in the Harper family's situation" }
const grace = { user_id: 5, name: 'Grace Whitfield', summary: "Grace Whitfield is typing in the Harper family's analysis" }

test('a signal stands for a few seconds, then goes', () => {
  const signals = new Map()
  receive(signals, priya, 1000)
  assert.deepEqual(standing(signals, 1000 + SHOW_FOR - 1, 1).map(s => s.name), ['Priya Shah'])
  assert.deepEqual(standing(signals, 1000 + SHOW_FOR, 1), [])
})

test('a newer signal from the same person replaces the last, and keeps them shown', () => {
  const signals = new Map()
  receive(signals, priya, 0)
  receive(signals, { ...priya, summary: "Priya Shah is typing in the Harper family's decision" }, 5000)
  const shown = standing(signals, SHOW_FOR + 1, 1)
  assert.equal(shown.length, 1)
  assert.match(shown[0].summary, /decision/)
})

test('several people are shown in the order they started, never the viewer', () => {
  const signals = new Map()
  receive(signals, grace, 10)
  receive(signals, priya, 20)
  assert.deepEqual(standing(signals, 30, 1).map(s => s.name), ['Grace Whitfield', 'Priya Shah'])
  assert.deepEqual(standing(signals, 30, 2).map(s => s.name), ['Grace Whitfield'])
})

test('one form tells at most once every few seconds', () => {
  const sent = new Map()
  assert.equal(mayTell(sent, 'add-card-1', 10_000), true)
  assert.equal(mayTell(sent, 'add-card-1', 10_000 + SEND_EVERY - 1), false)
  assert.equal(mayTell(sent, 'decision-1', 10_000 + 1), true)
  assert.equal(mayTell(sent, 'add-card-1', 10_000 + SEND_EVERY), true)
})
