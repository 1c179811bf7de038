import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cardCount, plan } from '../board-regions.js'

const page = (...ids) => id => ids.includes(id)

test('a region on the page is morphed; one it does not show is left alone', () => {
  assert.equal(plan({ id: 'board-room', html: '<section></section>' }, page('board-room')), 'morph')
  assert.equal(plan({ id: 'board-room', html: '<section></section>' }, page('present-body')), 'skip')
})

test('a new card goes into the list it names, if this page shows that list', () => {
  const card = { id: 'card-9', parent: 'cards-3-situation', html: '<li></li>' }
  assert.equal(plan(card, page('cards-3-situation')), 'insert')
  assert.equal(plan(card, page('card-9', 'cards-3-situation')), 'morph')
  assert.equal(plan(card, page('present-body')), 'skip')
})

test('a removed region goes if it is there', () => {
  assert.equal(plan({ id: 'card-9', removed: true }, page('card-9')), 'remove')
  assert.equal(plan({ id: 'card-9', removed: true }, page()), 'skip')
})

test('a stage tab says how many cards the stage holds, as the server writes it', () => {
  assert.equal(cardCount(0), '0 cards')
  assert.equal(cardCount(1), '1 card')
  assert.equal(cardCount(2), '2 cards')
})

