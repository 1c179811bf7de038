import { test } from 'node:test'
import assert from 'node:assert/strict'
import { markRoom } from '../board-view.js'

/** A page part with only what markRoom reads: elements by their data-* attribute, hidden, classes. */
function part (...attributes) {
  const elements = attributes.map(dataset => ({ dataset, hidden: false, classList: { toggle () {} } }))
  const camel = name => name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase())
  return {
    elements,
    querySelectorAll (selector) {
      const name = camel(/^\[data-([a-z-]+)\]$/.exec(selector)[1])
      return elements.filter(el => name in el.dataset)
    }
  }
}

const room = status => ({ status, current_item_id: 3, current_stage: 'situation' })

test("a family's forms drawn before the chair starts show when the session goes live, and its note goes", () => {
  const page = part({ shownWhile: 'live' }, { shownWhile: 'scheduled' })
  const [form, note] = page.elements
  markRoom(page, room('scheduled'))
  assert.deepEqual([form.hidden, note.hidden], [true, false])
  markRoom(page, room('live'))
  assert.deepEqual([form.hidden, note.hidden], [false, true])
  markRoom(page, room('closed'))
  assert.deepEqual([form.hidden, note.hidden], [true, true])
})

test("the chair's Move the room here shows on every stage but the room's", () => {
  const page = part({ roomAway: '3-situation' }, { roomAway: '3-analysis' }, { roomMark: '3-situation' })
  const [here, there, mark] = page.elements
  markRoom(page, room('live'))
  assert.deepEqual([here.hidden, there.hidden, mark.hidden], [true, false, false])
})

test('marks already right are not written again', () => {
  const page = part({ roomMark: '3-situation' }, { roomMark: '3-analysis' })
  const writes = []
  for (const el of page.elements) {
    let hidden = el.hidden
    Object.defineProperty(el, 'hidden', { get: () => hidden, set (value) { writes.push(value); hidden = value } })
  }
  markRoom(page, room('live'))
  assert.deepEqual(writes, [true])
  markRoom(page, room('live'))
  assert.deepEqual(writes, [true])
})
