import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isWriting } from '../board-busy.js'

// Just enough of a page for the rules: a section holding fields, one of which may have the keyboard.
function section (fields, focused = null) {
  const doc = { activeElement: focused }
  const el = {
    nodeType: 1,
    ownerDocument: doc,
    matches: () => false,
    contains: other => fields.includes(other),
    querySelectorAll: () => fields
  }
  fields.forEach(field => { field.ownerDocument = doc })
  return el
}
const box = (value, defaultValue = value) => ({ nodeType: 1, tagName: 'TEXTAREA', type: 'textarea', value, defaultValue })

test('an empty box the cursor was left in, after adding a card, is not writing', () => {
  const add = box('')
  assert.equal(isWriting(section([add], add)), false)
})

test('words in the box with the keyboard in it are writing, saved or not', () => {
  const edit = box('Jo has been to every group.')
  assert.equal(isWriting(section([edit], edit)), true)
  const onlySpaces = box('   ')
  assert.equal(isWriting(section([onlySpaces], onlySpaces)), false)
})

test('words not saved are writing, wherever the keyboard is', () => {
  const draft = box('Jo has been', '')
  assert.equal(isWriting(section([draft], null)), true)
  assert.equal(isWriting(section([box('Saved text')], null)), false)
})
