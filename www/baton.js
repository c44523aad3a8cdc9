/*! Baton chat widget loader (MIT). One script tag mounts the widget; calls made before it
 * loads wait in window.Baton's queue. Loads baton-core.js and baton.wasm from beside itself. */
(function () {
  'use strict';
  var script = document.currentScript;
  var base = script && script.src ? new URL('.', script.src).href : '';
  var pending = (window.Baton && window.Baton.q) || [];
  var ready = null;

  // The public handle: the wasm handle plus event listeners kept on the JS side.
  function wrap(core) {
    var listeners = {};
    core.onEvent(function (type, detail) {
      (listeners[type] || []).slice().forEach(function (fn) {
        try { fn(detail); } catch (e) { console.error('Baton: a "' + type + '" listener threw', e); }
      });
    });
    var handle = {
      identify: function (customer) { core.identify(customer); return handle; },
      open: function () { core.open(); return handle; },
      close: function () { core.close(); return handle; },
      send: function (text) { core.send(String(text)); return handle; },
      resend: function (id) { core.resend(id); return handle; },
      state: function () { return core.state(); },
      isPersistent: function () { return core.isPersistent(); },
      on: function (type, fn) { (listeners[type] = listeners[type] || []).push(fn); return handle; },
      off: function (type, fn) {
        listeners[type] = (listeners[type] || []).filter(function (f) { return f !== fn; });
        return handle;
      },
      destroy: function () { core.destroy(); listeners = {}; }
    };
    return handle;
  }

  function load() {
    if (!ready) {
      ready = import(base + 'baton-core.js').then(function (m) {
        return m.default({ module_or_path: base + 'baton.wasm' }).then(function () { return m; });
      });
    }
    return ready;
  }

  // Mounts a widget; resolves to its handle. Bad options reject with an error naming the option.
  function mount(options) {
    var opts = Object.assign({ stylesheet: base + 'baton.css' }, options || {});
    return load().then(function (m) { return wrap(m.mount(opts)); });
  }

  // Options from the script tag's data attributes: data-endpoint, data-site, data-product-version.
  function fromAttributes(el) {
    var opts = {};
    if (!el) return opts;
    var map = { endpoint: 'endpoint', site: 'site', productVersion: 'productVersion' };
    Object.keys(map).forEach(function (key) {
      if (el.dataset[key] !== undefined) opts[map[key]] = el.dataset[key];
    });
    return opts;
  }

  var current = null;
  function call(name, args) {
    if (name === 'mount') { current = mount(args[0]); return current; }
    if (!current) current = mount(fromAttributes(script));
    return current.then(function (h) { return h[name].apply(h, args); });
  }

  var api = function (name) { return call(name, Array.prototype.slice.call(arguments, 1)); };
  api.mount = mount;
  api.version = function () { return load().then(function (m) { return m.version(); }); };
  window.Baton = api;

  var auto = script && (script.hasAttribute('data-endpoint') || script.hasAttribute('data-site'));
  if (auto && !pending.some(function (c) { return c[0] === 'mount'; })) current = mount(fromAttributes(script));
  pending.forEach(function (c) { call(c[0], Array.prototype.slice.call(c, 1)); });
  if (current) current.catch(function (e) { console.error(e && e.message ? e.message : e); });
})();
