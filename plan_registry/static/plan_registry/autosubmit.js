// Submits a form when one of its fields marked data-autosubmit changes (the fiscal year on the
// report page). A file of its own, as the Content-Security-Policy allows no inline script.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
});
