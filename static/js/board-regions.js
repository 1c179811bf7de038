// Drawing the regions the server renders with each event (see docs/protocol.md, "regions").
//
// Each region is morphed into the page by id with idiomorph, so what did not change is left
// alone: a form the person is busy in is kept as it is (the caller then checks it for a
// conflict), a card being edited that someone removed stays with a note, details stay open or
// closed as the person left them, and the script's own parts (data-morph="skip") are untouched.
// `plan` decides what to do with each region and is pure, so it is tested with `node --test`.
import { Idiomorph } from '../vendor/idiomorph/idiomorph.esm.js'
import { isBusy, isTextEntry } from './board-busy.js'

/**
 * What to do with one region: 'morph' an element that is there, 'move' one that is there into the
 * parent the region names now (an action accepted or dropped changes list), 'insert' a new one into
 * its parent, 'remove' one that went, or 'skip' a region this page does not show.
 * `parentOf(id)` answers the id of the element's parent on the page.
 */
export function plan (region, has, parentOf = () => region.parent) {
  if (region.removed) return has(region.id) ? 'remove' : 'skip'
  if (has(region.id)) return region.parent && parentOf(region.id) !== region.parent && has(region.parent) ? 'move' : 'morph'
  if (region.parent && has(region.parent)) return 'insert'
  return 'skip'
}

const WAITING = ['data-waiting', 'aria-busy', 'aria-disabled']

function skipped (node) {
  return node.nodeType === 1 && node.dataset && node.dataset.morph === 'skip'
}

/** Morph `live` into `fresh`, keeping what the person is busy in. */
export function morph (live, fresh, hooks = {}) {
  Idiomorph.morph(live, fresh, {
    morphStyle: 'outerHTML',
    callbacks: {
      beforeNodeMorphed (oldNode) {
        if (oldNode.nodeType !== 1) return true
        if (skipped(oldNode)) return false
        if (oldNode.tagName === 'FORM' && isBusy(oldNode)) {
          if (hooks.kept) hooks.kept(oldNode)
          return false
        }
        return !(isTextEntry(oldNode) && oldNode === oldNode.ownerDocument.activeElement)
      },
      beforeNodeRemoved (node) {
        if (node.nodeType !== 1) return true
        if (skipped(node)) return false
        if (isBusy(node)) {
          if (hooks.orphan) hooks.orphan(node, orphanNote())
          return false
        }
        return true
      },
      beforeAttributeUpdated (name, el) {
        // Disclosures stay as the person left them; a field showing an error keeps its marks;
        // a form on its way to the server stays marked as waiting until its answer comes.
        if (name === 'open' || el.hasAttribute('data-js-error')) return false
        return !(WAITING.includes(name) && el.closest('[data-waiting]'))
      }
    }
  })
}

/**
 * What a form someone is writing in says when the part of the page holding it goes: why it went.
 * A region `closed` went because the family's decision was signed off (the card is still there),
 * or, `closed: "session"`, because the chair closed the session.
 */
export function orphanNote (region) {
  if (region && region.closed === 'session') {
    return 'The session is closed, so the board no longer changes. What you wrote has not been saved; ' +
      'it is kept here so you can copy it.'
  }
  if (region && region.closed) {
    return 'The decision is signed off, so this discussion is closed. What you wrote has not been saved; ' +
      'it is kept here so you can copy it. Anything later is added after sign-off, under the decision.'
  }
  return 'This is no longer on the board (someone else changed it). What you wrote has not been saved; ' +
    'it is kept here so you can copy it.'
}

/** The list drawn live (data-list: cards, actions) that `el` is an item of, or null. */
function listOf (el) {
  const list = el.parentElement
  return list && list.hasAttribute('data-list') ? list : null
}

/** A number of things in words, as the server writes it: "3", or "1 card" and "2 cards" given both words. */
export function countWords (n, one, many) {
  if (!one) return String(n)
  return `${n} ${n === 1 ? one : many}`
}

/** How a stage tab says how many cards the stage holds. */
export function cardCount (n) {
  return countWords(n, 'card', 'cards')
}

/**
 * A live list gained or lost an item: it is hidden while empty (unless it is only counted), and
 * what depends on it, found in the nearest data-lists around it, follows: a "nothing yet" line
 * (data-empty-list), a heading or note shown only while it holds something (data-shows-list), a
 * count (data-count-list, with data-count-one and data-count-many for the words).
 */
export function listChanged (list) {
  const n = list.children.length
  if (list.getAttribute('data-list') !== 'counted') list.hidden = n === 0
  const scope = list.closest('[data-lists]') || list.ownerDocument
  for (const el of scope.querySelectorAll(`[data-empty-list="${list.id}"]`)) el.hidden = n > 0
  for (const el of scope.querySelectorAll(`[data-shows-list="${list.id}"]`)) el.hidden = n === 0
  for (const el of scope.querySelectorAll(`[data-count-list="${list.id}"]`)) {
    el.textContent = countWords(n, el.getAttribute('data-count-one'), el.getAttribute('data-count-many'))
  }
}

/**
 * Count again the cards of each stage of a family, from the page itself: a card's region does not
 * carry its stage tabs. A card someone removed while another person was editing it is not counted.
 */
export function recount (doc, itemId) {
  const nav = doc.getElementById(`stages-${itemId}`)
  if (!nav) return
  for (const count of nav.querySelectorAll('[data-stage-count]')) {
    const section = doc.getElementById(`stage-${itemId}-${count.getAttribute('data-stage-count')}`)
    if (!section) continue
    const cards = Array.from(section.querySelectorAll('[data-cards] > [data-list] > li')).filter(li => !li.querySelector('[data-orphan]'))
    count.textContent = cardCount(cards.length)
  }
}

/**
 * Apply regions to the document. `prepare(fresh)` readies a parsed region for this viewer
 * (their permissions, where they are looking) before it is compared with the page.
 * Answers the elements drawn, so the caller can mark what changed.
 */
export function applyRegions (doc, regions, { prepare, hooks = {} }) {
  const has = id => doc.getElementById(id) !== null
  const parentOf = id => doc.getElementById(id).parentElement?.id
  const drawn = []
  const families = new Set() // whose stage tabs count their cards again
  const counted = el => {
    const panel = el.closest('[data-item-panel]')
    if (panel) families.add(panel.getAttribute('data-item-panel'))
  }
  for (const region of regions || []) {
    const action = plan(region, has, parentOf)
    if (action === 'skip') continue
    const live = doc.getElementById(region.id)
    if (action === 'remove') {
      const list = listOf(live)
      counted(live)
      if (isBusy(live)) {
        if (hooks.orphan) hooks.orphan(live, orphanNote(region))
      } else {
        live.remove()
      }
      if (list) listChanged(list)
      continue
    }
    const template = doc.createElement('template')
    template.innerHTML = region.html
    const fresh = template.content.firstElementChild
    if (!fresh) continue
    prepare(fresh)
    if (action === 'insert') {
      const list = doc.getElementById(region.parent)
      list.append(fresh)
      if (list.hasAttribute('data-list')) listChanged(list)
      counted(fresh)
      drawn.push(fresh)
    } else {
      const from = action === 'move' ? listOf(live) : null
      morph(live, fresh, hooks)
      const now = doc.getElementById(region.id) || live
      if (action === 'move' && now.isConnected) {
        const to = doc.getElementById(region.parent)
        to.append(now)
        if (from) listChanged(from)
        if (to.hasAttribute('data-list')) listChanged(to)
      }
      if (now.isConnected) counted(now)
      drawn.push(now)
    }
  }
  families.forEach(itemId => recount(doc, itemId))
  return drawn
}
