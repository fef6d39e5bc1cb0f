// Löftesboken's workspace: the one script, an enhancement only (every page works without it).
// While an activity is typed, say at once whether it names a number or a date, as the
// server says after sending (api/web/workspace/measurable.py holds the same words).
(function () {
  "use strict";
  var words = ("två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton sexton " +
    "sjutton arton nitton tjugo trettio fyrtio femtio sextio sjuttio åttio nittio hundra tusen " +
    "dubbla hälften varje varannan dagligen veckovis månadsvis årligen two three four five six " +
    "seven eight nine ten twelve twenty fifty hundred every weekly monthly januari februari mars " +
    "april maj juni juli augusti september oktober november december january february march may " +
    "june july august october").split(" ");
  function measurable(text) {
    if (/[0-9]/.test(text)) { return true; }
    var found = text.toLowerCase().match(/[a-zåäöé]+/g) || [];
    return found.some(function (w) { return words.indexOf(w) !== -1; });
  }
  function check(field) {
    var warning = document.querySelector('[data-warning-for="' + field.id + '"]');
    if (warning) { warning.hidden = !field.value.trim() || measurable(field.value); }
  }
  document.querySelectorAll("[data-measurable]").forEach(function (field) {
    field.addEventListener("input", function () { check(field); });
  });
}());
