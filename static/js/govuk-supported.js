// Loaded as a classic script at the very start of <body>, as GOV.UK Frontend's
// template snippet does, so styles for enhanced components apply before paint.
// Kept in a file rather than inline so a strict Content-Security-Policy works.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
