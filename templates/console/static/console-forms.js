// RoseDesk console: the forms' small helpers. Every form works without it; with it, a contact found for a call
// fills the caller in on the spot, and the new-incident form shows the priority as impact and urgency change,
// read from the desk's matrix the page itself shows (the browser holds no matrix of its own).
(function () {
  'use strict';

  function byId(id) {
    return document.getElementById(id);
  }

  // ---- new incident: use a contact from the caller search ----------------------------------------------
  function fill(id, value) {
    var el = byId(id);
    if (el && typeof value === 'string') el.value = value;
  }
  document.addEventListener('click', function (e) {
    var target = e.target instanceof Element ? e.target.closest('[data-pick-caller]') : null;
    if (!target || !byId('caller-name')) return;
    e.preventDefault();
    fill('caller-name', target.getAttribute('data-name'));
    fill('caller-email', target.getAttribute('data-email'));
    fill('caller-phone', target.getAttribute('data-phone'));
    var site = target.getAttribute('data-site');
    var siteInput = byId('site');
    if (site && siteInput && !siteInput.value) siteInput.value = site;
    var said = byId('caller-picked');
    if (said) said.textContent = 'Caller filled in: ' + target.getAttribute('data-name') + '.';
    var next = siteInput && !siteInput.value ? siteInput : byId('summary');
    if (next) next.focus();
  });

  // ---- new incident: the priority from impact × urgency, live -------------------------------------------
  function checked(name) {
    var el = document.querySelector('input[name="' + name + '"]:checked');
    return el ? el.value : null;
  }
  function showPriority() {
    var table = document.querySelector('[data-priority-matrix]');
    var output = document.querySelector('[data-priority-output]');
    if (!table || !output) return;
    var impact = checked('impact');
    var urgency = checked('urgency');
    var cells = table.querySelectorAll('td[data-priority]');
    var found = null;
    for (var i = 0; i < cells.length; i++) {
      var cell = cells[i];
      var match =
        cell.getAttribute('data-impact') === impact && cell.getAttribute('data-urgency') === urgency;
      cell.classList.toggle('is-current', match);
      if (match) found = cell.getAttribute('data-priority');
    }
    output.textContent = '';
    var badge = document.createElement('span');
    if (found) {
      badge.className = 'prio prio-' + found.toLowerCase();
      badge.textContent = found;
    } else {
      badge.className = 'muted';
      badge.textContent = 'choose both';
    }
    output.appendChild(badge);
    var choice = document.querySelector('[data-priority-choice]');
    if (choice && choice.options.length) {
      choice.options[0].textContent = found ? 'As calculated (' + found + ')' : 'As calculated';
    }
  }
  document.addEventListener('change', function (e) {
    var t = e.target;
    if (t && (t.name === 'impact' || t.name === 'urgency')) showPriority();
  });

  function ready() {
    if (document.querySelector('[data-priority-matrix]')) showPriority();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
