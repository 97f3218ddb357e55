/* Search and filters for the iran-syria site: MiniSearch over window.IRAN_SYRIA_DOCS (from
   search-index.js), with Arabic and Persian letter variants and all diacritics folded so that
   a name matches however it was typed. Without JavaScript the pages still list every record. */
(function () {
  "use strict";

  // Letters that Arabic and Persian write differently, or that sources use interchangeably,
  // folded to one form: Persian yeh, alef maksura -> Arabic yeh; keheh -> kaf; teh marbuta,
  // ae -> heh; alef wasla -> alef. Hamza and madda carriers decompose under NFKD and their
  // marks are dropped with the other combining marks.
  var LETTERS = {
    "\u06CC": "\u064A", "\u0649": "\u064A", "\u06A9": "\u0643", "\u0629": "\u0647",
    "\u06D5": "\u0647", "\u0671": "\u0627", "\u06C1": "\u0647"
  };
  var LETTER_RE = /[\u06CC\u0649\u06A9\u0629\u06D5\u0671\u06C1]/g;
  // Combining marks (Latin accents, Arabic harakat, the dagger alef), tatweel, joiners.
  var MARKS_RE = /[\u0300-\u036F\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200C\u200D]/g;
  var QUOTES_RE = /[\u02BB\u02BC\u02BE\u02BF\u2018\u2019'`]/g;

  function normalise(text) {
    return String(text).normalize("NFKD").replace(MARKS_RE, "").replace(QUOTES_RE, "")
      .replace(LETTER_RE, function (c) { return LETTERS[c]; }).toLowerCase();
  }
  window.iranSyriaNormalise = normalise;

  var index = null;
  function searchIndex() {
    if (index) return index;
    index = new MiniSearch({
      fields: ["n", "a", "d"],
      storeFields: ["n", "t", "u", "s", "y"],
      processTerm: function (term) { var t = normalise(term); return t ? t : null; },
      searchOptions: {
        boost: { n: 3, a: 3 },
        prefix: true,
        fuzzy: function (term) { return term.length > 4 ? 0.2 : false; },
        combineWith: "AND"
      }
    });
    index.addAll(window.IRAN_SYRIA_DOCS || []);
    return index;
  }

  function root() { return document.body.getAttribute("data-root") || ""; }

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  /* The home page: results from every table as the user types. */
  function setUpHome(input) {
    var list = document.getElementById("results");
    var status = document.getElementById("results-status");
    var LIMIT = 25;
    function show() {
      var query = input.value.trim();
      list.textContent = "";
      if (!query) { status.textContent = ""; return; }
      var hits = searchIndex().search(query);
      status.textContent = hits.length + (hits.length === 1 ? " record found" : " records found") +
        (hits.length > LIMIT ? "; the first " + LIMIT + " are shown" : "");
      hits.slice(0, LIMIT).forEach(function (hit) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = root() + hit.u;
        link.textContent = hit.n;
        item.appendChild(link);
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = " " + hit.t.replace(/s$/, "") + (hit.y ? ", " + hit.y : "") +
          (hit.s !== "active" ? ", " + hit.s : "");
        item.appendChild(meta);
        list.appendChild(item);
      });
    }
    input.addEventListener("input", debounce(show, 120));
    var initial = new URLSearchParams(location.search).get("q");
    if (initial) { input.value = initial; show(); }
  }

  /* A table page: search, the events' filters and sort, and paging through the matches. */
  function setUpTable(form) {
    var table = form.getAttribute("data-table");
    var body = document.querySelector("#records tbody");
    var rows = Array.prototype.slice.call(body.rows);
    var status = document.getElementById("status");
    var more = document.getElementById("more");
    var PAGE = 100;
    var limit = PAGE;
    var field = function (name) { return form.elements.namedItem(name); };

    function params() {
      var values = {};
      ["q", "type", "from", "to", "actor", "sort"].forEach(function (name) {
        var element = field(name);
        if (element && element.value) values[name] = element.value.trim();
      });
      return values;
    }

    function apply(resetPage) {
      if (resetPage) limit = PAGE;
      var p = params();
      var found = null;
      if (p.q) {
        found = new Set(searchIndex().search(p.q, {
          filter: function (hit) { return hit.t === table; }
        }).map(function (hit) { return hit.id; }));
      }
      var from = p.from ? parseInt(p.from, 10) : -Infinity;
      var to = p.to ? parseInt(p.to, 10) : Infinity;
      if (table === "events") {
        var order = p.sort === "desc" ? -1 : 1;
        rows.sort(function (a, b) {
          var x = a.dataset.start + a.dataset.id, y = b.dataset.start + b.dataset.id;
          return x < y ? -order : x > y ? order : 0;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      var matching = 0;
      rows.forEach(function (row) {
        var d = row.dataset;
        var ok = (!found || found.has(d.id)) &&
          (!p.type || d.type === p.type) &&
          (!p.actor || (" " + d.actors + " ").indexOf(" " + p.actor + " ") >= 0) &&
          (d.last === undefined || (parseInt(d.last, 10) >= from && parseInt(d.first, 10) <= to));
        if (ok) matching += 1;
        row.hidden = !ok || matching > limit;
      });
      var shown = Math.min(matching, limit);
      status.textContent = (matching === rows.length ? "All " + rows.length + " records" :
        matching + " of " + rows.length + " records match") +
        (shown < matching ? "; showing the first " + shown : "") + ".";
      more.hidden = shown >= matching;
      try {
        var query = new URLSearchParams(p).toString();
        history.replaceState(null, "", query ? "?" + query : location.pathname);
      } catch (error) { /* some browsers refuse this on file:// pages; the filters still work */ }
    }

    var initial = new URLSearchParams(location.search);
    initial.forEach(function (value, name) {
      var element = field(name);
      if (element) element.value = value;
    });
    form.addEventListener("input", debounce(function () { apply(true); }, 120));
    form.addEventListener("change", function () { apply(true); });
    more.addEventListener("click", function () { limit += PAGE; apply(false); });
    apply(true);
  }

  var home = document.getElementById("home-search");
  if (home) setUpHome(home);
  var form = document.querySelector("form.filters[data-table]");
  if (form) setUpTable(form);
})();
