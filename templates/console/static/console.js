// RoseDesk console: the little the pages need a script for. Everything works without it (reading and the
// forms); with it, htmx requests carry the session's form token, SLA countdowns tick, and keys work.
// No inline scripts anywhere: the page's CSP allows same-origin script files only.
(function () {
  'use strict';

  // ---- htmx: every request carries the form token from <meta name="csrf-token"> -------------------------
  document.addEventListener('htmx:config:request', function (evt) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    var ctx = evt.detail && evt.detail.ctx;
    if (meta && ctx && ctx.request && ctx.request.headers) {
      ctx.request.headers['X-CSRF-Token'] = meta.getAttribute('content');
    }
  });

  // After new content arrives (a form's result, an error), move focus to its message so keyboard and
  // screen-reader users land where the change is.
  function focusFirst(root) {
    var target = root && root.querySelector ? root.querySelector('[data-focus-first]') : null;
    if (root && root.matches && root.matches('[data-focus-first]')) target = root;
    if (target) target.focus();
  }
  document.addEventListener('htmx:after:process', function (evt) {
    if (evt.target !== document.body) focusFirst(evt.target);
    // New clocks start counting from when they arrived.
    tick();
  });

  // ---- SLA countdowns -----------------------------------------------------------------------------------
  // Each clock carries the milliseconds to its due time at render; the browser counts from when it first saw
  // it, so the server's and the browser's clocks need not agree.
  var seen = new WeakMap();
  var TONES = ['sla-ok', 'sla-warn75', 'sla-warn90', 'sla-breached', 'sla-paused', 'sla-neutral'];

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }
  function duration(ms) {
    var total = Math.max(0, Math.floor(Math.abs(ms) / 1000));
    var d = Math.floor(total / 86400);
    var h = Math.floor((total % 86400) / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    if (d > 0) return d + ' d ' + h + ' h';
    if (h > 0) return h + ' h ' + pad(m) + ' m';
    if (m > 0) return m + ' m ' + pad(s) + ' s';
    return s + ' s';
  }
  function tick() {
    var now = Date.now();
    var clocks = document.querySelectorAll('[data-countdown]');
    for (var i = 0; i < clocks.length; i++) {
      var el = clocks[i];
      var state = el.getAttribute('data-state');
      if (state !== 'running' && state !== 'breached') continue;
      var start = seen.get(el);
      if (!start) {
        start = { at: now, remaining: Number(el.getAttribute('data-remaining-ms')) || 0 };
        seen.set(el, start);
      }
      var left = start.remaining - (now - start.at);
      var text = el.querySelector('[data-countdown-text]');
      if (state === 'running' && left <= 0) {
        state = 'breached';
        el.setAttribute('data-state', state);
        for (var t = 0; t < TONES.length; t++) el.classList.remove(TONES[t]);
        el.classList.add('sla-breached');
        var tone = el.querySelector('[data-countdown-tone]');
        if (tone) tone.textContent = 'breached';
      }
      if (text) text.textContent = state === 'breached' ? 'overdue ' + duration(left) : duration(left);
    }
  }
  setInterval(tick, 1000);

  // ---- keyboard shortcuts -------------------------------------------------------------------------------
  var pendingG = 0;

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
  }
  function dialog() {
    return document.getElementById('shortcuts');
  }
  function openShortcuts() {
    var d = dialog();
    if (d && !d.open && d.showModal) d.showModal();
  }
  function moveInQueue(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll('[data-row-link]'));
    if (links.length === 0) return;
    var at = links.indexOf(document.activeElement);
    var next =
      at === -1 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
    var rows = document.querySelectorAll('[data-queue-row].is-selected');
    for (var i = 0; i < rows.length; i++) rows[i].classList.remove('is-selected');
    links[next].focus();
    var row = links[next].closest('[data-queue-row]');
    if (row) row.classList.add('is-selected');
    links[next].scrollIntoView({ block: 'nearest' });
  }
  function focusField(selector) {
    var el = document.querySelector(selector);
    if (!el) return false;
    var closed = el.closest('details:not([open])');
    if (closed) closed.open = true;
    el.focus();
    el.scrollIntoView({ block: 'center' });
    return true;
  }

  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e.target)) {
      if (e.key === 'Escape' && e.target.blur) e.target.blur();
      return;
    }
    var key = e.key;
    if (pendingG && Date.now() - pendingG < 1500) {
      pendingG = 0;
      if (key === 'q') {
        e.preventDefault();
        window.location.href = '/console';
        return;
      }
    }
    pendingG = 0;
    switch (key) {
      case '/':
        if (focusField('[data-shortcut-search]')) e.preventDefault();
        break;
      case '?':
        e.preventDefault();
        openShortcuts();
        break;
      case 'j':
        e.preventDefault();
        moveInQueue(1);
        break;
      case 'k':
        e.preventDefault();
        moveInQueue(-1);
        break;
      case 'g':
        pendingG = Date.now();
        break;
      case 'x': {
        var current = document.activeElement && document.activeElement.closest('[data-queue-row]');
        var pick = current ? current.querySelector('[data-bulk-pick]') : null;
        if (pick) {
          e.preventDefault();
          pick.checked = !pick.checked;
          say(pick.checked ? 'Ticked.' : 'Unticked.');
        }
        break;
      }
      case 'b':
        if (focusField('#bulk-action')) e.preventDefault();
        break;
      case 'r':
        if (focusField('[data-shortcut-reply]')) e.preventDefault();
        break;
      case 'n':
        if (focusField('[data-shortcut-note]')) e.preventDefault();
        break;
      case 'e':
        if (focusField('#escalate-supplier')) e.preventDefault();
        break;
      case 'a': {
        var assign = document.querySelector('[data-shortcut-assign-me]');
        if (assign) {
          e.preventDefault();
          assign.click();
        }
        break;
      }
      default:
        break;
    }
  });

  document.addEventListener('click', function (e) {
    var target = e.target instanceof Element ? e.target : null;
    if (!target) return;
    if (target.closest('[data-shortcuts-open]')) openShortcuts();
    if (target.closest('[data-shortcuts-close]')) {
      var d = dialog();
      if (d && d.open) d.close();
    }
  });

  // ---- live updates (server-sent events) ----------------------------------------------------------------
  // The page names its stream in <body data-live>. An `incident` event says which incident changed (null: maybe
  // any): the page reads itself again and swaps its live regions ([data-live-region]), leaving forms and what is
  // typed in them alone. A `presence` event says who else has the incident open and who is typing.
  var reloadTimer = null;
  var reloading = false;
  var reloadAgain = false;

  function say(text) {
    var status = document.getElementById('live-status');
    if (status) status.textContent = text;
  }
  function currentReference() {
    var view = document.querySelector('[data-incident]');
    return view ? view.getAttribute('data-incident') : null;
  }
  function scheduleReload() {
    if (reloadTimer) return;
    reloadTimer = setTimeout(function () {
      reloadTimer = null;
      reload();
    }, 80);
  }
  function reload() {
    if (reloading) {
      reloadAgain = true;
      return;
    }
    if (!document.querySelector('[data-live-region]')) return;
    reloading = true;
    fetch(window.location.href, { credentials: 'same-origin', headers: { 'X-Live-Refresh': 'true' } })
      .then(function (res) {
        return res.ok ? res.text() : null;
      })
      .then(function (html) {
        if (html) swapRegions(new DOMParser().parseFromString(html, 'text/html'));
      })
      .catch(function () {})
      .then(function () {
        reloading = false;
        if (reloadAgain) {
          reloadAgain = false;
          scheduleReload();
        }
      });
  }
  function swapRegions(doc) {
    var regions = document.querySelectorAll('[data-live-region]');
    var active = document.activeElement;
    var activeHref = active && active.getAttribute ? active.getAttribute('href') : null;
    var activeId = active && active.id ? active.id : null;
    var checked = {};
    var boxes = document.querySelectorAll('[data-bulk-pick]:checked');
    for (var b = 0; b < boxes.length; b++) checked[boxes[b].value] = true;
    for (var i = 0; i < regions.length; i++) {
      var region = regions[i];
      var fresh = region.id ? doc.getElementById(region.id) : null;
      if (!fresh) continue;
      var node = document.importNode(fresh, true);
      region.replaceWith(node);
      var picks = node.querySelectorAll('[data-bulk-pick]');
      for (var p = 0; p < picks.length; p++) if (checked[picks[p].value]) picks[p].checked = true;
      if (window.htmx && window.htmx.process) window.htmx.process(node);
    }
    var again = activeId ? document.getElementById(activeId) : null;
    if (!again && activeHref) again = document.querySelector('[data-row-link][href="' + activeHref + '"]');
    if (again && again !== document.activeElement && again.focus) again.focus();
    tick();
    document.dispatchEvent(new CustomEvent('console:live-updated'));
  }
  function showPresence(view) {
    var el = document.querySelector('[data-presence]');
    if (!el) return;
    var parts = [];
    if (view.others && view.others.length) parts.push('Also here: ' + view.others.join(', ') + '.');
    for (var i = 0; i < (view.typing || []).length; i++) {
      var t = view.typing[i];
      parts.push(t.name + ' is typing ' + (t.what === 'note' ? 'an internal note' : 'a reply') + '.');
    }
    el.textContent = parts.join(' ');
    el.hidden = parts.length === 0;
  }
  function startLive() {
    var url = document.body.getAttribute('data-live');
    if (!url || !window.EventSource) return;
    var source = new EventSource(url);
    source.addEventListener('incident', function (e) {
      var data = {};
      try {
        data = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      var here = currentReference();
      if (here && data.reference && data.reference !== here) return;
      if (here && data.reference) say(data.reference + ' changed: the page shows the latest.');
      scheduleReload();
    });
    source.addEventListener('presence', function (e) {
      try {
        showPresence(JSON.parse(e.data));
      } catch (err) {
        /* ignore a malformed event */
      }
    });
    document.body.setAttribute('data-live-state', 'connecting');
    source.addEventListener('open', function () {
      document.body.setAttribute('data-live-state', 'open');
    });
  }

  // ---- drafts and typing ---------------------------------------------------------------------------------
  // A reply or note being written is kept in this browser per incident (localStorage) until it is sent: a page
  // that comes back with "Reply sent" / "Internal note added" drops that draft; any other page puts it back.
  // While a desk user types, the server is told (at most every 3 s) so the others on the incident see it.
  var DRAFT_PREFIX = 'rosedesk-draft:';
  var lastTyping = {};

  function draftKey(el) {
    var ref = currentReference();
    return ref ? DRAFT_PREFIX + ref + ':' + el.getAttribute('data-draft') : null;
  }
  function store() {
    try {
      return window.localStorage;
    } catch (err) {
      return null;
    }
  }
  function syncDrafts() {
    var s = store();
    var ref = currentReference();
    if (!s || !ref) return;
    var done = document.querySelector('[data-done-action]');
    if (done) {
      // Handled once: a draft typed after this must survive the next swap.
      s.removeItem(DRAFT_PREFIX + ref + ':' + done.getAttribute('data-done-action'));
      done.removeAttribute('data-done-action');
    }
    var boxes = document.querySelectorAll('[data-draft]');
    for (var i = 0; i < boxes.length; i++) {
      var key = draftKey(boxes[i]);
      var saved = key ? s.getItem(key) : null;
      if (saved && !boxes[i].value) boxes[i].value = saved;
      if (boxes[i].value) boxes[i].setAttribute('data-draft-kept', 'true');
    }
  }
  function typingNow(el) {
    if (!document.querySelector('[data-presence]')) return;
    var what = el.getAttribute('data-draft');
    var now = Date.now();
    if (lastTyping[what] && now - lastTyping[what] < 3000) return;
    lastTyping[what] = now;
    var meta = document.querySelector('meta[name="csrf-token"]');
    var ref = currentReference();
    if (!meta || !ref) return;
    fetch('/console/incidents/' + encodeURIComponent(ref) + '/typing', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-CSRF-Token': meta.getAttribute('content'),
      },
      body: 'what=' + encodeURIComponent(what),
    }).catch(function () {});
  }
  document.addEventListener('input', function (e) {
    var el = e.target instanceof Element ? e.target.closest('[data-draft]') : null;
    if (!el) return;
    var s = store();
    var key = draftKey(el);
    if (s && key) {
      if (el.value) s.setItem(key, el.value);
      else s.removeItem(key);
    }
    typingNow(el);
  });
  document.addEventListener('htmx:after:process', function () {
    syncDrafts();
  });

  function ready() {
    var buttons = document.querySelectorAll('[data-shortcuts-open]');
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
    focusFirst(document.body);
    tick();
    syncDrafts();
    startLive();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
