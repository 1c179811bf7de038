// Runs first in <body>: lets GOV.UK Frontend's styles know scripts are running.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
