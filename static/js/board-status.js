// What the board tells the person besides the board itself: the connection indicator, the feed
// of others' changes (a polite live region), what happened to their own change, changes that
// could not be saved, the timer and who is on the board.
import { connectionText, connectionsText } from './connection-status.js'
import { h } from './board-dom.js'
import { clockTime, parseTime, plural, roomPosition } from './board-text.js'

const ACTIVITY_LIMIT = 8

export function installStatus (S) {
  S.setConnection = (value, detail = '') => {
    S.connection = { value, detail }
    S.renderConnection()
  }

  S.renderConnection = () => {
    const el = document.querySelector('[data-connection-state]')
    if (!el) return
    const text = connectionText(S.connection.value, S.queue.entries.length, S.connection.detail)
    // A status region: only a real change of text is written, so it is not read out again and again.
    if (el.textContent !== text) el.textContent = text
    el.closest('.app-connection').dataset.state = S.connection.value
    renderProblems()
  }

  S.announce = text => {
    const list = document.querySelector('[data-activity]')
    if (!list) return
    const empty = document.querySelector('[data-activity-empty]')
    if (empty) empty.hidden = true
    // The summary first, so a screen reader says what happened before when.
    list.prepend(h('li', {}, h('span', { class: 'app-activity__text', text }), ' ',
      h('span', { class: 'app-activity__time', text: clockTime(Date.now()) })))
    while (list.children.length > ACTIVITY_LIMIT) list.lastElementChild.remove()
  }

  let ownTimer = null
  S.tellOwn = text => {
    const el = document.querySelector('[data-own-status]')
    if (!el) return
    clearTimeout(ownTimer)
    if (el.textContent !== text) {
      el.textContent = text
      return
    }
    // The same words again (a second card added): empty the region first so it is said again.
    el.textContent = ''
    ownTimer = setTimeout(() => { el.textContent = text }, 100)
  }

  function renderProblems () {
    const box = document.getElementById('board-problems')
    if (!box) return
    const pendingOpen = Boolean(document.getElementById('board-pending')?.open)
    const queue = S.queue.entries
    box.replaceChildren()
    if (queue.length && !S.joined) {
      box.append(h('details', { class: 'govuk-details app-pending', id: 'board-pending', open: pendingOpen },
        h('summary', { class: 'govuk-details__summary' },
          h('span', { class: 'govuk-details__summary-text', text: `${plural(queue.length, 'change is', 'changes are')} waiting to be sent` })),
        h('div', { class: 'govuk-details__text' },
          h('p', { class: 'govuk-body-s', text: 'They are kept in this browser and sent in order when the connection is back.' }),
          h('ol', { class: 'govuk-list govuk-list--number govuk-body-s' },
            ...queue.map(entry => h('li', { text: entry.label }))))))
    }
    S.problems.forEach((problem, index) => {
      const dismiss = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary app-button--compact', text: 'Dismiss' })
      dismiss.addEventListener('click', () => { S.problems.splice(index, 1); renderProblems() })
      box.append(h('div', { class: 'app-problem', role: 'alert' },
        h('p', { class: 'govuk-body-s' }, h('strong', { text: `Not saved: ${problem.label}. ` }), problem.message),
        problem.text ? h('p', { class: 'govuk-body-s', text: 'What you wrote, so you can copy it:' }) : null,
        problem.text ? h('p', { class: 'govuk-body-s app-pre-line app-problem__text', text: problem.text }) : null,
        dismiss))
    })
    box.hidden = !box.childElementCount
  }

  S.addProblem = (entry, error) => {
    const data = entry.data || {}
    const text = [data.text, data.decision_text, data.rationale, data.reason].filter(Boolean).join('\n\n')
    S.problems.push({ label: entry.label, message: error.message, text })
    renderProblems()
  }

  S.renderTimer = () => {
    const el = document.getElementById('board-timer')
    if (!el) return
    const room = S.state.room.room
    const item = S.state.item[String(roomPosition(S.state, S.stages).item)]
    if (room.status !== 'live' || !item || !item.started_at) {
      el.hidden = true
      return
    }
    const elapsed = Math.max(0, Math.floor((Date.now() + S.clockOffset - parseTime(item.started_at)) / 60000))
    const over = elapsed - item.minutes_allowed
    el.hidden = false
    el.classList.toggle('app-timer--over', over > 0)
    if (over > 0) {
      el.replaceChildren(h('strong', { text: `${plural(over, 'minute', 'minutes')} over` }),
        ` (${item.minutes_allowed} minutes allowed)`)
      if (!S.overrunTold.has(item.id)) {
        S.overrunTold.add(item.id)
        const family = S.boot.context.families[String(item.family_id)]
        S.announce(`${family ? family.name : 'This family'} has had the ${item.minutes_allowed} minutes allowed.`)
      }
    } else {
      el.textContent = `${elapsed} of ${item.minutes_allowed} minutes used`
    }
  }

  S.renderPresence = people => {
    const list = document.querySelector('[data-presence-list]')
    if (!list) return
    if (!people.length) {
      list.replaceChildren(h('li', { class: 'app-presence__person app-empty', text: 'No one is connected live.' }))
      return
    }
    list.replaceChildren(...people.map(person => {
      const more = connectionsText(person.connections)
      return h('li', { class: 'app-presence__person' },
        h('span', { class: 'app-presence__name', text: person.name }), ' ',
        h('span', { class: 'app-presence__role', text: person.role }),
        more ? ' ' : null, more ? h('span', { class: 'app-presence__connections', text: more }) : null)
    }))
  }
}
