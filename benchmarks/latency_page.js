// Measuring aid for benchmarks/browser_latency.py, added to every page before the page's own scripts.
//
// Times are performance.timeOrigin + performance.now(): milliseconds since the epoch, on the
// machine's clock, in every page alike. Nothing here reads the board's own code: forms are found
// by their data-change attribute and hidden fields, and a change counts as shown when a marker
// (a text, an element id) is in the page and rendered visible.
(() => {
  const now = () => performance.timeOrigin + performance.now()
  const L = window.__latency = { now, sends: [], watches: {}, arrivals: [] }

  // The acknowledgement of each `change` this page sends, from the Socket.IO client the page
  // loads as a global (used for autosaved notes: their latency runs from the save's ack).
  let io
  try {
    Object.defineProperty(window, 'io', {
      configurable: true,
      enumerable: true,
      get () { return io },
      set (value) { io = value; try { hook(value) } catch (error) { /* measured without acks */ } }
    })
  } catch (error) { /* measured without acks */ }

  function hook (client) {
    const proto = client && client.Socket && client.Socket.prototype
    if (!proto || proto.__latencyHooked) return
    proto.__latencyHooked = true
    const emit = proto.emit
    proto.emit = function (name, ...args) {
      if (name === 'change' && typeof args[args.length - 1] === 'function') {
        const payload = args[0] || {}
        const record = { type: payload.type, data: payload.data || {}, sent: now(), acked: null }
        L.sends.push(record)
        const callback = args[args.length - 1]
        args[args.length - 1] = function (...answer) { record.acked = now(); return callback.apply(this, answer) }
      }
      return emit.call(this, name, ...args)
    }
    // When each board event reaches this page, before the page draws it.
    const onevent = proto.onevent
    if (typeof onevent === 'function') {
      proto.onevent = function (packet) {
        if (packet && Array.isArray(packet.data) && packet.data[0] === 'board:event') L.arrivals.push(now())
        return onevent.call(this, packet)
      }
    }
  }

  const visible = el => Boolean(el) && el.isConnected &&
    (el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : el.getClientRects().length > 0)

  /** Some text node or text box holding `text` is rendered visible. */
  function hasText (text) {
    const body = document.body
    if (!body) return false
    if (body.textContent.includes(text)) {
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.data.includes(text) && visible(node.parentElement)) return true
      }
    }
    for (const box of document.querySelectorAll('textarea')) {
      if (box.value.includes(text) && visible(box)) return true
    }
    return false
  }

  const byIds = ids => ids.map(id => document.getElementById(id)).filter(visible)
  const bodyText = () => (document.body ? document.body.innerText : '')
  const presenceList = () => document.querySelector('[data-presence-list]') || document.getElementById('board-presence')

  // Markers, by name. Each answers "does this page now show the change?".
  L.markers = {
    text: ({ text }) => hasText(text),
    noText: ({ text }) => document.body !== null && !hasText(text),
    gone: ({ ids }) => byIds(ids).length === 0,
    label: ({ ids, label }) => byIds(ids).some(el => el.textContent.includes(label)),
    accepted: ({ id }) => byIds([`action-${id}`]).some(el => !el.textContent.includes('Proposed by')),
    proposedCount: ({ count, gone }) => {
      const match = bodyText().match(/(\d+) proposed actions? waiting/)
      return (match ? Number(match[1]) : 0) === count && (!gone || byIds(gone).length === 0)
    },
    familyCount: ({ count }) => new RegExp(`Family \\d+ of ${count}\\b`).test(bodyText()),
    present: ({ name }) => { const list = presenceList(); return visible(list) && list.textContent.includes(name) },
    absent: ({ name }) => { const list = presenceList(); return visible(list) && !list.textContent.includes(name) },
    // The sender's own notes status reading "Saved…" again after typing (when acks cannot be read).
    savedAgain: (state) => {
      const status = document.querySelector('[data-notes-status]')
      const saved = Boolean(status) && status.textContent.trim().startsWith('Saved')
      if (!saved) state.typed = true
      return Boolean(state.typed) && saved
    }
  }

  /** Start watching for a marker; the time it first holds is kept under `key`. */
  L.watch = (key, marker, args, timeout) => {
    const test = L.markers[marker]
    const entry = L.watches[key] = { at: null, done: false }
    let observer = null
    let timer = null
    const finish = () => {
      entry.done = true
      if (observer) observer.disconnect()
      if (timer) clearTimeout(timer)
    }
    const check = () => {
      if (entry.done) return
      let held = false
      try { held = test(args) } catch (error) { held = false }
      if (held) { entry.at = now(); finish() }
    }
    observer = new MutationObserver(check)
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true })
    timer = setTimeout(finish, timeout)
    check()
    return entry.done && entry.at !== null
  }

  /** Find a board form by its change type and the values of some of its fields ('#': its id). */
  L.form = (type, match) => [...document.querySelectorAll(`form[data-change="${type}"]`)].find(form =>
    Object.entries(match || {}).every(([name, value]) => {
      if (name === '#') return form.id === value
      const field = form.elements[name]
      return field && String(field.value) === String(value)
    }))

  /** Open a card's forms as its author does, by following its "Change or remove" link. */
  L.openCard = (cardId) => {
    const link = document.getElementById(`change-card-${cardId}`)
    if (link && !L.form('edit_card', { card_id: cardId })) link.click()
  }

  /** Fill a board form and submit it as its button would; returns the moment of the submit. */
  L.submit = (type, match, fields, submitter) => {
    if (match && match.card_id !== undefined) L.openCard(match.card_id)
    const form = L.form(type, match)
    if (!form) throw new Error(`no ${type} form matching ${JSON.stringify(match)}`)
    for (const [name, value] of Object.entries(fields || {})) {
      const field = form.elements[name]
      if (!field) throw new Error(`the ${type} form has no field ${name}`)
      if (typeof RadioNodeList !== 'undefined' && field instanceof RadioNodeList) {
        for (const radio of field) radio.checked = radio.value === value
      } else if (field.tagName === 'SELECT' && value === '*first') {
        field.value = [...field.options].find(option => option.value).value
      } else {
        field.value = value
      }
      const target = field instanceof Element ? field : field[0]
      if (target) target.dispatchEvent(new Event('input', { bubbles: true }))
    }
    const button = submitter
      ? [...form.querySelectorAll('button')].find(b => b.value === submitter)
      : undefined
    const at = now()
    form.requestSubmit(button)
    return at
  }

  /** Type into a text box as a person would (the notes autosave on input). */
  L.type = (type, match, text) => {
    const form = L.form(type, match)
    if (!form) throw new Error(`no ${type} form matching ${JSON.stringify(match)}`)
    const box = form.elements.text
    box.value = `${box.value} ${text}`.trim()
    box.dispatchEvent(new Event('input', { bubbles: true }))
    return now()
  }

  /** The id of the element with id prefix `prefix` that holds `text` (a card, an action). */
  L.idOf = (prefix, text) => {
    const el = [...document.querySelectorAll(`[id^="${prefix}"]`)].find(e => e.textContent.includes(text))
    return el ? el.id.slice(prefix.length) : null
  }
})()
