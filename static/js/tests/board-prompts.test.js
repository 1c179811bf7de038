import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { announcement, compile, findPrompts, quotedSpans, standing } from '../board-prompts.js'

const read = path => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'))
const { cases } = read('./plain-language-cases.json')
const { phrases } = read('../../../supervision/domain/plain_language.json')
const listed = compile(phrases)

test('the browser finds what the server finds, on the shared table of sentences', () => {
  for (const { why, text, found } of cases) {
    assert.deepEqual(findPrompts(listed, text).map(prompt => prompt.phrase.key), found, why)
  }
})

test('every listed form is found as written, and never between quotation marks', () => {
  for (const phrase of phrases) {
    const alone = compile([phrase])
    for (const form of phrase.forms) {
      assert.deepEqual(findPrompts(alone, `We noted ${form} today.`).map(p => p.phrase.key), [phrase.key], form)
      assert.deepEqual(findPrompts(alone, `Mia said "${form}" today.`), [], form)
    }
  }
})

test('a prompt keeps the words as typed, and where they are', () => {
  const text = 'On Monday Mia\nFailed to  engage.'
  const [prompt] = findPrompts(listed, text)
  assert.equal(prompt.found, 'Failed to  engage')
  assert.equal(text.slice(prompt.start, prompt.end), prompt.found)
})

test('standing: each phrase once, dismissed ones left out', () => {
  const text = 'Chaotic. Still chaotic, and the CP plan.'
  assert.deepEqual(standing(listed, text).map(p => p.phrase.key), ['chaotic', 'cp'])
  assert.deepEqual(standing(listed, text, new Set(['chaotic'])).map(p => p.phrase.key), ['cp'])
})

test('quotations: straight, curly, and apostrophes that are not quotes', () => {
  assert.deepEqual(quotedSpans('a "b" c'), [[2, 5]])
  assert.deepEqual(quotedSpans('Mia\u2019s word: \u2018no\u2019'), [[12, 16]])
  assert.deepEqual(quotedSpans("Mia's and Liam's"), [])
})

test('what is announced names the phrase, why and what instead', () => {
  const [prompt] = findPrompts(listed, 'She is non-compliant.')
  const said = announcement(prompt)
  assert.match(said, /"non-compliant"/)
  assert.ok(said.includes(prompt.phrase.why) && said.includes(prompt.phrase.instead))
})
