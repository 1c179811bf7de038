import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Sequence } from '../board-sequence.js'

const event = seq => ({ seq })

test('events in order are applied as they come', () => {
  const sequence = new Sequence(4)
  assert.deepEqual(sequence.take(event(5)), { ready: [event(5)], gap: false })
  assert.deepEqual(sequence.take(event(6)), { ready: [event(6)], gap: false })
  assert.equal(sequence.last, 6)
})

test('an event that comes early waits for the one it follows, and the gap asks for a catch-up', () => {
  const sequence = new Sequence(4)
  assert.deepEqual(sequence.take(event(6)), { ready: [], gap: true })
  assert.deepEqual(sequence.take(event(5)), { ready: [event(5), event(6)], gap: false })
})

test('an event already applied (the ack and the broadcast of one change) is applied once', () => {
  const sequence = new Sequence(4)
  sequence.take(event(5))
  assert.deepEqual(sequence.take(event(5)), { ready: [], gap: false })
})

test('a snapshot moves the sequence on and drops what it already holds', () => {
  const sequence = new Sequence(4)
  sequence.hold(event(6))
  sequence.hold(event(9))
  sequence.reset(8)
  assert.deepEqual(sequence.drain(), { ready: [event(9)], gap: false })
})

test('a heartbeat past the last applied seq says the board is behind; at it or before, not', () => {
  const sequence = new Sequence(4)
  assert.equal(sequence.behind(5), true)
  assert.equal(sequence.behind(4), false)
  assert.equal(sequence.behind(3), false)
  assert.equal(sequence.behind(undefined), false)
  sequence.take(event(5))
  assert.equal(sequence.behind(5), false)
})
