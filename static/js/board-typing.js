// Who is typing where. While someone types in a board form, their browser tells the others every
// few seconds (the "typing" event); each signal stands for a few seconds unless renewed, and goes
// as soon as that person's change arrives. Shown beside the people on the board, never announced
// to screen readers: the change itself is, when it comes.
export const SEND_EVERY = 3000 // ms between two signals from one form while its person types
export const SHOW_FOR = 6000 // ms a signal stands unless renewed

/** The signals to show now, oldest first: each person once, none of this viewer's own. */
export function standing (signals, now, you) {
  return [...signals.values()].filter(signal => signal.until > now && signal.user_id !== you)
    .sort((a, b) => a.at - b.at)
}

/** Take one signal in: a person's newest signal replaces their last. */
export function receive (signals, signal, now) {
  signals.set(signal.user_id, { ...signal, at: now, until: now + SHOW_FOR })
}

/** Whether a form may send its signal now, and note that it did. */
export function mayTell (lastSent, formId, now) {
  if (now - (lastSent.get(formId) || 0) < SEND_EVERY) return false
  lastSent.set(formId, now)
  return true
}

/** The family discussion and stage a board form sits in, from its fields. */
export function placeOf (form, fallbackStage) {
  const value = name => form.elements.namedItem(name)?.value || ''
  const item = Number(value('item_id') || value('_item'))
  return item ? { item_id: item, stage: value('_stage') || value('stage') || fallbackStage } : null
}

export function installTyping (S) {
  const signals = new Map()
  const lastSent = new Map()
  let timer = null

  function render () {
    const line = document.querySelector('[data-typing]')
    const shown = standing(signals, Date.now(), S.boot.you.user_id)
    if (line) {
      line.textContent = shown.map(signal => signal.summary).join('. ')
      line.hidden = shown.length === 0
    }
    clearTimeout(timer)
    if (shown.length) timer = setTimeout(render, 1000)
  }

  S.typingArrived = signal => {
    if (signal.session_id !== S.sessionId) return
    receive(signals, signal, Date.now())
    render()
  }
  // Their change has arrived: they are no longer typing it.
  S.typingDone = userId => {
    if (signals.delete(userId)) render()
  }

  document.addEventListener('input', event => {
    const form = event.target.closest && event.target.closest('#board form[data-change]')
    if (!form || !S.joined || !mayTell(lastSent, form.id, Date.now())) return
    const place = placeOf(form, S.view.stage)
    if (!place) return
    S.socket.emit('typing', { session_id: S.sessionId, ...place, change: form.dataset.change })
  })
}
