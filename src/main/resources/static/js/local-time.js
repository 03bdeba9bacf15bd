// The server renders instants as ISO-8601 UTC; show them in the reader's own zone instead.
document.querySelectorAll('time[datetime]').forEach(function (el) {
  var date = new Date(el.dateTime);
  if (!isNaN(date.getTime())) {
    el.title = el.dateTime;
    el.textContent = date.toLocaleString();
  }
});
