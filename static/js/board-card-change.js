// A card's forms (change its text, or remove it), opened beside the card when its "Change or
// remove" link is followed. The page holds them once, as a template, and fills them from what the
// board holds about the card, instead of writing two forms into each of hundreds of cards. Without
// the script the link goes to the card's own page, which has the same forms.
//
// Open, they are the page's own (data-morph="skip"): a fresh copy of the card from the server keeps
// them while the person is writing in them, and closes them otherwise. Closed, the link is back.
import { isBusy } from './board-busy.js'

/** The template's markup made the card's own: its ids and the agenda item it belongs to. */
export function cardChangeMarkup (templateHtml, card) {
  return templateHtml.replaceAll('__CARD__', String(Number(card.id))).replaceAll('__ITEM__', String(Number(card.item_id)))
}

/** The adults a perspective may be about, as the select lists them. */
export function adultChoices (adults) {
  return (adults || []).map(adult => [String(adult.id), `${adult.first_name} (${adult.relationship})`])
}

function choose (select, value) {
  const wanted = value === null || value === undefined ? '' : String(value)
  for (const option of select.options) {
    option.selected = option.value === wanted
    option.defaultSelected = option.selected
  }
}

export function installCardChange (S) {
  /** The card's forms, filled and ready to go beside it; null if the page has no template. */
  function build (card) {
    const template = document.getElementById('card-change-template')
    if (!template) return null
    const holder = document.createElement('template')
    holder.innerHTML = cardChangeMarkup(template.innerHTML, card).trim()
    const details = holder.content.firstElementChild
    details.querySelector('.govuk-details__summary .govuk-visually-hidden').textContent = ` the card by ${card.author_name}`
    details.querySelectorAll('input[name="client_change_id"], input[name="_follow"]').forEach(el => el.remove())
    details.querySelectorAll('input[name="csrf_token"]').forEach(input => { input.value = S.csrf })
    details.querySelectorAll('input[name="_stage"]').forEach(input => { input.value = card.stage })
    details.querySelectorAll('input[name="version"]').forEach(input => { input.value = card.version })
    const text = details.querySelector('textarea[name="text"]')
    text.textContent = card.text // its saved value too, so the form is not "busy" until typed in
    const perspective = details.querySelector('[data-perspective-only]')
    if (card.stage !== 'perspectives') {
      if (perspective) perspective.remove()
    } else if (perspective) {
      const item = S.state.item[String(card.item_id)]
      const family = item && S.boot.context.families[String(item.family_id)]
      const adults = perspective.querySelector('select[name="adult_id"]')
      for (const [value, label] of adultChoices(family && family.adults)) adults.add(new Option(label, value))
      choose(adults, card.adult_id)
      choose(perspective.querySelector('select[name="stage_of_change"]'), card.stage_of_change)
    }
    return details
  }

  const links = new WeakMap() // open forms -> the link they replaced

  function close (details) {
    const link = links.get(details)
    if (!link || !details.isConnected) return
    const hadFocus = details.contains(document.activeElement) || document.activeElement === document.body
    details.replaceWith(link)
    if (hadFocus) link.querySelector('a').focus()
  }

  /** Before fresh copies of cards are drawn (a card's region, or a whole part of the board holding
   * cards): keep each one's open forms if the person is writing in them, else close them. */
  S.prepareCard = fresh => {
    const cards = fresh.matches('li.app-card') ? [fresh] : fresh.querySelectorAll('li.app-card')
    for (const card of cards) {
      const live = card.id && document.getElementById(card.id)
      const details = live && live.querySelector(':scope > details.app-card__change')
      if (!details) continue
      if (isBusy(details) || details.querySelector('[data-waiting]')) {
        card.querySelectorAll(':scope > .app-card__change').forEach(el => el.remove())
      } else {
        close(details)
      }
    }
  }

  document.addEventListener('click', event => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    const link = event.target.closest('a[data-card-change]')
    const board = document.getElementById('board')
    if (!link || !board || !board.contains(link)) return
    const card = S.state.card[link.dataset.cardChange]
    const details = card && build(card)
    if (!details) return // the card's own page, then
    event.preventDefault()
    const holder = link.closest('.app-card__change')
    details.dataset.morph = 'skip'
    links.set(details, holder)
    details.addEventListener('toggle', () => { if (!details.open) close(details) })
    holder.replaceWith(details)
    details.querySelector('textarea[name="text"]').focus()
  })
}
