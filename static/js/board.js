// The live board in the browser: progressive enhancement of a page that works without it.
//
// Without this script every control is an ordinary form post. With it, the board joins the
// session over Socket.IO and applies each "board:event" in sequence order (board-sequence.js).
// Every event carries the regions of the page it touched, rendered once by the server for
// everyone; they are readied for this viewer (board-viewer.js, board-view.js) and morphed in
// (board-regions.js, board-draw.js). The page is read again only after a catch-up too long to replay.
// Forms go through a queue that outlives the page (board-queue.js); notes save as they are
// typed (board-notes.js); the indicator, feed, timer and presence are in board-status.js; who is
// typing where in board-typing.js.
//
// Everything the board knows lives in one object, S, which each module is installed on.
import { applyChanges, parseTime, roomPosition } from './board-text.js'
import { applyView, installView } from './board-view.js'
import { installCardChange } from './board-card-change.js'
import { installDrawing } from './board-draw.js'
import { installForms } from './board-forms.js'
import { installNotes } from './board-notes.js'
import { installQueue } from './board-queue.js'
import { installStatus } from './board-status.js'
import { Sequence } from './board-sequence.js'
import { installTyping } from './board-typing.js'
import { installPrompts } from './board-prompts.js'

const ACK_TIMEOUT = 10000
const RETRY_AFTER = 3000
// A heartbeat can overtake the event it counts (both leave the server at about the same time):
// give the event this long to arrive before asking for it.
const BEHIND_GRACE = 1500

const dataElement = document.getElementById('board-data')
if (dataElement && document.getElementById('board') && typeof window.io === 'function') {
  start(JSON.parse(dataElement.textContent))
}

