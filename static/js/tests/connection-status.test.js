import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connectionText, connectionsText } from '../connection-status.js'

test('while the socket is down it says it is reconnecting, and how many changes wait', () => {
  assert.equal(connectionText('reconnecting', 0), 'Reconnecting')
  assert.equal(connectionText('reconnecting', 1), 'Reconnecting, 1 change waiting')
  assert.equal(connectionText('reconnecting', 3), 'Reconnecting, 3 changes waiting')
})

test('a browser that knows it is offline says the same: the board reconnects when it can', () => {
  assert.equal(connectionText('offline', 0), 'Reconnecting')
  assert.equal(connectionText('offline', 2), 'Reconnecting, 2 changes waiting')
})

test('connected, connecting, signed out and refused', () => {
  assert.equal(connectionText('connected', 0), 'Connected')
  assert.equal(connectionText('connecting', 0), 'Connecting…')
  assert.equal(connectionText('signedout', 0), 'Signed out – sign in again to carry on')
  assert.equal(connectionText('signedout', 1), 'Signed out – sign in again to carry on (1 change waiting)')
  assert.equal(connectionText('refused', 0, 'You sent apologies for this session.'),
    'Not connected: You sent apologies for this session.')
})

test('connected to a server that cannot hear the others: the board says changes may be late', () => {
  assert.equal(connectionText('late', 0), 'Some changes may be late; catching up')
  assert.equal(connectionText('late', 1), 'Some changes may be late; catching up (1 change waiting)')
})

test('a person with several connections shows how many; one connection says nothing', () => {
  assert.equal(connectionsText(1), '')
  assert.equal(connectionsText(2), '2 connections')
})
