// qualispec docs — offline full-text search with MiniSearch (assets/minisearch.js) over the documents of
// window.QUALISPEC_INDEX (assets/search-index.js, a script so that it loads from file://, no fetch).
// Accents and case do not matter (« evaluation » finds « Évaluation »), words may be cut short (« certif »)
// or slightly misspelt; the current campaign of each scheme comes first.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var docs = window.QUALISPEC_INDEX || [];
  var root = document.body.getAttribute("data-root") || "";
  if (!input || !list || typeof MiniSearch === "undefined") { return; }
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var engine = new MiniSearch({
    fields: ["t", "words", "text"],
    storeFields: ["t", "s", "u", "cur"],
    processTerm: function (term) { var t = fold(term); return t.length > 1 ? t : null; },
    searchOptions: {
      boost: { t: 3, words: 2 },
      prefix: true,
      fuzzy: function (term) { return term.length > 4 ? 0.2 : 0; },
      combineWith: "AND",
      boostDocument: function (id, term, stored) { return stored && stored.cur ? 3 : 1; }
    }
  });
  engine.addAll(docs);
  function show() {
    var query = input.value.trim();
    list.textContent = "";
    if (!query) { list.hidden = true; return; }
    var hits = engine.search(query).slice(0, 25);
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "Aucun résultat";
      list.appendChild(none);
    }
    hits.forEach(function (e, n) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + e.u;
      a.textContent = e.t;
      if (n === 0) { a.className = "active"; }
      var s = document.createElement("span");
      s.className = "s";
      s.textContent = e.s;
      a.appendChild(s);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
  }
  input.addEventListener("input", show);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var first = list.querySelector("a");
      if (first) { window.location.href = first.href; }
    } else if (ev.key === "Escape") {
      list.hidden = true;
    }
  });
  document.addEventListener("click", function (ev) {
    if (!list.contains(ev.target) && ev.target !== input) { list.hidden = true; }
  });
})();
