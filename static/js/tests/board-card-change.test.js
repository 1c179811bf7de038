import { test } from 'node:test'
import assert from 'node:assert/strict'
import { adultChoices, cardChangeMarkup } from '../board-card-change.js'

test("the template's ids become the card's", () => {
  const html = '<form id="edit-card-__CARD__"><input name="_item" value="__ITEM__"><input name="card_id" value="__CARD__"></form>'
  assert.equal(cardChangeMarkup(html, { id: 41, item_id: 3 }),
    '<form id="edit-card-41"><input name="_item" value="3"><input name="card_id" value="41"></form>')
})

test('only numbers go into the markup, whatever the card holds', () => {
  assert.equal(cardChangeMarkup('x-__CARD__', { id: '7"><script>', item_id: 3 }), 'x-NaN')
})

test('the adults a perspective may be about are listed as the server lists them', () => {
  assert.deepEqual(adultChoices([{ id: 5, first_name: 'Mia', relationship: 'Mother' }]), [['5', 'Mia (Mother)']])
  assert.deepEqual(adultChoices(undefined), [])
})
