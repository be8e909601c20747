// qualispec docs — offline search over window.QUALISPEC_INDEX (assets/search-index.js), no fetch.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var index = window.QUALISPEC_INDEX || [];
  var root = document.body.getAttribute("data-root") || "";
  if (!input || !list) { return; }
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function search(query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    if (!terms.length) { return []; }
    var found = [];
    for (var i = 0; i < index.length; i++) {
      var e = index[i];
      var hay = e.k + " " + fold(e.t);
      var ok = true, score = 0;
      for (var j = 0; j < terms.length; j++) {
        var at = hay.indexOf(terms[j]);
        if (at < 0) { ok = false; break; }
        score += at;
      }
      if (ok) { found.push([score, i]); }
    }
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return found.slice(0, 25).map(function (p) { return index[p[1]]; });
  }
  function show() {
    var hits = search(input.value);
    list.textContent = "";
    if (!input.value.trim()) { list.hidden = true; return; }
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
