// Small pure helpers of the live board: ids, times and wording. Tested with `node --test`.

export function newId (crypto = globalThis.crypto) {
  if (crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  bytes[6] = (bytes[6] & 0x0f) | 0x40
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Python writes microseconds; keep milliseconds so every browser reads it. */
export function parseTime (iso) {
  return Date.parse(String(iso).replace(/(\.\d{3})\d+/, '$1'))
}

export function clockTime (ms) {
  const date = new Date(ms)
  const hours = date.getHours()
  return `${hours % 12 || 12}:${String(date.getMinutes()).padStart(2, '0')}${hours < 12 ? 'am' : 'pm'}`
}

export function excerpt (text, length = 60) {
  const flat = String(text || '').replace(/\s+/g, ' ').trim()
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat
}

/** The notes as the server stores them (it trims blank lines and spaces at either end). */
export function cleanText (text) {
  return String(text || '').replace(/\r\n?/g, '\n').replace(/^[\n ]+|[\n ]+$/g, '')
}

export function plural (count, one, many) {
  return count === 1 ? `1 ${one}` : `${count} ${many}`
}

/** Where the room is: its family (the first on the agenda if it has none yet) and stage. */
export function roomPosition (state, stages) {
  const room = state.room.room
  const ids = Object.values(state.item).sort((a, b) => a.position - b.position).map(item => item.id)
  const item = ids.includes(room.current_item_id) ? room.current_item_id : (ids.length ? ids[0] : null)
  return { item, stage: stages.includes(room.current_stage) ? room.current_stage : stages[0] }
}

/** Apply one event's changes to the board's data, as docs/protocol.md describes. */
export function applyChanges (state, changes) {
  for (const change of changes) {
    const bucket = state[change.kind] || (state[change.kind] = {})
    if (change.value === null) delete bucket[change.id]
    else bucket[change.id] = change.value
  }
}
