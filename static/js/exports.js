// Export forms (the session page and the exports page): writing a Word record takes a moment, so
// while the request runs the pressed button says "Exporting…" and cannot be pressed again, and a
// status message says which record is being written. Without this script the forms post as usual.
const BUSY_TEXT = 'Exporting…'

function status (form) {
  return form.closest('[data-export-panel]')?.querySelector('[data-export-status]') || null
}

function exportButtons (form) {
  return form.closest('[data-export-panel]')?.querySelectorAll('button[name="record"]') || []
}

document.addEventListener('submit', event => {
  const form = event.target
  if (!(form instanceof window.HTMLFormElement) || !form.hasAttribute('data-export-form')) return
  const panel = form.closest('[data-export-panel]')
  if (panel && panel.dataset.busy) {
    event.preventDefault() // one export at a time
    return
  }
  const button = event.submitter || form.querySelector('button[name="record"]')
  if (!button) return
  if (panel) panel.dataset.busy = 'true'
  // A disabled button is not sent with its form: its value travels in a hidden field instead.
  const carried = document.createElement('input')
  carried.type = 'hidden'
  carried.name = button.name
  carried.value = button.value
  carried.dataset.carried = ''
  form.append(carried)
  button.dataset.idleText = button.textContent.trim()
  button.dataset.exporting = ''
  button.textContent = BUSY_TEXT
  button.setAttribute('aria-disabled', 'true')
  for (const other of exportButtons(form)) other.disabled = true
  button.disabled = true
  const what = button.dataset.idleText.replace(/^Export /, '')
  const message = status(form)
  if (message) message.textContent = `Exporting ${what}…`
})

// Coming back with the browser's Back button: the page may be restored as it was left.
window.addEventListener('pageshow', event => {
  if (!event.persisted) return
  for (const panel of document.querySelectorAll('[data-export-panel]')) {
    delete panel.dataset.busy
    panel.querySelectorAll('input[data-carried]').forEach(el => el.remove())
    for (const button of panel.querySelectorAll('button[name="record"]')) {
      if (button.dataset.idleText) button.textContent = button.dataset.idleText
      delete button.dataset.exporting
      button.removeAttribute('aria-disabled')
      button.disabled = false
    }
    const message = panel.querySelector('[data-export-status]')
    if (message) message.textContent = ''
  }
})
