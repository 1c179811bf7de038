// Events in sequence order. Pure, so it is tested with `node --test`.
//
// The server numbers every event of a board. An event that arrives before the one it follows
// waits here; a gap asks the caller to catch up ("sync"). `take` answers the events that can be
// applied now, in order, and whether to ask for what is missing.

export class Sequence {
  constructor (lastSeq) {
    this.last = lastSeq
    this.early = new Map()
  }

  /** An event arrived: the events now ready, in order, and whether there is a gap to fill. */
  take (event) {
    if (event.seq <= this.last) return { ready: [], gap: this.early.size > 0 }
    this.early.set(event.seq, event)
    return this.drain()
  }

  /** Hold an event without applying anything (before the board has joined). */
  hold (event) {
    if (event.seq > this.last) this.early.set(event.seq, event)
  }

  drain () {
    const ready = []
    while (this.early.has(this.last + 1)) {
      const next = this.early.get(this.last + 1)
      this.early.delete(this.last + 1)
      ready.push(next)
      this.last = next.seq
    }
    for (const seq of Array.from(this.early.keys())) if (seq <= this.last) this.early.delete(seq)
    return { ready, gap: this.early.size > 0 }
  }

  /** The board's latest seq (a heartbeat) is past what was applied here: something was missed. */
  behind (lastSeq) {
    return Number.isInteger(lastSeq) && lastSeq > this.last
  }

  /** A snapshot replaced everything up to `lastSeq`. */
  reset (lastSeq) {
    this.last = lastSeq
    for (const seq of Array.from(this.early.keys())) if (seq <= lastSeq) this.early.delete(seq)
  }
}
