import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cardCount, countWords, orphanNote, plan } from '../board-regions.js'

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

test('an action that changed list moves to the list it names now, if this page shows that list', () => {
  const accepted = { id: 'action-4', parent: 'actions-3-agreed', html: '<li></li>' }
  const inProposed = () => 'actions-3-proposed'
  assert.equal(plan(accepted, page('action-4', 'actions-3-agreed'), inProposed), 'move')
  assert.equal(plan(accepted, page('action-4', 'actions-3-agreed'), () => 'actions-3-agreed'), 'morph')
  assert.equal(plan(accepted, page('action-4'), inProposed), 'morph')
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


test('a count reads as the server writes it, with its words when it has them', () => {
  assert.equal(countWords(3), '3')
  assert.equal(countWords(1, 'proposed action', 'proposed actions'), '1 proposed action')
  assert.equal(countWords(0, 'proposed action', 'proposed actions'), '0 proposed actions')
})

test('a form kept after its part of the page went says why it went', () => {
  assert.match(orphanNote({ id: 'card-change-9', removed: true, closed: true }), /^The decision is signed off/)
  assert.match(orphanNote({ id: 'add-3-situation', removed: true, closed: 'session' }), /^The session is closed/)
  assert.match(orphanNote({ id: 'card-9', removed: true }), /^This is no longer on the board/)
  assert.match(orphanNote(), /^This is no longer on the board/)
})
