// Runs before the page is painted so that GOV.UK Frontend styles for JavaScript apply at once.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