function start (boot) {
  const S = {
    boot,
    sessionId: boot.session_id,
    mode: boot.mode,
    stages: boot.context.vocabulary.stages.map(choice => choice[0]),
    clockOffset: parseTime(boot.server_now) - Date.now(),
    csrf: document.querySelector('#board input[name="csrf_token"]')?.value || '',
    state: boot.state, // the board's data: state[kind][id] = value
    sequence: new Sequence(boot.last_seq), // events in order, and what arrived early
    joined: false,
    syncing: false,
    catchingUp: false, // applying what was missed while away: drawn and summed up once
    connection: { value: 'connecting', detail: '' },
    view: { ...boot.view, following: boot.mode === 'present' ? true : boot.view.following },
    queue: { entries: [], flushing: false, mine: new Set(), storageKey: `supervision:board-queue:${boot.session_id}:${boot.you.user_id}` },
    problems: [],
    notes: { byItem: {}, timers: {} },
    overrunTold: new Set(),
    socket: null
  }
  installStatus(S)
  installView(S)
  installForms(S)
  installNotes(S)
  installQueue(S)
  installDrawing(S)
  installTyping(S)
  installCardChange(S)
  installPrompts(boot.plain_language)
  const board = () => document.getElementById('board')

  // ------------------------------------------------------------ events, in sequence order

  S.receive = event => {
    const { ready, gap } = S.sequence.take(event)
    ready.forEach(apply)
    if (gap) requestSync()
  }

  /** The event is a change this browser sent. */
  const madeHere = event => Boolean(event.client_change_id) && S.queue.mine.has(event.client_change_id)

  function apply (event) {
    let room = false
    const notesChanged = []
    for (const change of event.changes) {
      if (change.kind === 'room' || change.kind === 'item') room = true
      if (change.kind === 'notes') notesChanged.push(change)
    }
    applyChanges(S.state, event.changes)
    const ours = madeHere(event)
    if (event.actor && event.type !== 'notes.saved') S.typingDone(event.actor.user_id)
    notesChanged.forEach(change => S.notesArrived(change.id, change.value, ours))
    if (!S.catchingUp) {
      if (event.regions) S.draw(event.regions, !ours)
      else if (event.type !== 'notes.saved') S.reread()
    }
    let note = null
    if (room) {
      note = S.roomMoved()
      S.renderTimer()
    }
    // One polite announcement per change someone else made, in the words of its summary. Notes are
    // saved as business support types, so they are never read out; nor is a backlog caught up on
    // after a reconnection, which is summed up in one sentence instead.
    if (!ours && event.type !== 'notes.saved' && !S.catchingUp) S.announce(note ? `${event.summary}. ${note}` : event.summary)
    else if (note) S.announce(note)
    if (!ours) S.checkStale()
  }

  function replaceState (snapshot) {
    S.state = snapshot.state
    S.sequence.reset(snapshot.last_seq)
    for (const [id, value] of Object.entries(S.state.notes)) S.notesArrived(id, value, false)
    const note = S.roomMoved()
    if (note) S.announce(`The room has moved on. ${note}`)
    S.renderTimer()
    S.reread()
  }

  /** What a join or sync answered: a snapshot, or the events missed and the regions they named. */
  function absorb (answer, buffered = []) {
    if (answer.snapshot) replaceState(answer.snapshot)
    const missed = (answer.events || []).filter(event => event.seq > S.sequence.last)
    S.catchingUp = true
    try {
      missed.sort((a, b) => a.seq - b.seq).forEach(S.receive)
    } finally {
      S.catchingUp = false
    }
    if (answer.regions) S.draw(answer.regions, false)
    else if (missed.length && !answer.snapshot) {
      // The whole board changed meanwhile (its set-up). If one of the changes was this person's own,
      // their keyboard goes to the control that took the place of the one they used.
      S.reread({ keepPlace: missed.some(madeHere) })
    }
    buffered.sort((a, b) => a.seq - b.seq).forEach(S.receive)
    const { ready, gap } = S.sequence.drain()
    ready.forEach(apply)
    if (gap) requestSync()
    return missed.length
  }

  function requestSync () {
    if (S.syncing || !S.joined) return
    S.syncing = true
    S.socket.timeout(ACK_TIMEOUT).emit('sync', { session_id: S.sessionId, since: S.sequence.last }, (error, answer) => {
      S.syncing = false
      if (!error && answer && answer.ok) absorb(answer)
    })
  }

  // ------------------------------------------------------------ the socket

  const socket = S.socket = window.io({ transports: ['websocket', 'polling'] })
  const early = [] // events that came before the join answer, which may already hold them

  function join () {
    socket.timeout(ACK_TIMEOUT).emit('join', { session_id: S.sessionId, since: S.sequence.last }, (error, answer) => {
      if (error) {
        setTimeout(() => { if (socket.connected && !S.joined) join() }, RETRY_AFTER)
        return
      }
      if (!answer.ok) {
        if (answer.error.code === 'unauthenticated') S.setConnection('signedout')
        else if (answer.error.code === 'rate_limited') setTimeout(join, 1000 * answer.error.retry_after)
        else S.setConnection('refused', answer.error.message)
        return
      }
      S.joined = true
      const missed = absorb(answer, early.splice(0))
      if (missed > 1) S.announce(`Back online: ${missed} changes made meanwhile are now on your board.`)
      S.setConnection('connected')
      S.flush()
    })
  }

  socket.on('connect', join)
  let accessEnded = false
  socket.on('disconnect', reason => {
    S.joined = false
    if (accessEnded) return
    S.releaseWaitingForms()
    S.setConnection(navigator.onLine ? 'reconnecting' : 'offline')
    if (reason === 'io server disconnect') socket.connect()
  })
  socket.on('connect_error', error => {
    S.joined = false
    if (error && error.data && error.data.code === 'unauthenticated') {
      S.setConnection('signedout')
      return
    }
    S.setConnection(navigator.onLine ? 'reconnecting' : 'offline')
    if (!socket.active) setTimeout(() => socket.connect(), RETRY_AFTER)
  })
  socket.io.on('reconnect_attempt', attempt => {
    if (attempt >= 3 && S.connection.value === 'reconnecting') S.setConnection('offline')
  })
  socket.on('board:event', event => {
    if (event.session_id !== S.sessionId) return
    if (S.joined) S.receive(event)
    else early.push(event) // sorted out after joining
  })
  // The server took this connection off the board (signed out elsewhere, off the attendance list).
  socket.on('board:access_ended', message => {
    if (message.session_id !== S.sessionId) return
    S.joined = false
    accessEnded = true
    socket.disconnect()
    if (['signed_out', 'signed_out_everywhere', 'idle', 'deactivated', 'password_set'].includes(message.code)) {
      S.setConnection('signedout')
    } else {
      S.setConnection('refused', message.message)
    }
  })
  // Every few seconds the server says the board's latest seq, and whether it hears the other servers.
  // Behind it (a change made on another server whose message was lost), catch up; while the server
  // cannot hear the others, say so until it can.
  let behindCheck = null
  socket.on('board:heartbeat', beat => {
    if (beat.session_id !== S.sessionId || !S.joined) return
    if (S.sequence.behind(beat.last_seq) && !behindCheck) {
      behindCheck = setTimeout(() => {
        behindCheck = null
        if (S.sequence.behind(beat.last_seq)) requestSync()
      }, BEHIND_GRACE)
    }
    const state = beat.late ? 'late' : 'connected'
    if (['connected', 'late'].includes(S.connection.value) && S.connection.value !== state) S.setConnection(state)
  })
  socket.on('board:typing', signal => S.typingArrived(signal))
  socket.on('board:presence', message => {
    if (message.session_id === S.sessionId) S.renderPresence(message.people)
  })
  // The browser knows it has lost the network before the socket does (an open WebSocket can look
  // alive for a minute or more with nothing getting through). Stop using it at once: changes made
  // from now on wait in the queue, and the indicator says so. Back online, connect again.
  window.addEventListener('offline', () => {
    if (socket.connected) socket.disconnect()
    else S.joined = false
    S.setConnection('offline')
  })
  window.addEventListener('online', () => {
    if (!socket.connected) socket.connect()
  })

  // ------------------------------------------------------------ begin

  applyView(board(), S.view)
  const activity = document.getElementById('board-activity')
  if (activity) activity.hidden = false
  S.startNotes()
  const item = S.state.item[String(roomPosition(S.state, S.stages).item)]
  if (item && S.state.room.room.status === 'live' && item.started_at &&
      (Date.now() + S.clockOffset - parseTime(item.started_at)) / 60000 > item.minutes_allowed) {
    S.overrunTold.add(item.id) // already over when the page opened: shown, not announced
  }
  S.renderTimer()
  window.setInterval(S.renderTimer, 5000)
  S.renderConnection()
}
