// Drawing what the server sends: the regions each event names, readied for this person (their
// permissions, where they are looking) and morphed in; and, only after a catch-up too long to
// replay, the whole page read again.
import { applyRegions, morph } from './board-regions.js'
import { applyView, markRoom } from './board-view.js'
import { applyViewer } from './board-viewer.js'
import { markOrphan } from './board-forms.js'

// Regions whose change is shown for a moment when someone else made it.
const CONTRIBUTION = /^(card|decision-panel|actions?|review)-/
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary'

export function installDrawing (S) {
  /** Ready a region (or a whole page) rendered for everyone for this person, before it is compared. */
  function prepare (fresh) {
    applyViewer(fresh, S.boot.you)
    applyView(fresh, S.view)
    markRoom(fresh, S.state.room.room)
    if (S.prepareCard) S.prepareCard(fresh)
    fresh.querySelectorAll('input[name="csrf_token"]').forEach(input => { input.value = S.csrf })
  }

  S.draw = (regions, byOthers) => {
    const active = document.activeElement
    const drawn = applyRegions(document, regions, { prepare, hooks: { orphan: markOrphan } })
    // The control this person just used gave way to the next one (Start to Next, a form to what it
    // recorded): keep their keyboard there. Someone else's change never moves it.
    if (!byOthers && active && active !== document.body && !document.contains(active)) keepPlace(active)
    if (!byOthers || S.mode !== 'board') return
    const changed = drawn.filter(el => CONTRIBUTION.test(el.id))
    if (!changed.length) return
    // A highlight still showing starts again: the page is laid out once for all of them, and only
    // then (laying out a whole board on every change held up drawing it).
    const again = changed.filter(el => glowing.has(el))
    if (again.length) {
      again.forEach(el => el.classList.remove('app-changed'))
      void document.body.offsetWidth
    }
    for (const el of changed) {
      el.classList.add('app-changed')
      glowing.add(el)
      el.addEventListener('animationend', () => {
        el.classList.remove('app-changed')
        glowing.delete(el)
      }, { once: true })
    }
  }
  const glowing = new WeakSet()

  /** Focus the first control left in the nearest region around where `gone` was. */
  function keepPlace (gone) {
    for (const id of placeOf.get(gone) || []) {
      const region = document.getElementById(id)
      if (!region || region.closest('[hidden]')) continue
      const target = Array.from(region.querySelectorAll(FOCUSABLE)).find(el => !el.closest('[hidden]') && el.getClientRects().length)
      if (target) {
        target.focus({ preventScroll: true })
        return
      }
    }
  }

  // Where each control sits (ids of its ancestors, nearest first), noted as it takes the focus,
  // so keepPlace knows where it was once it is gone.
  const placeOf = new WeakMap()
  document.addEventListener('focusin', event => {
    const ids = []
    for (let node = event.target.parentElement; node && node !== document.body; node = node.parentElement) {
      if (node.id) ids.push(node.id)
    }
    placeOf.set(event.target, ids)
  })

  let rereading = null
  /** Read the page again: only after a catch-up too long to replay (or an event without regions). */
  S.reread = ({ keepPlace: keep = false } = {}) => {
    if (rereading) return rereading
    const active = document.activeElement
    const url = S.mode === 'present'
      ? S.boot.urls.present
      : S.boot.urls.board + (S.view.following ? '' : `?item=${S.view.item}&stage=${S.view.stage}`)
    rereading = fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
      .then(async response => {
        if (response.status === 403 || response.status === 404) {
          S.setConnection('refused', 'you can no longer see this board.')
          return
        }
        if (!response.ok) return
        const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('board')
        if (!fresh) {
          S.setConnection('signedout')
          return
        }
        applyView(fresh, S.view)
        morph(document.getElementById('board'), fresh, { orphan: markOrphan })
        if (keep && active && active !== document.body && !document.contains(active)) keepPlace(active)
        S.checkStale()
      })
      .catch(() => { /* offline: the page stays as it is; joining again catches up */ })
      .finally(() => { rereading = null })
    return rereading
  }
}
