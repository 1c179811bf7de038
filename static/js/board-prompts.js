// Gentle plain-language prompts beside what people write: after a short pause in typing into a
// card, a note, a decision, an action or a letter, a listed phrase found in the field is shown
// beside it with why it is worth another look and what to say instead. Polite and never
// blocking: the text is saved as typed, each prompt can be dismissed, and it is announced through
// one polite live region without moving focus.
//
// The phrases come from the server (the page's boot data); matching follows
// supervision/domain/plain_language.py, and both are tested on the same table of sentences
// (tests/plain-language-cases.json).
import { CLEARED } from './board-dom.js'

export const PAUSE = 500 // ms without typing before the field is read

const WORD_CHAR = 'A-Za-z0-9_\u00c0-\u024f'
const START = `(?<![${WORD_CHAR}])(?<![${WORD_CHAR}][\\-\u2010\u2011])`
const END = `(?![${WORD_CHAR}])`
const BETWEEN = '[\\s\\-\u2010\u2011\u2013]+'
const PLURAL = '(?:s|es)?'
const QUOTED = new RegExp(
  '"[^"]*"' +
  '|\u201c[^\u201d]*\u201d' +
  `|(?<![${WORD_CHAR}])[\u2018'](?=\\S)[\\s\\S]*?(?<=\\S)[\u2019'](?![${WORD_CHAR}])`, 'g')
const SPLIT = new RegExp(BETWEEN)

function formPattern (form) {
  return form.trim().split(SPLIT).filter(Boolean)
    .map(word => word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join(BETWEEN)
}

/** The regular expression for one listed phrase, as the server builds it. */
export function patternOf (phrase) {
  const forms = [...phrase.forms].sort((a, b) => b.length - a.length).map(formPattern)
  return new RegExp(`${START}(?:${forms.join('|')})${PLURAL}${END}`, phrase.match_case ? 'g' : 'gi')
}

/** Where the text quotes someone, as [start, end] pairs. */
export function quotedSpans (text) {
  return [...text.matchAll(QUOTED)].map(match => [match.index, match.index + match[0].length])
}

/** Ready a list of phrases for matching (patterns built once). */
export function compile (phrases) {
  return (phrases || []).map(phrase => ({ phrase, pattern: patternOf(phrase) }))
}

/** Every listed phrase in the text outside quotations, in the order they appear. */
export function findPrompts (compiled, text) {
  if (!text) return []
  const quoted = quotedSpans(text)
  const found = []
  for (const { phrase, pattern } of compiled) {
    pattern.lastIndex = 0
    for (const match of text.matchAll(pattern)) {
      const start = match.index
      const end = start + match[0].length
      if (!quoted.some(([from, to]) => from <= start && end <= to)) found.push({ phrase, found: match[0], start, end })
    }
  }
  return found.sort((a, b) => a.start - b.start || b.end - a.end)
}

/** The first use of each phrase, leaving out those dismissed for this field. */
export function standing (compiled, text, dismissed = new Set()) {
  const seen = new Set()
  return findPrompts(compiled, text).filter(prompt => {
    const key = prompt.phrase.key
    if (seen.has(key) || dismissed.has(key)) return false
    seen.add(key)
    return true
  })
}

/** What a screen reader hears when a prompt appears. */
export function announcement (prompt) {
  const { why, instead } = prompt.phrase
  return `A thought on wording: "${prompt.found}". ${why} ${instead}`
}

// ------------------------------------------------------------------ the page

const FIELDS = '#board form[data-change] textarea, [data-plain-language] textarea'

export function installPrompts (phrases, { pause = PAUSE } = {}) {
  const compiled = compile(phrases)
  if (!compiled.length) return
  const timers = new WeakMap()
  const dismissed = new WeakMap() // field -> keys dismissed there
  const shown = new WeakMap() // field -> keys shown there, so each is announced once
  const announcer = document.createElement('div')
  announcer.className = 'govuk-visually-hidden'
  announcer.id = 'plain-language-announcer'
  announcer.setAttribute('role', 'status')
  announcer.setAttribute('aria-live', 'polite')
  document.body.appendChild(announcer)

  function boxFor (field, create) {
    const id = `${field.id || field.name}-prompts`
    let box = document.getElementById(id)
    if (!box && create) {
      box = document.createElement('div')
      box.id = id
      box.className = 'app-prompts'
      box.dataset.morph = 'skip'
      box.dataset.promptsFor = field.id
      field.insertAdjacentElement('afterend', box)
    }
    return box
  }

  function check (field) {
    const prompts = standing(compiled, field.value, dismissed.get(field))
    const box = boxFor(field, prompts.length > 0)
    if (!box) return
    // A prompt's Dismiss the keyboard is on goes when the field changes (a form sent is cleared):
    // the keyboard goes back to the field, not to the top of the page.
    const hadFocus = box.contains(document.activeElement)
    if (!prompts.length) {
      box.remove()
      shown.set(field, new Set())
      if (hadFocus) field.focus()
      return
    }
    box.replaceChildren(...prompts.map(prompt => render(prompt, field)))
    if (hadFocus && !box.contains(document.activeElement)) field.focus()
    const before = shown.get(field) || new Set()
    const fresh = prompts.filter(prompt => !before.has(prompt.phrase.key))
    shown.set(field, new Set(prompts.map(prompt => prompt.phrase.key)))
    if (fresh.length) announcer.textContent = fresh.map(announcement).join(' ')
  }

  function render (prompt, field) {
    const { key, label, kind, why, instead } = prompt.phrase
    const item = document.createElement('div')
    item.className = 'app-prompt'
    item.dataset.prompt = key
    const text = document.createElement('p')
    text.className = 'govuk-body-s app-prompt__text'
    const phrase = document.createElement('strong')
    phrase.textContent = `“${prompt.found}”`
    const kindText = document.createElement('span')
    kindText.className = 'app-prompt__kind'
    kindText.textContent = ` (${kind}): `
    text.append(phrase, kindText, why, ' ')
    const better = document.createElement('span')
    better.className = 'app-prompt__instead'
    better.textContent = instead
    text.append(better)
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'govuk-button govuk-button--secondary app-button--compact app-prompt__dismiss'
    button.dataset.dismissPrompt = key
    button.textContent = 'Dismiss'
    const hidden = document.createElement('span')
    hidden.className = 'govuk-visually-hidden'
    hidden.textContent = ` the thought on “${label}”`
    button.append(hidden)
    button.addEventListener('click', () => {
      if (!dismissed.has(field)) dismissed.set(field, new Set())
      dismissed.get(field).add(key)
      check(field)
      field.focus()
    })
    item.append(text, button)
    return item
  }

  function later (field) {
    clearTimeout(timers.get(field))
    timers.set(field, setTimeout(() => check(field), pause))
  }

  document.addEventListener('input', event => {
    const field = event.target
    if (field instanceof window.HTMLTextAreaElement && field.matches(FIELDS)) later(field)
  })
  // A form sent over the socket is cleared without an input event: its prompts go with its text.
  document.addEventListener(CLEARED, event => {
    event.target.querySelectorAll('textarea').forEach(field => {
      if (!field.matches(FIELDS)) return
      clearTimeout(timers.get(field))
      check(field)
    })
  })
}
