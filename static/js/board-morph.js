// Bring the page up to date from a fresh copy of it, touching only what changed.
//
// The live board re-reads its own page after each change and patches the differences in.
// Elements are matched by id (or, without one, by position and tag). An element that differs
// is replaced, unless the person is busy in it: typing in a field, or a form they have changed
// and not saved. A busy form is kept exactly as it is (the caller checks it against the board's
// state and shows any conflict); other busy containers are patched child by child, so what is
// around the person's typing still updates. Elements marked data-morph="skip" belong to the
// script (notes, presence, timer, messages) and are never touched.

const SKIP = 'skip'
const NOT_TYPED = ['hidden', 'submit', 'button', 'reset', 'radio', 'checkbox', 'image']

export function isTextEntry (el) {
  if (!el || el.nodeType !== 1) return false
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true
  return el.tagName === 'INPUT' && !NOT_TYPED.includes(el.type)
}

function fieldsOf (el) {
  if (el.matches('input, textarea, select')) return [el]
  return el.querySelectorAll('input, textarea, select')
}

/** True if any field inside `el` holds something other than what the page arrived with. */
export function isDirty (el) {
  if (!el || el.nodeType !== 1) return false
  for (const field of fieldsOf(el)) {
    if (field.type === 'hidden' || field.disabled) continue
    if (field.tagName === 'SELECT') {
      const options = Array.from(field.options)
      const initial = options.findIndex(option => option.defaultSelected)
      if (field.selectedIndex !== (initial === -1 ? 0 : initial)) return true
    } else if (field.type === 'checkbox' || field.type === 'radio') {
      if (field.checked !== field.defaultChecked) return true
    } else if (field.value !== field.defaultValue) {
      return true
    }
  }
  return false
}

/** The person is typing in `el`, or has changed a field in it that is not saved yet. */
export function isBusy (el) {
  if (!el || el.nodeType !== 1) return false
  const active = document.activeElement
  if (active && el.contains(active) && isTextEntry(active)) return true
  return isDirty(el)
}

/** Mark a form's current values as its saved values (so it is no longer "busy"). */
export function markClean (form) {
  for (const field of fieldsOf(form)) {
    if (field.tagName === 'SELECT') {
      for (const option of field.options) option.defaultSelected = option.selected
    } else if (field.type === 'checkbox' || field.type === 'radio') {
      field.defaultChecked = field.checked
    } else if (field.type !== 'hidden') {
      field.defaultValue = field.value
    }
  }
}

function keyOf (node) {
  return node.nodeType === 1 && node.id ? node.id : null
}

function sameKind (a, b) {
  return a.nodeType === b.nodeType && (a.nodeType !== 1 || a.tagName === b.tagName)
}

function skipped (node) {
  return node.nodeType === 1 && node.dataset && node.dataset.morph === SKIP
}

// ---------------------------------------------------------------- focus

function focusPath (el) {
  const anchor = el.closest('[id]')
  if (!anchor) return null
  const focusables = Array.from(anchor.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]'))
  return { anchor: anchor.id, index: focusables.indexOf(el), self: anchor === el }
}

/** Ids of the element's ancestors, nearest first: where to look for focus if the element goes. */
function regionsOf (el) {
  const ids = []
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    if (node.id) ids.push(node.id)
  }
  return ids
}

function shown (el) {
  return !el.closest('[hidden]') && el.getClientRects().length > 0
}

function firstFocusable (region) {
  const candidates = region.querySelectorAll('a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary')
  return Array.from(candidates).find(shown) || null
}

function saveFocus () {
  const el = document.activeElement
  if (!el || el === document.body) return null
  const saved = { el, id: el.id, path: focusPath(el), regions: regionsOf(el) }
  if (isTextEntry(el) && typeof el.selectionStart === 'number') {
    saved.start = el.selectionStart
    saved.end = el.selectionEnd
  }
  return saved
}

