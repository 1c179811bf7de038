// Changes sent from this browser: each form becomes a "change" message with an id made here,
// through a queue kept in localStorage. Offline, changes wait there and are sent in order on
// reconnecting (the server applies a resent change once).
import { h } from './board-dom.js'
import { markClean } from './board-busy.js'
import { clearForm, clearMessages, insertTop, refill, setWaiting } from './board-forms.js'
import { newId } from './board-text.js'
import { DONE, describe, formFields } from './board-words.js'

const ACK_TIMEOUT = 10000
const RETRY_AFTER = 3000

export function installQueue (S) {
  const q = S.queue
  const board = () => document.getElementById('board')

  try {
    const stored = JSON.parse(window.localStorage.getItem(q.storageKey) || '[]')
    q.entries = Array.isArray(stored) ? stored.map(entry => ({ ...entry, restored: true })) : []
  } catch (error) {
    q.entries = []
  }
  q.entries.forEach(entry => q.mine.add(entry.id))

  S.saveQueue = () => {
    try {
      window.localStorage.setItem(q.storageKey, JSON.stringify(q.entries))
    } catch (error) {
      // Storage full or disabled: the queue still lives in this page.
    }
    S.renderConnection()
  }

  S.enqueue = entry => {
    q.mine.add(entry.id)
    q.entries.push(entry)
    S.saveQueue()
    S.flush()
  }

  S.flush = async () => {
    if (q.flushing) return
    q.flushing = true
    let stalled = false
    try {
      while (q.entries.length && S.joined && S.socket.connected) {
        const entry = q.entries[0]
        if (!entry.sent) {
          // Notes build on the version the last save made, known only when it is about to be sent.
          if (entry.type === 'save_notes' && !entry.restored && S.notesBase(entry.data.item_id) !== undefined) {
            entry.data.version = String(S.notesBase(entry.data.item_id))
          }
          entry.sent = true
          S.saveQueue()
        }
        let answer
        try {
          answer = await S.socket.timeout(ACK_TIMEOUT).emitWithAck('change', {
            session_id: S.sessionId, type: entry.type, data: entry.data, client_change_id: entry.id
          })
        } catch (error) {
          stalled = true // no answer: keep it; a resend with the same id is applied once
          break
        }
        if (!answer.ok && answer.error.code === 'unauthenticated') {
          S.setConnection('signedout')
          break
        }
        if (!answer.ok && answer.error.code === 'rate_limited') {
          // Nothing was applied: keep it and send it again once the server says to.
          setTimeout(S.flush, 1000 * answer.error.retry_after)
          break
        }
        q.entries.shift()
        S.saveQueue()
        if (answer.ok) accepted(entry, answer)
        else refused(entry, answer.error)
      }
    } finally {
      q.flushing = false
    }
    if (stalled) setTimeout(S.flush, RETRY_AFTER)
  }

  function formOf (entry) {
    const form = entry.formId ? document.getElementById(entry.formId) : null
    return form && form.tagName === 'FORM' ? form : null
  }

  function accepted (entry, answer) {
    if (entry.type === 'save_notes') {
      S.notesSaved(entry, answer.event)
      if (answer.event) S.receive(answer.event)
      return
    }
    const form = formOf(entry)
    if (form) {
      setWaiting(form, false)
      // The version saved is the one the form builds on next (a busy form is not redrawn).
      const value = answer.event && answer.event.changes[0] && answer.event.changes[0].value
      if (form.elements.version && value && value.version !== undefined) form.elements.version.value = value.version
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
    S.tellOwn(DONE[entry.type] || 'Saved.')
    if (answer.event) S.receive(answer.event)
  }

  function refused (entry, error) {
    if (entry.type === 'save_notes') {
      S.notesRefused(entry, error)
      return
    }
    const form = formOf(entry)
    if (!form) {
      S.addProblem(entry, error)
      return
    }
    setWaiting(form, false)
    if (entry.cleared) refill(form, entry.data)
    S.showError(form, error, entry.data)
  }

  /** Cut off mid-send: the change stays queued, so free its form as if it had been made offline. */
  S.releaseWaitingForms = () => {
    for (const entry of q.entries) {
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
    S.saveQueue()
  }

  function formData (form, submitter) {
    let data
    try {
      data = new FormData(form, submitter || undefined)
    } catch (error) {
      data = new FormData(form)
      if (submitter && submitter.name) data.append(submitter.name, submitter.value)
    }
    return formFields(data.entries())
  }

  // The second click of a double click is not a second change: the chair's "Next" moves the room
  // one stage, even when its answer comes back before the second click and relabels the button.
  document.addEventListener('click', event => {
    const button = event.target.closest && event.target.closest('button[type="submit"]')
    if (event.detail > 1 && button && button.form && button.form.dataset.change && board().contains(button)) {
      event.preventDefault()
    }
  }, true)

  document.addEventListener('submit', event => {
    const form = event.target
    if (!(form instanceof window.HTMLFormElement) || !form.dataset.change || !board().contains(form)) return
    event.preventDefault()
    const type = form.dataset.change
    if (type === 'save_notes') {
      S.saveNotes(form.elements.item_id.value)
      return
    }
    if (form.dataset.waiting) return // pressed again while the first is on its way: one change
    const entry = { id: newId(), type, data: formData(form, event.submitter), label: '', formId: form.id, sent: false }
    entry.label = describe(type, entry.data)
    clearMessages(form)
    if (S.joined) {
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
      S.tellOwn(note)
    }
    S.enqueue(entry)
  })
}
