// What this viewer may use, applied to the regions the server renders for everyone.
//
// A region arrives with every control in it, each marked with what it needs: data-needs holds
// words that must all be true of the viewer ("sign_off"-style permissions, "runs_room", and
// "!word" for their absence); data-needs-author="12" also lets that card's author use it. The
// server checks every change again: this only keeps the page free of controls a person cannot use.

export function allowed (needs, authorId, you) {
  if (authorId !== undefined && authorId !== null && authorId !== '' && Number(authorId) === you.user_id) return true
  return String(needs || '').split(/\s+/).filter(Boolean).every(word => {
    const negated = word.startsWith('!')
    const name = negated ? word.slice(1) : word
    const has = name === 'runs_room' ? Boolean(you.runs_room) : you.permissions.includes(name)
    return negated ? !has : has
  })
}

/** Remove from `root` (a fresh region, or a whole page) what this viewer may not use; mark their own cards. */
export function applyViewer (root, you) {
  const nodes = root.matches && root.matches('[data-needs]') ? [root] : []
  nodes.push(...root.querySelectorAll('[data-needs]'))
  for (const el of nodes) {
    if (!allowed(el.getAttribute('data-needs'), el.getAttribute('data-needs-author'), you)) el.remove()
  }
  for (const el of root.querySelectorAll('[data-you-for]')) {
    el.hidden = Number(el.getAttribute('data-you-for')) !== you.user_id
  }
  const cards = root.matches && root.matches('.app-card[data-author-id]') ? [root] : []
  cards.push(...root.querySelectorAll('.app-card[data-author-id]'))
  for (const el of cards) el.classList.toggle('app-card--yours', Number(el.getAttribute('data-author-id')) === you.user_id)
}
