/*! Baton chat widget loader (MIT). One script tag mounts the widget:
 *   <script src="https://cdn.example/baton/baton.js" data-endpoint="https://support.example.com" data-site="acme" async></script>
 * Calls made before it loads wait in window.Baton's queue:
 *   window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
 *   Baton('identify', { name: 'Ada' }); Baton('on', 'message', fn);
 * The API itself lives in baton.mjs (the ES module), loaded from beside this file. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (window.Baton && window.Baton.mount) {
    // The tag twice (a theme and a plugin both add it): one widget, not two.
    console.warn('Baton: baton.js is already loaded on this page; this copy does nothing');
    return;
  }
  var base = script && script.src ? new URL('.', script.src).href : '';
  var pending = (window.Baton && window.Baton.q) || [];
  var module = null;
  var current = null;

  function load() {
    if (!module) {
      module = import(base + 'baton.mjs');
    }
    return module;
  }

  function mount(options) {
    return load().then(function (m) { return m.mount(options); });
  }

  // data-endpoint, data-site, data-locale, data-theme, data-position, data-product-version,
  // data-open ("" or "true": open on load).
  function fromAttributes(el) {
    var opts = {};
    if (!el) return opts;
    ['endpoint', 'site', 'locale', 'theme', 'position', 'productVersion'].forEach(function (key) {
      if (el.dataset[key] !== undefined) opts[key] = el.dataset[key];
    });
    // Anything but "", "true" or "false" reaches the wasm as text, which names the option.
    var open = el.dataset.open;
    if (open !== undefined) opts.open = open === '' || open === 'true' ? true : open === 'false' ? false : open;
    return opts;
  }

  // Baton('mount', options) mounts; any other name calls that handle method once mounted
  // (mounting from the script tag's attributes if nothing was mounted yet).
  function call(name, args) {
    var result;
    if (name === 'mount') {
      // mount() logs its own errors. A refused mount (a second widget for the site, a bad
      // option) leaves the global with the widget already mounted (QA: it was cut off).
      var before = current;
      result = mount(args[0]);
      current = result.catch(function (e) { return before || Promise.reject(e); });
      current.catch(function () {}); // with no widget before it, it rejects too: logged already
    } else {
      if (!current) current = mount(fromAttributes(script));
      result = current.then(function (h) {
        try {
          if (typeof h[name] !== 'function') throw new Error('Baton: unknown command "' + name + '"');
          return h[name].apply(h, args);
        } catch (e) {
          console.error(e && e.message ? e.message : e);
          throw e;
        }
      });
    }
    result.catch(function () {}); // logged; queued calls have nobody to reject to
    return result;
  }

  var api = function (name) { return call(name, Array.prototype.slice.call(arguments, 1)); };
  api.mount = function (options) { return call('mount', [options]); };
  api.version = function () { return load().then(function (m) { return m.version(); }); };
  window.Baton = api;

  var auto = script && (script.hasAttribute('data-endpoint') || script.hasAttribute('data-site'));
  if (auto && !pending.some(function (c) { return c[0] === 'mount'; })) current = mount(fromAttributes(script));
  if (current) current.catch(function () {}); // mount() has logged the error
  // A queued mount runs first: calls queued before it are for the widget it mounts, not for a
  // second one mounted from the attributes.
  var first = pending.findIndex(function (c) { return c[0] === 'mount'; });
  if (first > 0) pending.unshift(pending.splice(first, 1)[0]);
  pending.forEach(function (c) { call(c[0], Array.prototype.slice.call(c, 1)); });
})();
