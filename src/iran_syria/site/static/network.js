/* The network chart's day control: show the relations active on the chosen day and the actors
   that existed that day and take part in one of them. Dates are ISO strings, which compare in
   calendar order; an empty end is open (ongoing, or not known to have ended). */
(function () {
  "use strict";
  var svg = document.getElementById("network");
  var input = document.getElementById("network-day");
  var all = document.getElementById("network-all");
  var status = document.getElementById("network-status");
  if (!svg || !input) return;
  var lines = Array.prototype.slice.call(svg.querySelectorAll("line[data-start]"));
  var nodes = Array.prototype.slice.call(svg.querySelectorAll("a[data-id]"));

  function within(element, day) {
    var start = element.getAttribute("data-start"), end = element.getAttribute("data-end");
    return (!start || start <= day) && (!end || day <= end);
  }

  function show(day) {
    var touched = {};
    var shownLines = 0;
    lines.forEach(function (line) {
      var on = !day || within(line, day);
      line.style.display = on ? "" : "none";
      if (on) {
        shownLines += 1;
        touched[line.getAttribute("data-source")] = true;
        touched[line.getAttribute("data-target")] = true;
      }
    });
    var shownNodes = 0;
    nodes.forEach(function (node) {
      var on = !day || (within(node, day) && touched[node.getAttribute("data-id")]);
      node.style.display = on ? "" : "none";
      if (on) shownNodes += 1;
    });
    status.textContent = day ?
      shownLines + " relations active on " + day + ", between " + shownNodes + " actors." :
      "Every relation is shown (" + lines.length + ").";
  }

  input.addEventListener("change", function () { show(input.value); });
  input.addEventListener("input", function () { if (input.value) show(input.value); });
  all.addEventListener("click", function () { input.value = ""; show(""); });
  show(input.value);
})();
