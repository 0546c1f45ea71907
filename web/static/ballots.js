// The sitting console's ballot form, quicker with JavaScript. Without it the form works as it is: the "all
// registered for" and "did not vote" links reload it preset, and the outcome is computed when the vote is recorded.
// With it those links set the ballots on the page at once, and the count of the ballots ticked so far, against the
// votes "for" needed, is read out as the ballots change, before anything is recorded. The server still checks
// everything; this script only saves the secretary round trips.
(function () {
  "use strict";
  var form = document.querySelector("form[data-ballots]");
  var tally = document.getElementById("tally");
  if (!form || !tally) {
    return;
  }
  var required = parseInt(form.getAttribute("data-required"), 10);

  function count() {
    var counts = { for: 0, against: 0, abstain: 0, not_voted: 0 };
    form.querySelectorAll("fieldset.choices input[type=radio]:checked").forEach(function (radio) {
      if (Object.prototype.hasOwnProperty.call(counts, radio.value)) {
        counts[radio.value] += 1;
      }
    });
    return counts;
  }

  function show() {
    var counts = count();
    var outcome = tally.getAttribute(counts["for"] >= required ? "data-enough" : "data-short");
    tally.textContent = tally
      .getAttribute("data-template")
      .replace("{for}", counts["for"])
      .replace("{against}", counts.against)
      .replace("{abstain}", counts.abstain)
      .replace("{not_voted}", counts.not_voted)
      .replace("{required}", required)
      .replace("{outcome}", outcome);
  }

  document.querySelectorAll("a[data-preset]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var choice = link.getAttribute("data-preset");
      form.querySelectorAll("fieldset.choices").forEach(function (choices) {
        var radio = choices.querySelector('input[type=radio][value="' + choice + '"]');
        if (radio) {
          radio.checked = true;
        }
      });
      show();
    });
  });
  form.addEventListener("change", show);
  tally.hidden = false;
  show();
})();
