// qualispec docs — the side menu of every page, written here from window.QUALISPEC_MENU (above, in this same
// file) into <nav id="menu">: the campaigns of each scheme, and under the page's campaign its fiches and pages.
// One file for the whole site, so that a new title or campaign rewrites this file, not every page. Loaded by a
// plain <script src> right after the <nav>, so that it works from file:// (no fetch) and the menu is there
// before the page is shown. Without JavaScript, the <nav> links the home page, which lists every campaign.
(function () {
  "use strict";
  var nav = document.getElementById("menu");
  var schemes = window.QUALISPEC_MENU;
  if (!nav || !schemes) { return; }
  var root = document.body.getAttribute("data-root") || "";
  var current = nav.getAttribute("data-campaign") || "";
  var here = nav.getAttribute("data-fiche") || "";
  function item(words, url, className) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + url;
    a.textContent = words;
    if (className) { li.className = className; }
    li.appendChild(a);
    return li;
  }
  function sub(c) {
    var ul = document.createElement("ul");
    ul.className = "sub";
    if (c.fiches) {
      c.fiches.forEach(function (f) { ul.appendChild(item(f[1], f[2], f[0] === here ? "here" : "")); });
    } else {
      if (here) { ul.appendChild(item(here, c.name + "/fiches/" + here + ".html", "here")); }
      ul.appendChild(item("Les " + c.count + " fiches de la campagne", c.url, ""));
    }
    c.pages.forEach(function (p) { ul.appendChild(item(p[0], p[1], "")); });
    return ul;
  }
  var menu = document.createDocumentFragment();
  schemes.forEach(function (scheme) {
    var h2 = document.createElement("h2");
    h2.textContent = scheme[0];
    var ul = document.createElement("ul");
    scheme[1].forEach(function (c) {
      var li = item(c.label, c.url, c.name === current ? "current" : "");
      if (c.name === current) { li.appendChild(sub(c)); }
      ul.appendChild(li);
    });
    menu.appendChild(h2);
    menu.appendChild(ul);
  });
  nav.textContent = "";
  nav.appendChild(menu);
})();