function restoreFocus (saved) {
  if (!saved || document.activeElement === saved.el) return
  let target = document.contains(saved.el) ? saved.el : null
  if (!target && saved.id) target = document.getElementById(saved.id)
  if (!target && saved.path) {
    const anchor = document.getElementById(saved.path.anchor)
    if (anchor && saved.path.self) target = anchor
    else if (anchor && saved.path.index >= 0) {
      target = anchor.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')[saved.path.index]
    }
  }
  if (!target && saved.regions) {
    // What had the focus is gone (the chair's Start button gives way to Next, a form to what it
    // recorded): keep the keyboard where it was, on the first control of the nearest region left.
    for (const id of saved.regions) {
      const region = document.getElementById(id)
      if (!region || !shown(region)) continue
      target = firstFocusable(region)
      if (target) break
    }
  }
  if (!target || target.closest('[hidden]')) return
  target.focus({ preventScroll: true })
  if (target === saved.el && typeof saved.start === 'number') {
    try { target.setSelectionRange(saved.start, saved.end) } catch (error) { /* not a text field */ }
  }
}

// ---------------------------------------------------------------- patching

function syncAttributes (live, fresh) {
  if (live.hasAttribute('data-js-error')) return // decorated with an error message by the script
  for (const { name } of Array.from(live.attributes)) {
    if (!fresh.hasAttribute(name) && name !== 'open') live.removeAttribute(name)
  }
  for (const { name, value } of Array.from(fresh.attributes)) {
    if (name === 'open') continue
    if (live.getAttribute(name) !== value) live.setAttribute(name, value)
  }
}

function patchNode (live, fresh, hooks) {
  if (live.nodeType !== 1 || fresh.nodeType !== 1) {
    if (live.nodeType === fresh.nodeType) {
      if (live.nodeValue !== fresh.nodeValue) live.nodeValue = fresh.nodeValue
      return live
    }
    return document.importNode(fresh, true)
  }
  if (skipped(live)) return live
  if (live.isEqualNode(fresh)) return live
  const busy = isBusy(live)
  // The script's own regions inside must survive, so such an element is patched, not replaced.
  const holdsScriptRegions = live.querySelector('[data-morph="skip"]') !== null
  if (!busy && (!holdsScriptRegions || live.tagName !== fresh.tagName)) return document.importNode(fresh, true)
  if (busy && (live.tagName === 'FORM' || live.matches('input, textarea, select') || live.tagName !== fresh.tagName)) {
    if (hooks.kept) hooks.kept(live, fresh)
    return live
  }
  syncAttributes(live, fresh)
  patchChildren(live, fresh, hooks)
  return live
}

function patchChildren (live, fresh, hooks) {
  const before = Array.from(live.childNodes)
  const byKey = new Map()
  const unkeyed = []
  for (const node of before) {
    const key = keyOf(node)
    if (key) byKey.set(key, node)
    else unkeyed.push(node)
  }
  const used = new Set()
  const result = []
  let cursor = 0
  for (const node of Array.from(fresh.childNodes)) {
    const key = keyOf(node)
    let match = null
    if (key) {
      match = byKey.get(key) || null
    } else {
      let look = cursor
      while (look < unkeyed.length && !sameKind(unkeyed[look], node)) look++
      if (look < unkeyed.length) {
        match = unkeyed[look]
        cursor = look + 1
      }
    }
    if (match && !used.has(match)) {
      used.add(match)
      result.push(patchNode(match, node, hooks))
    } else {
      result.push(document.importNode(node, true))
    }
  }
  // What the person is busy in stays, even if the fresh page no longer has it (a card removed
  // while they were changing it): their typing is theirs. So do the script's own messages.
  before.forEach((node, index) => {
    if (used.has(node)) return
    if (skipped(node) || (node.nodeType === 1 && isBusy(node))) {
      if (hooks.orphan && !skipped(node)) hooks.orphan(node)
      result.splice(Math.min(index, result.length), 0, node)
    }
  })
  const keep = new Set(result)
  for (const node of Array.from(live.childNodes)) {
    if (!keep.has(node)) node.remove()
  }
  result.forEach((node, index) => {
    if (live.childNodes[index] !== node) live.insertBefore(node, live.childNodes[index] || null)
  })
}

/**
 * Patch `live` (in the document) to look like `fresh` (from a parsed copy of the page).
 * hooks.kept(liveForm, freshForm): a busy form was kept as it is.
 * hooks.orphan(node): a busy element has gone from the fresh page and was kept.
 */
export function patch (live, fresh, hooks = {}) {
  const focus = saveFocus()
  // Keep disclosure widgets as the person left them: compare like with like.
  for (const details of fresh.querySelectorAll('details[id]')) {
    const current = document.getElementById(details.id)
    if (current) details.open = current.open
  }
  syncAttributes(live, fresh)
  patchChildren(live, fresh, hooks)
  restoreFocus(focus)
}
