/* Progressive enhancement for /report: narrows the site list as you type or choose an organisation.
   Without it, the "Find sites" button does the same on the server. */
(function () {
  'use strict';
  var site = document.getElementById('site');
  var search = document.getElementById('site-search');
  var trust = document.getElementById('trust');
  var status = document.getElementById('site-filter-status');
  if (!site || !search || !trust || !status) return;

  var placeholder = site.options[0];
  var groups = Array.prototype.map.call(site.getElementsByTagName('optgroup'), function (g) {
    return { label: g.label, options: Array.prototype.slice.call(g.getElementsByTagName('option')) };
  });

  function apply() {
    var q = search.value.trim().toLowerCase();
    var t = trust.value;
    var current = site.value;
    var shown = 0;
    site.textContent = '';
    site.appendChild(placeholder);
    groups.forEach(function (g) {
      var group = null;
      g.options.forEach(function (o) {
        var match =
          (!t || o.getAttribute('data-trust') === t) &&
          (!q || (o.getAttribute('data-search') || '').indexOf(q) !== -1);
        if (!match && o.value !== current) return;
        if (!group) {
          group = document.createElement('optgroup');
          group.label = g.label;
          site.appendChild(group);
        }
        group.appendChild(o);
        if (match) shown += 1;
      });
    });
    site.value = current;
    status.textContent =
      shown === 0 ? 'No sites match' : shown + (shown === 1 ? ' site matches' : ' sites match');
  }

  var timer = null;
  search.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 300);
  });
  trust.addEventListener('change', apply);
})();
