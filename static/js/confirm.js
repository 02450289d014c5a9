// Actions that cannot be undone ask first and say what will happen: a submit button (or its
// form) with data-confirm="…" shows that text; "Hủy" leaves everything as it was.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
