// The live board in the browser: progressive enhancement of a page that works without it.
//
// Without this script every control is an ordinary form post. With it:
// - the board joins the session over Socket.IO and applies each "board:event" in sequence order,
//   buffering any that arrive early and asking for what it missed ("sync") when there is a gap;
// - after a change it re-reads the page and patches in only what changed (board-morph.js), never
//   replacing a field the person is typing in or a form they have not saved;
// - forms are sent as "change" messages, each with an id made here, through a queue kept in
//   localStorage: while offline changes wait there, and are sent in order on reconnect (the
//   server applies a resent change once);
// - notes save as business support types; the screen follows the chair unless the person chose
//   to look elsewhere; the timer, presence and connection indicator run live.
import { isBusy, isDirty, markClean, patch } from './board-morph.js'
import { connectionText, connectionsText } from './connection-status.js'

const ACK_TIMEOUT = 10000
const RETRY_AFTER = 3000
const NOTES_DELAY = 800
const REFRESH_DELAY = 100
const ACTIVITY_LIMIT = 8

const LABELS = {
  start_session: 'Start the session',
  move: 'Move the room',
  close_session: 'Close the session',
  add_card: 'Add a card',
  edit_card: 'Change a card',
  remove_card: 'Remove a card',
  save_notes: 'Notes',
  review_action: 'Mark an action from last time',
  save_decision: 'Save the decision',
  sign_off: 'Sign off the decision',
  amend_decision: 'Amend the decision',
  add_after_sign_off: 'Add an entry after sign-off',
  add_action: 'Add an action',
  propose_action: 'Propose an action',
  accept_action: 'Accept a proposed action',
  drop_action: 'Drop a proposed action'
}
const DONE = {
  start_session: 'The session has started.',
  move: 'The room has moved on.',
  close_session: 'The session is closed.',
  add_card: 'Your card has been added.',
  edit_card: 'The card has been changed.',
  remove_card: 'The card has been removed.',
  review_action: 'The action has been marked.',
  save_decision: 'The decision has been saved.',
  sign_off: 'The decision is signed off.',
  amend_decision: 'The amendment has been recorded.',
  add_after_sign_off: 'The entry has been added after sign-off.',
  add_action: 'The action has been added.',
  propose_action: 'Your action has been proposed to the team manager.',
  accept_action: 'The action has been accepted.',
  drop_action: 'The proposed action has been dropped.'
}
const VERSIONED = ['edit_card', 'save_decision', 'amend_decision']

const dataElement = document.getElementById('board-data')
if (dataElement && document.getElementById('board') && typeof window.io === 'function') {
  start(JSON.parse(dataElement.textContent))
}

// ---------------------------------------------------------------- small helpers

function h (tag, attributes = {}, ...children) {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue
    if (name === 'text') el.textContent = value
    else el.setAttribute(name, value === true ? '' : value)
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) el.append(child)
  }
  return el
}

