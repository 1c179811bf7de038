// The letter to the family: the same gentle plain-language prompts as on the board, beside each
// part of the letter as it is written. Without this script the page shows them after saving.
import { installPrompts } from './board-prompts.js'

const data = document.getElementById('letter-data')
if (data) installPrompts(JSON.parse(data.textContent).plain_language)
