import { initAll } from '/static/vendor/govuk/govuk-frontend.min.js'
initAll()

// A table wider than the screen scrolls inside its own box (.app-table-wrap), so the page itself
// never scrolls sideways. While it does, the box is a named region in the Tab order, so keyboard
// users can scroll it too; when the table fits, it is just a table.
function markScrollingTables () {
  for (const wrap of document.querySelectorAll('[data-table-wrap]')) {
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1
    if (scrolls) {
      const caption = wrap.querySelector('caption')
      wrap.setAttribute('tabindex', '0')
      wrap.setAttribute('role', 'region')
      wrap.setAttribute('aria-label', `${caption ? caption.textContent.trim() : 'Table'} (scrolls sideways)`)
    } else if (wrap.hasAttribute('tabindex')) {
      wrap.removeAttribute('tabindex')
      wrap.removeAttribute('role')
      wrap.removeAttribute('aria-label')
    }
  }
}
markScrollingTables()
let resizing = null
window.addEventListener('resize', () => {
  window.clearTimeout(resizing)
  resizing = window.setTimeout(markScrollingTables, 150)
})
