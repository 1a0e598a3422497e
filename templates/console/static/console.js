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
      case 'r':
        if (focusField('[data-shortcut-reply]')) e.preventDefault();
        break;
      case 'n':
        if (focusField('[data-shortcut-note]')) e.preventDefault();
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

  function ready() {
    var buttons = document.querySelectorAll('[data-shortcuts-open]');
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
    focusFirst(document.body);
    tick();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
