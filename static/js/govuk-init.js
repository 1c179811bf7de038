import { initAll } from '/static/vendor/govuk/govuk-frontend.min.js'
initAll()
