// Building small pieces of the page in the browser (messages, the feed, the waiting list).

/** The event a board form sends when the page clears it (sent, or kept to send while offline). */
export const CLEARED = 'board:cleared'

export function h (tag, attributes = {}, ...children) {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue
    if (name === 'text') el.textContent = value
    else el.setAttribute(name, value === true ? '' : value)
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) el.append(child)
  }
  return el
}
