// What the board's connection indicator says. Pure, so it is tested with `node --test`.
//
// `waiting` is the number of changes kept in this browser that the server has not yet
// acknowledged. `late` is connected to a server that cannot hear the other servers for now
// (board:heartbeat, docs/protocol.md). While the socket is down the board is always trying to get back (and the
// browser going offline only makes it wait for the network), so both say "Reconnecting".

function changesWaiting (count) {
  return count === 1 ? '1 change waiting' : `${count} changes waiting`
}

export function connectionText (state, waiting = 0, detail = '') {
  switch (state) {
    case 'connected':
      return 'Connected'
    case 'late': // connected, but this server cannot hear the others: the board catches up by itself
      return waiting ? `Some changes may be late; catching up (${changesWaiting(waiting)})` : 'Some changes may be late; catching up'
    case 'reconnecting':
    case 'offline':
      return waiting ? `Reconnecting, ${changesWaiting(waiting)}` : 'Reconnecting'
    case 'signedout':
      return `Signed out – sign in again to carry on${waiting ? ` (${changesWaiting(waiting)})` : ''}`
    case 'refused':
      return `Not connected: ${detail}`
    default:
      return 'Connecting…'
  }
}

/** Beside a person on the board: how many connections (tabs, screens) they have, if more than one. */
export function connectionsText (count) {
  return count > 1 ? `${count} connections` : ''
}
