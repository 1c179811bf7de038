// Whether the person is busy in part of the page: typing in a field, or a form changed and not saved.
// Such a part is never replaced by a fresh copy from the server.

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
  const active = el.ownerDocument.activeElement
  if (active && el.contains(active) && isTextEntry(active)) return true
  return isDirty(el)
}

/**
 * The person is in the middle of writing in `el`: a field in it holds something not saved, or the
 * keyboard is in a text box that holds words. An empty box the cursor was left in (after adding a
 * card, say) is not writing: when the room moves on, that person goes with it.
 */
export function isWriting (el) {
  if (!el || el.nodeType !== 1) return false
  const active = el.ownerDocument.activeElement
  if (active && el.contains(active) && isTextEntry(active) && active.tagName !== 'SELECT' &&
      String(active.value).trim() !== '') return true
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
