// Notes, saved as business support types, shown to everyone from each save's event.
// A writer's own typing is never overwritten: a save by someone else meanwhile is a conflict.
import { cleanText, clockTime, excerpt, newId } from './board-text.js'

const NOTES_DELAY = 800

export function installNotes (S) {
  const notes = S.notes.byItem // item id -> { base: version the text in the box builds on, saved: text on the server }
  const timers = S.notes.timers

  function notesForm (item) {
    return document.querySelector(`form[data-change="save_notes"] input[name="item_id"][value="${CSS.escape(String(item))}"]`)?.form || null
  }

  function setStatus (item, text) {
    const form = notesForm(item)
    const el = form && form.querySelector('[data-notes-status]')
    if (el) el.textContent = text
  }

  const pending = item => S.queue.entries.some(entry => entry.type === 'save_notes' && entry.data.item_id === String(item))

  function dropPending (item) {
    S.queue.entries = S.queue.entries.filter(entry => !(entry.type === 'save_notes' && entry.data.item_id === String(item) && !entry.sent))
    S.saveQueue()
  }

  /** Business support is mid-sentence in this family's notes (typed, not saved yet). */
  S.notesBusy = item => {
    const form = notesForm(item)
    if (!form || document.activeElement !== form.elements.text) return false
    const note = notes[String(item)]
    return Boolean(timers[String(item)]) || (note && cleanText(form.elements.text.value) !== cleanText(note.saved))
  }

  S.saveNotes = item => {
    item = String(item)
    clearTimeout(timers[item])
    delete timers[item]
    const form = notesForm(item)
    if (!form) return
    const note = notes[item] || (notes[item] = { base: 0, saved: '' })
    const text = form.elements.text.value
    if (note.conflict) {
      setStatus(item, 'Not saved: choose which version to keep.')
      return
    }
    if (cleanText(text) === cleanText(note.saved) && !pending(item)) {
      setStatus(item, 'Saved')
      return
    }
    const waiting = S.queue.entries.find(entry => entry.type === 'save_notes' && entry.data.item_id === item && !entry.sent)
    if (waiting) {
      waiting.data.text = text // one save carries the latest text
      S.saveQueue()
      S.flush()
    } else {
      S.enqueue({ id: newId(), type: 'save_notes', data: { item_id: item, version: String(note.base), text }, label: `Notes: “${excerpt(text)}”`, formId: form.id, sent: false })
    }
    setStatus(item, S.joined ? 'Saving…' : 'Not saved yet: you are offline. The notes are kept in this browser.')
  }

  /** The version a save builds on, known only when it is about to be sent. */
  S.notesBase = item => notes[item] && notes[item].base

  S.notesSaved = (entry, event) => {
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
    setStatus(item, unsaved || pending(item) ? 'Saving…' : `Saved at ${clockTime(Date.now())}`)
  }

  S.notesRefused = (entry, error) => {
    const item = entry.data.item_id
    const form = notesForm(item)
    if (!form) {
      S.addProblem(entry, error)
      return
    }
    if (error.code === 'conflict' && error.current) {
      notes[item].conflict = error.current
      S.showConflict(form, error.current, entry.data)
      setStatus(item, 'Not saved: choose which version to keep.')
    } else {
      S.showError(form, error, entry.data)
      setStatus(item, 'Not saved.')
      S.addProblem(entry, error)
    }
  }

  S.notesUseTheirs = (item, current) => {
    const note = notes[item]
    note.base = current.version
    note.saved = current.text || ''
    note.conflict = null
    dropPending(item)
    setStatus(item, 'Saved')
  }

  S.notesKeepMine = (item, current) => {
    notes[item].base = current.version
    notes[item].conflict = null
    S.saveNotes(item)
  }

  /** Notes saved by anyone: readers see them at once; a writer's own typing is never overwritten. */
  S.notesArrived = (item, value, ours) => {
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
    const unsaved = cleanText(box.value) !== cleanText(note.saved) || pending(item)
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
      S.showConflict(form, value, { text: box.value }, false)
      setStatus(item, 'Not saved: choose which version to keep.')
    }
  }

  S.startNotes = () => {
    for (const [id, value] of Object.entries(S.state.notes)) notes[id] = { base: value.version, saved: value.text }
    // One listener for every notes box, including those a region brings later.
    document.addEventListener('input', event => {
      const form = event.target.form
      if (!form || form.dataset.change !== 'save_notes' || event.target.name !== 'text') return
      const item = form.elements.item_id.value
      setStatus(item, 'Not saved yet')
      clearTimeout(timers[item])
      timers[item] = setTimeout(() => S.saveNotes(item), NOTES_DELAY)
    })
    // Leaving the page: whatever was typed goes into the queue, which outlives the page.
    window.addEventListener('pagehide', () => {
      Object.keys(timers).forEach(item => {
        clearTimeout(timers[item])
        S.saveNotes(item)
      })
    })
  }
}
