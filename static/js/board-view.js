// Where the person is looking: which family and stage, and whether they follow the room.
// The screen follows the chair unless the person chose to look elsewhere, and never pulls
// them away from what they are typing.
import { isWriting } from './board-busy.js'
import { roomPosition } from './board-text.js'

// Each is written only where it changes: a room move, a start or a set-up change passes over every
// family's panels, stages and marks, and a write of the same value still costs the page its work.
function setCurrent (el, on) {
  if (on === el.hasAttribute('aria-current')) return
  if (on) el.setAttribute('aria-current', 'true')
  else el.removeAttribute('aria-current')
}

function setHidden (el, hidden) {
  if (el.hidden !== hidden) el.hidden = hidden
}

/** The elements matching `selector` in `root`, `root` itself included. */
function within (root, selector) {
  const found = Array.from(root.querySelectorAll(selector))
  if (root.matches && root.matches(selector)) found.unshift(root)
  return found
}

/** Show the family and stage in `view` on `root`: the live page, or a fresh region before it is drawn. */
export function applyView (root, view) {
  const all = selector => within(root, selector)
  all('[data-item-panel]').forEach(el => setHidden(el, Number(el.dataset.itemPanel) !== view.item))
  all('[data-notes-panel]').forEach(el => setHidden(el, Number(el.dataset.notesPanel) !== view.item))
  all('[data-stage-section]').forEach(el => setHidden(el, el.dataset.stageSection !== view.stage))
  all('[data-stage-link]').forEach(el => setCurrent(el, el.dataset.stageLink === view.stage))
  all('[data-item-link]').forEach(el => setCurrent(el, Number(el.dataset.itemLink) === view.item))
  all('[data-follow]').forEach(el => setHidden(el, view.following))
  // Fields for the page without the script; the script makes its own ids.
  all('input[name="client_change_id"], input[name="_follow"]').forEach(el => el.remove())
}

/**
 * Show where the room is on `root`: its mark on one stage tab and one stage heading, and the
 * chair's "Move the room here" on every other stage. The page draws them all; a room move only
 * shows and hides them, so no family's tabs or headings are drawn again. What a page drew before
 * the chair started, for the live session (its forms) or until then (a note), says so
 * (data-shown-while="live" or "scheduled"), and starting shows or hides it: no family is drawn again.
 */
export function markRoom (root, room) {
  const at = room && room.status === 'live' ? `${room.current_item_id}-${room.current_stage}` : null
  const all = selector => within(root, selector)
  const status = room ? room.status : null
  all('[data-shown-while]').forEach(el => setHidden(el, el.dataset.shownWhile !== status))
  all('[data-room-mark]').forEach(el => setHidden(el, el.dataset.roomMark !== at))
  all('[data-room-away]').forEach(el => setHidden(el, el.dataset.roomAway === at))
  all('[data-room-stage]').forEach(el => el.classList.toggle('app-stages__item--room', el.dataset.roomStage === at))
  // The agenda marks the family the room is on, whatever its stage.
  const family = at === null ? null : String(room.current_item_id)
  all('[data-room-item-mark]').forEach(el => setHidden(el, el.dataset.roomItemMark !== family))
  all('[data-room-item]').forEach(el => el.classList.toggle('app-agenda__item--room', el.dataset.roomItem === family))
}

export function installView (S) {
  const board = () => document.getElementById('board')

  S.setView = (item, stage, following) => {
    S.view = { item, stage, following }
    applyView(board(), S.view)
    if (S.mode === 'board') {
      const query = following ? '' : `?item=${encodeURIComponent(item)}&stage=${encodeURIComponent(stage)}`
      const url = S.boot.urls.board + query
      // The same address again is not written again: each write costs the page a few milliseconds.
      if (window.location.pathname + window.location.search + window.location.hash !== url) {
        window.history.replaceState(null, '', url)
      }
    }
  }

  function focusHeading (item, stage) {
    const heading = document.getElementById(stage ? `stage-${item}-${stage}-heading` : `item-${item}-heading`)
    if (heading) heading.focus()
  }

  /** The keyboard was on a control the room has just moved away from: take it to where the room is. */
  function keepFocusShown (item, stage) {
    const active = document.activeElement
    if (active && active !== document.body && board().contains(active) && active.closest('[hidden]')) {
      focusHeading(item, stage)
    }
  }

  /** Follow the room if the person is following it. Returns a note for them if they were left behind. */
  S.roomMoved = () => {
    if (S.mode === 'board') markRoom(board(), S.state.room.room)
    const room = roomPosition(S.state, S.stages)
    const view = S.view
    const there = room.item === view.item && room.stage === view.stage
    if (S.mode === 'present' || there) {
      S.setView(room.item, room.stage, true)
    } else if (view.following) {
      const section = document.getElementById(`stage-${view.item}-${view.stage}`)
      if ((section && isWriting(section)) || S.notesBusy(view.item)) {
        // Never pull someone away from what they are typing: offer the way back instead.
        S.setView(view.item, view.stage, false)
        return 'Finish what you are writing, then choose “Go to where the room is”.'
      }
      S.setView(room.item, room.stage, true)
      keepFocusShown(room.item, room.stage)
    } else {
      applyView(board(), view)
    }
    return null
  }

  document.addEventListener('click', event => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    const link = event.target.closest('a[data-stage-link], a[data-item-link], a#board-follow')
    if (!link || !board().contains(link)) return
    event.preventDefault()
    const room = roomPosition(S.state, S.stages)
    if (link.id === 'board-follow') {
      S.setView(room.item, room.stage, true)
      focusHeading(room.item, room.stage)
      return
    }
    const url = new URL(link.href, window.location.href)
    const item = Number(url.searchParams.get('item'))
    // A family on the agenda opens where the room is, if the room is on it (its link says where the
    // room was when the agenda was drawn), or at its situation.
    const stage = link.dataset.itemLink ? (item === room.item ? room.stage : 'situation') : url.searchParams.get('stage')
    S.setView(item, stage, item === room.item && stage === room.stage)
    if (link.dataset.itemLink) focusHeading(item, null)
  })
}