function newId () {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID()
  const bytes = new Uint8Array(16)
  window.crypto.getRandomValues(bytes)
  bytes[6] = (bytes[6] & 0x0f) | 0x40
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function parseTime (iso) {
  // Python writes microseconds; keep milliseconds so every browser reads it.
  return Date.parse(String(iso).replace(/(\.\d{3})\d+/, '$1'))
}

function clockTime (ms) {
  const date = new Date(ms)
  const hours = date.getHours()
  return `${hours % 12 || 12}:${String(date.getMinutes()).padStart(2, '0')}${hours < 12 ? 'am' : 'pm'}`
}

function excerpt (text, length = 60) {
  const flat = String(text || '').replace(/\s+/g, ' ').trim()
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat
}

/** The notes as the server stores them (it trims blank lines and spaces at either end). */
function cleanText (text) {
  return String(text || '').replace(/\r\n?/g, '\n').replace(/^[\n ]+|[\n ]+$/g, '')
}

function plural (count, one, many) {
  return count === 1 ? `1 ${one}` : `${count} ${many}`
}

// ---------------------------------------------------------------- the board

function start (boot) {
  const sessionId = boot.session_id
  const me = boot.you.user_id
  const mode = boot.mode
  const stages = boot.context.vocabulary.stages.map(choice => choice[0])
  const families = boot.context.families
  const storageKey = `supervision:board-queue:${sessionId}:${me}`
  const clockOffset = parseTime(boot.server_now) - Date.now()

  let state = boot.state
  let lastSeq = boot.last_seq
  const early = new Map() // events that arrived before the ones they follow
  let joined = false
  let syncing = false
  let connection = 'connecting'
  let connectionDetail = ''
  let view = { ...boot.view, following: mode === 'present' ? true : boot.view.following }
  let queue = loadQueue()
  let flushing = false
  const mine = new Set(queue.map(entry => entry.id)) // ids of changes sent from this browser
  const problems = []
  const notes = {} // item id -> { base: version the text in the box builds on, saved: text on the server }
  const notesTimers = {}
  const overrunTold = new Set()
  let refreshTimer = null
  let refreshing = false
  let refreshAgain = false
  // Cards drawn from events while a page read was on its way: that page may predate them.
  const placedMeanwhile = new Map()
  let catchingUp = false // applying what was missed while away: summed up, not read out one by one

  const board = () => document.getElementById('board')

  // ------------------------------------------------------------ where the person is looking

  function roomPosition () {
    const room = state.room.room
    const ids = Object.values(state.item).sort((a, b) => a.position - b.position).map(item => item.id)
    const item = ids.includes(room.current_item_id) ? room.current_item_id : (ids.length ? ids[0] : null)
    return { item, stage: stages.includes(room.current_stage) ? room.current_stage : stages[0] }
  }

  function setCurrent (el, on) {
    if (on) el.setAttribute('aria-current', 'true')
    else el.removeAttribute('aria-current')
  }

  /** Show the family and stage in `view`, on the live page or on a fresh copy of it. */
  function applyView (root) {
    root.querySelectorAll('[data-item-panel]').forEach(el => { el.hidden = Number(el.dataset.itemPanel) !== view.item })
    root.querySelectorAll('[data-notes-panel]').forEach(el => { el.hidden = Number(el.dataset.notesPanel) !== view.item })
    root.querySelectorAll('[data-stage-section]').forEach(el => { el.hidden = el.dataset.stageSection !== view.stage })
    root.querySelectorAll('[data-stage-link]').forEach(el => setCurrent(el, el.dataset.stageLink === view.stage))
    root.querySelectorAll('[data-item-link]').forEach(el => setCurrent(el, Number(el.dataset.itemLink) === view.item))
    root.querySelectorAll('[data-follow]').forEach(el => { el.hidden = view.following })
    // Fields for the page without the script; the script makes its own ids.
    root.querySelectorAll('input[name="client_change_id"], input[name="_follow"]').forEach(el => el.remove())
  }

  function setView (item, stage, following) {
    view = { item, stage, following }
    const root = board()
    applyView(root)
    if (mode === 'board') {
      const query = following ? '' : `?item=${encodeURIComponent(item)}&stage=${encodeURIComponent(stage)}`
      window.history.replaceState(null, '', boot.urls.board + query)
    }
  }

  /** Business support is mid-sentence in this family's notes (typed, not saved yet). */
  function notesBusy (item) {
    const form = notesForm(item)
    if (!form || document.activeElement !== form.elements.text) return false
    const note = notes[String(item)]
    return Boolean(notesTimers[String(item)]) || (note && cleanText(form.elements.text.value) !== cleanText(note.saved))
  }

  function visibleStage () {
    return document.getElementById(`stage-${view.item}-${view.stage}`)
  }

  /** Follow the room if the person is following it. Returns a note for them if they were left behind. */
  function roomMoved () {
    const room = roomPosition()
    const there = room.item === view.item && room.stage === view.stage
    if (mode === 'present') {
      setView(room.item, room.stage, true)
    } else if (there) {
      setView(room.item, room.stage, true)
    } else if (view.following) {
      const section = visibleStage()
      if ((section && isBusy(section)) || notesBusy(view.item)) {
        // Never pull someone away from what they are typing: offer the way back instead.
        setView(view.item, view.stage, false)
        return 'Finish what you are writing, then choose “Go to where the room is”.'
      } else {
        setView(room.item, room.stage, true)
        keepFocusShown(room.item, room.stage)
      }
    } else {
      applyView(board())
    }
  }

  document.addEventListener('click', event => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    const link = event.target.closest('a[data-stage-link], a[data-item-link], a#board-follow')
    if (!link || !board().contains(link)) return
    event.preventDefault()
    const room = roomPosition()
    if (link.id === 'board-follow') {
      setView(room.item, room.stage, true)
      focusHeading(room.item, room.stage)
      return
    }
    const url = new URL(link.href, window.location.href)
    const item = Number(url.searchParams.get('item'))
    const stage = url.searchParams.get('stage')
    setView(item, stage, item === room.item && stage === room.stage)
    if (link.dataset.itemLink) focusHeading(item, null)
  })

  /** The keyboard was on a control the room has just moved away from: take it to where the room is. */
  function keepFocusShown (item, stage) {
    const active = document.activeElement
    if (active && active !== document.body && board().contains(active) && active.closest('[hidden]')) {
      focusHeading(item, stage)
    }
  }

  function focusHeading (item, stage) {
    const heading = document.getElementById(stage ? `stage-${item}-${stage}-heading` : `item-${item}-heading`)
    if (heading) heading.focus()
  }

  // ------------------------------------------------------------ connection indicator, messages

  function setConnection (value, detail = '') {
    connection = value
    connectionDetail = detail
    renderConnection()
  }

  function renderConnection () {
    const el = document.querySelector('[data-connection-state]')
    if (!el) return
    const text = connectionText(connection, queue.length, connectionDetail)
    // A status region: only a real change of text is written, so it is not read out again and again.
    if (el.textContent !== text) el.textContent = text
    el.closest('.app-connection').dataset.state = connection
    renderProblems()
  }

  function announce (text) {
    const list = document.querySelector('[data-activity]')
    if (!list) return
    const empty = document.querySelector('[data-activity-empty]')
    if (empty) empty.hidden = true
    // The summary first, so a screen reader says what happened before when.
    list.prepend(h('li', {}, h('span', { class: 'app-activity__text', text }), ' ',
      h('span', { class: 'app-activity__time', text: clockTime(Date.now()) })))
    while (list.children.length > ACTIVITY_LIMIT) list.lastElementChild.remove()
  }

  let ownTimer = null
  function tellOwn (text) {
    const el = document.querySelector('[data-own-status]')
    if (!el) return
    clearTimeout(ownTimer)
    if (el.textContent !== text) {
      el.textContent = text
      return
    }
    // The same words again (a second card added): empty the region first so it is said again.
    el.textContent = ''
    ownTimer = setTimeout(() => { el.textContent = text }, 100)
  }

  function renderProblems () {
    const box = document.getElementById('board-problems')
    if (!box) return
    const pendingOpen = Boolean(document.getElementById('board-pending')?.open)
    box.replaceChildren()
    if (queue.length && !joined) {
      box.append(h('details', { class: 'govuk-details app-pending', id: 'board-pending', open: pendingOpen },
        h('summary', { class: 'govuk-details__summary' },
          h('span', { class: 'govuk-details__summary-text', text: `${plural(queue.length, 'change is', 'changes are')} waiting to be sent` })),
        h('div', { class: 'govuk-details__text' },
          h('p', { class: 'govuk-body-s', text: 'They are kept in this browser and sent in order when the connection is back.' }),
          h('ol', { class: 'govuk-list govuk-list--number govuk-body-s' },
            ...queue.map(entry => h('li', { text: entry.label }))))))
    }
    problems.forEach((problem, index) => {
      const dismiss = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary app-button--compact', text: 'Dismiss' })
      dismiss.addEventListener('click', () => { problems.splice(index, 1); renderProblems() })
      box.append(h('div', { class: 'app-problem', role: 'alert' },
        h('p', { class: 'govuk-body-s' }, h('strong', { text: `Not saved: ${problem.label}. ` }), problem.message),
        problem.text ? h('p', { class: 'govuk-body-s', text: 'What you wrote, so you can copy it:' }) : null,
        problem.text ? h('p', { class: 'govuk-body-s app-pre-line app-problem__text', text: problem.text }) : null,
        dismiss))
    })
    box.hidden = !box.childElementCount
  }

  function addProblem (entry, error) {
    const data = entry.data || {}
    const text = [data.text, data.decision_text, data.rationale, data.reason].filter(Boolean).join('\n\n')
    problems.push({ label: entry.label, message: error.message, text })
    renderProblems()
  }

  // ------------------------------------------------------------ timer and presence

  function renderTimer () {
    const el = document.getElementById('board-timer')
    if (!el) return
    const room = state.room.room
    const item = state.item[String(roomPosition().item)]
    if (room.status !== 'live' || !item || !item.started_at) {
      el.hidden = true
      return
    }
    const elapsed = Math.max(0, Math.floor((Date.now() + clockOffset - parseTime(item.started_at)) / 60000))
    const over = elapsed - item.minutes_allowed
    el.hidden = false
    el.classList.toggle('app-timer--over', over > 0)
    if (over > 0) {
      el.replaceChildren(h('strong', { text: `${plural(over, 'minute', 'minutes')} over` }),
        ` (${item.minutes_allowed} minutes allowed)`)
      if (!overrunTold.has(item.id)) {
        overrunTold.add(item.id)
        const family = families[String(item.family_id)]
        announce(`${family ? family.name : 'This family'} has had the ${item.minutes_allowed} minutes allowed.`)
      }
    } else {
      el.textContent = `${elapsed} of ${item.minutes_allowed} minutes used`
    }
  }

  function renderPresence (people) {
    const list = document.querySelector('[data-presence-list]')
    if (!list) return
    if (!people.length) {
      list.replaceChildren(h('li', { class: 'app-presence__person app-empty', text: 'No one is connected live.' }))
      return
    }
    list.replaceChildren(...people.map(person => {
      const more = connectionsText(person.connections)
      return h('li', { class: 'app-presence__person' },
        h('span', { class: 'app-presence__name', text: person.name }), ' ',
        h('span', { class: 'app-presence__role', text: person.role }),
        more ? ' ' : null, more ? h('span', { class: 'app-presence__connections', text: more }) : null)
    }))
  }

  // ------------------------------------------------------------ events, in sequence order

  function onEvent (event) {
    if (event.session_id !== sessionId) return
    if (!joined) {
      early.set(event.seq, event) // the join answer may already hold it; sorted out after joining
      return
    }
    receive(event)
  }

  function receive (event) {
    if (event.seq <= lastSeq) return
    if (event.seq > lastSeq + 1) {
      early.set(event.seq, event)
      requestSync()
      return
    }
    apply(event)
    drain()
  }

  function drain () {
    while (early.has(lastSeq + 1)) {
      const next = early.get(lastSeq + 1)
      early.delete(lastSeq + 1)
      apply(next)
    }
    for (const seq of Array.from(early.keys())) if (seq <= lastSeq) early.delete(seq)
    if (early.size) requestSync()
  }

  function apply (event) {
    let room = false
    let other = false
    const notesChanged = []
    for (const change of event.changes) {
      const bucket = state[change.kind] || (state[change.kind] = {})
      const before = bucket[change.id]
      if (change.value === null) delete bucket[change.id]
      else bucket[change.id] = change.value
      if (change.kind === 'room' || change.kind === 'item') room = true
      if (change.kind === 'notes') notesChanged.push(change)
      else if (!(change.kind === 'card' && placeCard(change.id, change.value, before))) other = true
      else if (refreshing) placedMeanwhile.set(change.id, (change.value || before || {}).item_id)
    }
    lastSeq = event.seq
    const ours = Boolean(event.client_change_id) && mine.has(event.client_change_id)
    notesChanged.forEach(change => notesArrived(change.id, change.value, ours))
    let note = null
    if (room) {
      note = roomMoved()
      renderTimer()
    }
    // One polite announcement per change someone else made, in the words of its summary. Notes are
    // saved as business support types, so they are never read out; nor is a backlog caught up on
    // after a reconnection, which is summed up in one sentence instead.
    if (!ours && event.type !== 'notes.saved' && !catchingUp) announce(note ? `${event.summary}. ${note}` : event.summary)
    else if (note) announce(note)
    if (!ours) checkStale()
    if (other) scheduleRefresh()
  }

  function replaceState (snapshot) {
    state = snapshot.state
    lastSeq = snapshot.last_seq
    for (const seq of Array.from(early.keys())) if (seq <= lastSeq) early.delete(seq)
    for (const [id, value] of Object.entries(state.notes)) notesArrived(id, value, false)
    const note = roomMoved()
    if (note) announce(`The room has moved on. ${note}`)
    renderTimer()
    scheduleRefresh()
  }

  function absorb (answer) {
    if (answer.snapshot) replaceState(answer.snapshot)
    const missed = (answer.events || []).filter(event => event.seq > lastSeq)
    missed.sort((a, b) => a.seq - b.seq).forEach(receive)
    drain()
    return missed.length
  }

  function requestSync () {
    if (syncing || !joined) return
    syncing = true
    socket.timeout(ACK_TIMEOUT).emit('sync', { session_id: sessionId, since: lastSeq }, (error, answer) => {
      syncing = false
      if (!error && answer && answer.ok) absorb(answer)
    })
  }

  // ------------------------------------------------------------ the socket

  const socket = window.io({ transports: ['websocket', 'polling'] })

  function join () {
    socket.timeout(ACK_TIMEOUT).emit('join', { session_id: sessionId, since: lastSeq }, (error, answer) => {
      if (error) {
        setTimeout(() => { if (socket.connected && !joined) join() }, RETRY_AFTER)
        return
      }
      if (!answer.ok) {
        if (answer.error.code === 'unauthenticated') setConnection('signedout')
        else if (answer.error.code === 'rate_limited') setTimeout(join, 1000 * answer.error.retry_after)
        else setConnection('refused', answer.error.message)
        return
      }
      joined = true
      const buffered = Array.from(early.values())
      early.clear()
      const backlog = (answer.events || []).filter(event => event.seq > lastSeq).length
      catchingUp = backlog > 1
      let missed
      try {
        missed = absorb(answer)
        buffered.sort((a, b) => a.seq - b.seq).forEach(receive)
      } finally {
        catchingUp = false
      }
      if (missed > 1) announce(`Back online: ${missed} changes made meanwhile are now on your board.`)
      setConnection('connected')
      flush()
      scheduleRefresh()
    })
  }

  socket.on('connect', join)
  let accessEnded = false
  socket.on('disconnect', reason => {
    joined = false
    if (accessEnded) return
    releaseWaitingForms()
    setConnection(navigator.onLine ? 'reconnecting' : 'offline')
    if (reason === 'io server disconnect') socket.connect()
  })
  socket.on('connect_error', error => {
    joined = false
    if (error && error.data && error.data.code === 'unauthenticated') {
      setConnection('signedout')
      return
    }
    setConnection(navigator.onLine ? 'reconnecting' : 'offline')
    if (!socket.active) setTimeout(() => socket.connect(), RETRY_AFTER)
  })
  socket.io.on('reconnect_attempt', attempt => {
    if (attempt >= 3 && connection === 'reconnecting') setConnection('offline')
  })
  socket.on('board:event', onEvent)
  // The server took this connection off the board (signed out elsewhere, off the attendance list).
  socket.on('board:access_ended', message => {
    if (message.session_id !== sessionId) return
    joined = false
    accessEnded = true
    socket.disconnect()
    if (['signed_out', 'signed_out_everywhere', 'idle', 'deactivated'].includes(message.code)) {
      setConnection('signedout')
    } else {
      setConnection('refused', message.message)
    }
  })
  socket.on('board:presence', message => {
    if (message.session_id === sessionId) renderPresence(message.people)
  })
  // The browser knows it has lost the network before the socket does (an open WebSocket can look
  // alive for a minute or more with nothing getting through). Stop using it at once: changes made
  // from now on wait in the queue, and the indicator says so. Back online, connect again.
  window.addEventListener('offline', () => {
    if (socket.connected) socket.disconnect()
    else joined = false
    setConnection('offline')
  })
  window.addEventListener('online', () => {
    if (!socket.connected) socket.connect()
  })

  // ------------------------------------------------------------ cards placed in the page

  // Re-reading the page costs the server a full render for every person on the board, so a
  // card that this person cannot change is drawn here from the event instead. Cards with
  // change controls (their own, or any card for those who may change any) come from the page.
  const perms = new Set(boot.you.permissions)

  function controlsFor (card) {
    return state.room.room.status === 'live' && (card.author_id === me || perms.has('edit_any_card'))
  }

  function placeCard (id, card, before) {
    if (mode !== 'board') return false
    const shown = document.getElementById(`card-${id}`)
    if (card === null) {
      if (shown) {
        const list = shown.closest('[data-cards]')
        shown.remove()
        if (list) emptyIfBare(list)
      }
      if (before) countCards(before.item_id)
      return true
    }
    if (controlsFor(card) || (shown && shown.querySelector('form'))) return false
    const list = document.querySelector(`[data-cards="${card.item_id}:${card.stage}:${card.heading || ''}"]`)
    if (!list) return false
    const fresh = cardElement(card)
    if (shown) shown.replaceWith(fresh)
    else {
      let cards = list.querySelector('.app-cards')
      if (!cards) {
        cards = h('ul', { class: 'app-cards' })
        list.replaceChildren(cards)
      }
      cards.append(fresh)
    }
    countCards(card.item_id)
    return true
  }

  function cardElement (card) {
    const item = state.item[String(card.item_id)]
    const family = item && families[String(item.family_id)]
    const adult = family && card.adult_id ? family.adults.find(each => each.id === card.adult_id) : null
    const meta = h('p', { class: 'govuk-body-s app-card__meta' },
      h('span', { class: 'app-card__author', text: card.author_name }), `, ${card.author_role}`)
    if (card.specialism) meta.append(' ', h('span', { class: 'app-card__detail', text: `Specialism: ${card.specialism}` }))
    if (adult) {
      const about = h('span', { class: 'app-card__detail', text: `About ${adult.first_name} (${adult.relationship})` })
      if (card.stage_of_change) {
        about.append(': stage of change ', h('strong', { class: 'app-card__soc', text: label(stagesOfChange, card.stage_of_change) }))
      }
      meta.append(' ', about)
    }
    return h('li', { class: 'app-card', id: `card-${card.id}` },
      h('p', { class: 'govuk-body app-card__text app-pre-line', text: card.text }), meta)
  }

  const stagesOfChange = boot.context.vocabulary.stages_of_change

  function label (choices, value) {
    const found = choices.find(choice => choice[0] === value)
    return found ? found[1] : value
  }

  function emptyIfBare (list) {
    if (!list.querySelector('.app-card')) {
      list.replaceChildren(h('p', { class: 'govuk-body-s app-empty', text: list.dataset.empty }))
    }
  }

  function countCards (itemId) {
    const panel = document.getElementById(`item-${itemId}`)
    if (!panel) return
    for (const stage of stages) {
      const count = panel.querySelector(`[data-stage-link="${stage}"] .app-stages__count`)
      if (!count || stage === 'decision') continue
      const n = Object.values(state.card).filter(card => card.item_id === itemId && card.stage === stage).length
      count.textContent = plural(n, 'card', 'cards')
    }
  }

  // ------------------------------------------------------------ re-reading the page

  function scheduleRefresh () {
    clearTimeout(refreshTimer)
    refreshTimer = setTimeout(refresh, REFRESH_DELAY)
  }

  async function refresh () {
    if (refreshing) {
      refreshAgain = true
      return
    }
    refreshing = true
    placedMeanwhile.clear()
    try {
      const url = mode === 'present'
        ? boot.urls.present
        : boot.urls.board + (view.following ? '' : `?item=${view.item}&stage=${view.stage}`)
      const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
      if (response.status === 403 || response.status === 404) {
        setConnection('refused', 'you can no longer see this board.')
        return
      }
      if (!response.ok) return
      const page = new DOMParser().parseFromString(await response.text(), 'text/html')
      const fresh = page.getElementById('board')
      if (!fresh) {
        setConnection('signedout')
        return
      }
      applyView(fresh)
      patch(board(), fresh, { kept: () => {}, orphan: markOrphan })
      redrawPlacedMeanwhile()
      checkStale()
    } catch (error) {
      // Offline: the page stays as it is; joining again refreshes it.
    } finally {
      refreshing = false
      placedMeanwhile.clear()
      if (refreshAgain) {
        refreshAgain = false
        scheduleRefresh()
      }
    }
  }

  // The page just patched in was rendered before, or while, these cards changed, so it may
  // show them as they were; draw them again as the events left them.
  function redrawPlacedMeanwhile () {
    for (const [id, itemId] of placedMeanwhile) {
      if (!placeCard(id, state.card?.[id] ?? null, { item_id: itemId })) refreshAgain = true
    }
  }

  function markOrphan (node) {
    if (node.querySelector('[data-orphan]')) return
    node.prepend(h('p', {
      class: 'govuk-body-s app-orphan', 'data-morph': 'skip', 'data-orphan': true,
      text: 'This is no longer on the board (someone else changed it). What you wrote has not been saved; it is kept here so you can copy it.'
    }))
  }

  // ------------------------------------------------------------ the queue of changes

  function loadQueue () {
    try {
      const stored = JSON.parse(window.localStorage.getItem(storageKey) || '[]')
      return Array.isArray(stored) ? stored.map(entry => ({ ...entry, restored: true })) : []
    } catch (error) {
      return []
    }
  }

  function saveQueue () {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(queue))
    } catch (error) {
      // Storage full or disabled: the queue still lives in this page.
    }
    renderConnection()
  }

  function enqueue (entry) {
    mine.add(entry.id)
    queue.push(entry)
    saveQueue()
    flush()
  }

  async function flush () {
    if (flushing) return
    flushing = true
    let stalled = false
    try {
      while (queue.length && joined && socket.connected) {
        const entry = queue[0]
        if (!entry.sent) {
          prepare(entry)
          entry.sent = true
          saveQueue()
        }
        let answer
        try {
          answer = await socket.timeout(ACK_TIMEOUT).emitWithAck('change', {
            session_id: sessionId, type: entry.type, data: entry.data, client_change_id: entry.id
          })
        } catch (error) {
          stalled = true // no answer: keep it; a resend with the same id is applied once
          break
        }
        if (!answer.ok && answer.error.code === 'unauthenticated') {
          setConnection('signedout')
          break
        }
        if (!answer.ok && answer.error.code === 'rate_limited') {
          // Nothing was applied: keep it and send it again once the server says to.
          setTimeout(flush, 1000 * answer.error.retry_after)
          break
        }
        queue.shift()
        saveQueue()
        if (answer.ok) accepted(entry, answer)
        else refused(entry, answer.error)
      }
    } finally {
      flushing = false
    }
    if (stalled) setTimeout(flush, RETRY_AFTER)
  }

  function prepare (entry) {
    // Notes build on the version the last save made, known only when it is about to be sent.
    if (entry.type === 'save_notes' && !entry.restored) {
      const note = notes[entry.data.item_id]
      if (note) entry.data.version = String(note.base)
    }
  }

  function formOf (entry) {
    const form = entry.formId ? document.getElementById(entry.formId) : null
    return form && form.tagName === 'FORM' ? form : null
  }

  function accepted (entry, answer) {
    if (entry.type === 'save_notes') {
      notesSaved(entry, answer.event)
    } else {
      const form = formOf(entry)
      if (form) {
        setWaiting(form, false)
        clearMessages(form)
        if (form.dataset.reset === 'clear') clearForm(form)
        else markClean(form)
        const details = form.closest('details')
        if (details && form.dataset.reset !== 'clear') {
          const focusWasInside = details.contains(document.activeElement) || document.activeElement === document.body
          details.open = false
          if (focusWasInside) details.querySelector('summary').focus()
        }
      }
      tellOwn(DONE[entry.type] || 'Saved.')
    }
    if (answer.event) receive(answer.event)
  }

  function refused (entry, error) {
    if (entry.type === 'save_notes') {
      notesRefused(entry, error)
      return
    }
    const form = formOf(entry)
    if (!form) {
      addProblem(entry, error)
      return
    }
    setWaiting(form, false)
    if (entry.cleared) refill(form, entry.data)
    showError(form, error, entry.data)
  }

  // ------------------------------------------------------------ forms

  function formData (form, submitter) {
    let data
    try {
      data = new FormData(form, submitter || undefined)
    } catch (error) {
      data = new FormData(form)
      if (submitter && submitter.name) data.append(submitter.name, submitter.value)
    }
    const result = {}
    for (const [name, value] of data.entries()) {
      if (name === 'csrf_token' || name === 'client_change_id' || name.startsWith('_')) continue
      result[name] = typeof value === 'string' ? value : ''
    }
    return result
  }

  function describe (type, data) {
    const label = LABELS[type] || type
    const text = data.text || data.decision_text
    return text ? `${label}: “${excerpt(text)}”` : label
  }

  document.addEventListener('submit', event => {
    const form = event.target
    if (!(form instanceof window.HTMLFormElement) || !form.dataset.change || !board().contains(form)) return
    event.preventDefault()
    const type = form.dataset.change
    if (type === 'save_notes') {
      saveNotes(form.elements.item_id.value)
      return
    }
    if (form.dataset.waiting) return
    const entry = { id: newId(), type, data: formData(form, event.submitter), label: '', formId: form.id, sent: false }
    entry.label = describe(type, entry.data)
    clearMessages(form)
    if (joined) {
      setWaiting(form, true)
    } else {
      // Offline: the change waits in this browser; the form is free for the next one.
      if (form.dataset.reset === 'clear') {
        clearForm(form)
        entry.cleared = true
      } else {
        markClean(form)
      }
      const note = 'Not sent yet: you are offline. This is kept in this browser and sent when the connection is back.'
      insertTop(form, h('p', { class: 'govuk-body-s app-form-note', 'data-morph': 'skip', 'data-js-message': true, text: note }))
      tellOwn(note)
    }
    enqueue(entry)
  })

  /** Cut off mid-send: the change stays queued, so free its form as if it had been made offline. */
  function releaseWaitingForms () {
    for (const entry of queue) {
      const form = formOf(entry)
      if (!form || !form.dataset.waiting) continue
      setWaiting(form, false)
      if (form.dataset.reset === 'clear') {
        clearForm(form)
        entry.cleared = true
      } else {
        markClean(form)
      }
    }
    saveQueue()
  }

  function setWaiting (form, on) {
    if (on) form.dataset.waiting = 'true'
    else delete form.dataset.waiting
    form.setAttribute('aria-busy', on ? 'true' : 'false')
    // aria-disabled, not disabled: a disabled button loses the keyboard focus to the page. The
    // submit handler ignores a form that is waiting, so the change is not sent twice.
    form.querySelectorAll('button[type="submit"]').forEach(button => {
      if (on) button.setAttribute('aria-disabled', 'true')
      else button.removeAttribute('aria-disabled')
    })
  }

  function clearForm (form) {
    for (const field of form.querySelectorAll('textarea, input:not([type="hidden"]), select')) {
      if (field.tagName === 'SELECT') {
        field.selectedIndex = 0
        for (const option of field.options) option.defaultSelected = false
      } else if (field.type === 'checkbox' || field.type === 'radio') {
        field.checked = false
        field.defaultChecked = false
      } else {
        field.value = ''
        field.defaultValue = ''
      }
    }
  }

  function refill (form, data) {
    for (const [name, value] of Object.entries(data)) {
      const field = form.elements[name]
      if (field && field.type !== 'hidden' && !field.value) field.value = value
    }
  }

  function clearMessages (form) {
    form.querySelectorAll('[data-js-message]').forEach(el => el.remove())
    form.querySelectorAll('[data-js-error]').forEach(el => {
      el.classList.remove('govuk-form-group--error', 'govuk-textarea--error', 'govuk-input--error', 'govuk-select--error')
      el.removeAttribute('data-js-error')
      if (el.dataset.describedBefore !== undefined) {
        if (el.dataset.describedBefore) el.setAttribute('aria-describedby', el.dataset.describedBefore)
        else el.removeAttribute('aria-describedby')
        delete el.dataset.describedBefore
      }
    })
  }

  function firstField (form, name) {
    const field = form.elements[name]
    if (!field) return null
    return field instanceof window.RadioNodeList ? field[0] : field
  }

  function showError (form, error, yours) {
    clearMessages(form)
    if (error.code === 'conflict' && error.current) {
      showConflict(form, error.current, yours)
      return
    }
    const box = h('div', { class: 'app-form-error', role: 'alert', tabindex: '-1', 'data-morph': 'skip', 'data-js-message': true },
      h('p', { class: 'govuk-error-message' }, h('span', { class: 'govuk-visually-hidden', text: 'Error: ' }), error.message))
    insertTop(form, box)
    let focusTarget = null
    for (const [name, message] of Object.entries(error.fields || {})) {
      const field = firstField(form, name)
      if (!field || field.type === 'hidden') continue
      const group = field.closest('.govuk-form-group')
      const id = `${form.id}-${name}-js-error`
      const note = h('p', { class: 'govuk-error-message', id, 'data-morph': 'skip', 'data-js-message': true },
        h('span', { class: 'govuk-visually-hidden', text: 'Error: ' }), message)
      const anchor = field.closest('.govuk-radios') || field
      anchor.parentNode.insertBefore(note, anchor)
      if (group) {
        group.classList.add('govuk-form-group--error')
        group.setAttribute('data-js-error', '')
      }
      field.dataset.describedBefore = field.getAttribute('aria-describedby') || ''
      field.setAttribute('aria-describedby', `${field.dataset.describedBefore} ${id}`.trim())
      field.setAttribute('data-js-error', '')
      const kind = field.tagName === 'TEXTAREA' ? 'govuk-textarea--error' : field.tagName === 'SELECT' ? 'govuk-select--error' : 'govuk-input--error'
      if (field.type !== 'radio') field.classList.add(kind)
      focusTarget = focusTarget || field
    }
    ;(focusTarget || box).focus()
  }

  function insertTop (form, el) {
    const first = Array.from(form.children).find(child => !(child.tagName === 'INPUT' && child.type === 'hidden'))
    form.insertBefore(el, first || null)
  }

  /** Show what the person wrote beside what is there now; saving again is then their choice. */
  function showConflict (form, current, yours, focus = true) {
    form.querySelectorAll('.app-conflict').forEach(el => el.remove())
    const type = form.dataset.change
    let fields
    if (type === 'save_decision') fields = [['decision_text', 'Decision'], ['rationale', 'Rationale']]
    else fields = [['text', type === 'save_notes' ? 'Notes' : 'Text']]
    const theirsOf = name => {
      if (type === 'amend_decision') return current[form.elements.field.value] || ''
      return current[name] || ''
    }
    const box = h('div', { class: 'app-conflict', tabindex: '-1', role: 'alert', 'data-morph': 'skip', 'data-js-message': true },
      h('h4', { class: 'govuk-heading-s', text: 'Someone else changed this while you were writing' }),
      h('p', { class: 'govuk-body-s', text: 'Your version has not been saved. Compare the two. To keep yours, save again; to keep theirs, choose “Use their version”.' }))
    for (const [name, label] of fields) {
      const field = form.elements[name]
      const mine = field ? field.value : (yours && yours[name]) || ''
      const suffix = fields.length > 1 ? `: ${label.toLowerCase()}` : ''
      box.append(h('div', { class: 'app-compare' },
        h('div', { class: 'app-compare__side' },
          h('h5', { class: 'govuk-heading-s app-compare__title', text: `Your version${suffix}` }),
          h('p', { class: 'govuk-body app-pre-line app-compare__text', text: mine })),
        h('div', { class: 'app-compare__side' },
          h('h5', { class: 'govuk-heading-s app-compare__title', text: `What is there now${suffix}` }),
          h('p', { class: 'govuk-body app-pre-line app-compare__text', text: theirsOf(name) }))))
    }
    const useTheirs = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary app-button--compact', text: 'Use their version' })
    useTheirs.addEventListener('click', () => {
      for (const [name] of fields) {
        const field = form.elements[name]
        if (field) field.value = theirsOf(name)
      }
      if (type === 'save_notes') {
        const note = notes[form.elements.item_id.value]
        note.base = current.version
        note.saved = current.text || ''
        note.conflict = null
        dropPendingNotes(form.elements.item_id.value)
        setNotesStatus(form.elements.item_id.value, 'Saved')
      }
      if (form.elements.version) form.elements.version.value = current.version
      markClean(form)
      box.remove()
      scheduleRefresh()
    })
    const actions = h('div', { class: 'govuk-button-group' })
    if (type === 'save_notes') {
      const keepMine = h('button', { type: 'button', class: 'govuk-button app-button--compact', text: 'Keep my version' })
      keepMine.addEventListener('click', () => {
        const item = form.elements.item_id.value
        notes[item].base = current.version
        notes[item].conflict = null
        box.remove()
        saveNotes(item)
      })
      actions.append(keepMine)
    }
    actions.append(useTheirs)
    box.append(actions)
    if (form.elements.version && type !== 'save_notes') form.elements.version.value = current.version
    insertTop(form, box)
    // Refused on saving: take them to it. Noticed while they type: say so, but leave the cursor be.
    if (focus) box.focus()
  }

  /** After a change by someone else: a form the person is still editing may now be out of date. */
  function checkStale () {
    document.querySelectorAll('#board form[data-change]').forEach(form => {
      const type = form.dataset.change
      if (!VERSIONED.includes(type) || form.dataset.waiting || !isDirty(form) || !form.elements.version) return
      const version = Number(form.elements.version.value)
      let current
      if (type === 'edit_card') {
        current = state.card[form.elements.card_id.value]
        if (!current) {
          markOrphan(form.closest('li') || form)
          return
        }
      } else {
        current = state.decision[form.elements.item_id.value]
      }
      if (current && current.version > version) showConflict(form, current, null, false)
    })
  }

  // ------------------------------------------------------------ notes

  function notesForm (item) {
    return document.querySelector(`form[data-change="save_notes"] input[name="item_id"][value="${CSS.escape(String(item))}"]`)?.form || null
  }

  function setNotesStatus (item, text) {
    const form = notesForm(item)
    const el = form && form.querySelector('[data-notes-status]')
    if (el) el.textContent = text
  }

  function pendingNotes (item) {
    return queue.some(entry => entry.type === 'save_notes' && entry.data.item_id === String(item))
  }

  function dropPendingNotes (item) {
    queue = queue.filter(entry => !(entry.type === 'save_notes' && entry.data.item_id === String(item) && !entry.sent))
    saveQueue()
  }

  function saveNotes (item) {
    item = String(item)
    clearTimeout(notesTimers[item])
    delete notesTimers[item]
    const form = notesForm(item)
    if (!form) return
    const note = notes[item]
    const text = form.elements.text.value
    if (note.conflict) {
      setNotesStatus(item, 'Not saved: choose which version to keep.')
      return
    }
    if (cleanText(text) === cleanText(note.saved) && !pendingNotes(item)) {
      setNotesStatus(item, 'Saved')
      return
    }
    const waiting = queue.find(entry => entry.type === 'save_notes' && entry.data.item_id === item && !entry.sent)
    if (waiting) {
      waiting.data.text = text // one save carries the latest text
      saveQueue()
      flush()
    } else {
      enqueue({ id: newId(), type: 'save_notes', data: { item_id: item, version: String(note.base), text }, label: `Notes: “${excerpt(text)}”`, formId: form.id, sent: false })
    }
    setNotesStatus(item, joined ? 'Saving…' : 'Not saved yet: you are offline. The notes are kept in this browser.')
  }

  function notesSaved (entry, event) {
    const item = entry.data.item_id
    const value = event && event.changes && event.changes[0] && event.changes[0].value
    const note = notes[item]
    if (value && note) {
      note.base = Math.max(note.base, value.version)
      note.saved = value.text
    }
    const form = notesForm(item)
    if (!form) return
    if (form.elements.version && value) form.elements.version.value = note.base
    const unsaved = cleanText(form.elements.text.value) !== cleanText(note.saved)
    if (!unsaved) form.elements.text.defaultValue = form.elements.text.value
    setNotesStatus(item, unsaved || pendingNotes(item) ? 'Saving…' : `Saved at ${clockTime(Date.now())}`)
  }

  function notesRefused (entry, error) {
    const item = entry.data.item_id
    const form = notesForm(item)
    if (!form) {
      addProblem(entry, error)
      return
    }
    if (error.code === 'conflict' && error.current) {
      notes[item].conflict = error.current
      showConflict(form, error.current, entry.data)
      setNotesStatus(item, 'Not saved: choose which version to keep.')
    } else {
      showError(form, error, entry.data)
      setNotesStatus(item, 'Not saved.')
      addProblem(entry, error)
    }
  }

  /** Notes saved by anyone: readers see them at once; a writer's own typing is never overwritten. */
  function notesArrived (item, value, ours) {
    item = String(item)
    const note = notes[item] || (notes[item] = { base: 0, saved: '' })
    const panel = document.querySelector(`[data-notes-panel="${CSS.escape(item)}"]`)
    const reading = panel && panel.querySelector('[data-notes-text]')
    if (reading) reading.textContent = value.text || 'No notes yet.'
    const form = notesForm(item)
    if (ours || !form) {
      note.base = Math.max(note.base, value.version)
      note.saved = value.text
      return
    }
    if (value.version <= note.base) return
    const box = form.elements.text
    const unsaved = cleanText(box.value) !== cleanText(note.saved) || pendingNotes(item)
    if (!unsaved) {
      const focused = document.activeElement === box
      const start = box.selectionStart
      const end = box.selectionEnd
      box.value = value.text
      box.defaultValue = value.text
      if (focused) box.setSelectionRange(Math.min(start, box.value.length), Math.min(end, box.value.length))
      note.base = value.version
      note.saved = value.text
      if (form.elements.version) form.elements.version.value = value.version
    } else {
      note.conflict = value
      showConflict(form, value, { text: box.value }, false)
      setNotesStatus(item, 'Not saved: choose which version to keep.')
    }
  }

  function startNotes () {
    for (const [id, value] of Object.entries(state.notes)) notes[id] = { base: value.version, saved: value.text }
    document.querySelectorAll('form[data-change="save_notes"]').forEach(form => {
      const item = form.elements.item_id.value
      form.elements.text.addEventListener('input', () => {
        setNotesStatus(item, 'Not saved yet')
        clearTimeout(notesTimers[item])
        notesTimers[item] = setTimeout(() => saveNotes(item), NOTES_DELAY)
      })
    })
    // Leaving the page: whatever was typed goes into the queue, which outlives the page.
    window.addEventListener('pagehide', () => {
      Object.keys(notesTimers).forEach(item => {
        clearTimeout(notesTimers[item])
        saveNotes(item)
      })
    })
  }

  // ------------------------------------------------------------ begin

  applyView(board())
  const activity = document.getElementById('board-activity')
  if (activity) activity.hidden = false
  startNotes()
  const item = state.item[String(roomPosition().item)]
  if (item && state.room.room.status === 'live' && item.started_at &&
      (Date.now() + clockOffset - parseTime(item.started_at)) / 60000 > item.minutes_allowed) {
    overrunTold.add(item.id) // already over when the page opened: shown, not announced
  }
  renderTimer()
  window.setInterval(renderTimer, 5000)
  renderConnection()
}
