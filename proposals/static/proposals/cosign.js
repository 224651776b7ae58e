// The co-sign picker: as the lead types, the server's search (scoped to the proposal's
// committee) replaces the list of candidates. Without this script the search form still works:
// it reloads the page with the same list.
(function () {
  "use strict";
  var input = document.querySelector("[data-cosign-search]");
  var list = document.querySelector("[data-cosign-list]");
  if (!input || !list) {
    return;
  }
  var timer = null;
  var latest = 0;
  function search() {
    var query = input.value.trim();
    var asked = ++latest;
    if (!query) {
      list.innerHTML = "";
      return;
    }
    fetch(input.dataset.cosignSearch + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      if (asked === latest) {  // an older answer arriving late does not overwrite a newer one
        list.innerHTML = html;
      }
    });
  }
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
})();
