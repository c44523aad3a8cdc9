/*! Baton chat widget (MIT). The ES module API: import { mount, version } from 'baton-widget'. */
// The public handle wraps the wasm handle: listeners live here (so `off` and `destroy` are
// plain JS), and the options only the page can apply (theme, position, language, open) are
// set on the shadow host once the wasm has validated them.
// The wasm-bindgen glue: scripts/build.mjs puts it in place of this line in dist/baton.mjs.
import init, { mount as mountCore, version as coreVersion } from './baton-core.js';

const EVENTS = ['ready', 'message', 'decision', 'offer', 'escalated', 'queue', 'agent_joined', 'resolved', 'csat', 'error'];
let loading;
const load = () => (loading ||= init());

/** The stylesheet at `url` as a CSSStyleSheet, or undefined if it cannot be had. */
const adopt = (url) => fetch(url)
  .then((r) => (r.ok ? r.text() : Promise.reject()))
  .then((css) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    return sheet;
  })
  .catch(() => {});

/** A text argument, or undefined (which the wasm ignores) with a console error naming the call. */
function text_(method, v) {
  if (typeof v == 'string') return v;
  console.error(`Baton: ${method}() takes a string, not ${v === null ? 'null' : typeof v}`);
}

/** The widget's version (resolves once the wasm is loaded). */
export const version = () => load().then(coreVersion);

/**
 * Mounts a widget and resolves to its handle. Bad options reject (and log) with an error that
 * names the option.
 */
// Sites with a widget on this page (site -> { host, handle }): a second one would share the
// first one's storage without hearing its writes (storage events reach other pages only), and
// the two would drift apart.
const mounted = new Map();

export async function mount(options) {
  const nav = navigator.language || 'en';
  // An array is an object to typeof, but no options: it goes to the wasm, which says so.
  const given = options && typeof options == 'object' && !Array.isArray(options) ? options : {};
  // Options reach the wasm as JSON, which would drop a function and turn NaN into null
  // without a word: name them here. An option set to undefined is left at its default.
  const bad = Object.keys(given).find((k) => typeof given[k] == 'function' || (typeof given[k] == 'number' && !Number.isFinite(given[k])));
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const opts = options == null || given === options
    ? { stylesheet: new URL('baton.css', import.meta.url).href, locale: nav, ...defined }
    : options; // not an object: the wasm's error says so
  const site = String(opts?.site ?? 'default');
  let sheet;
  let reserved = false;
  try {
    if (bad) {
      throw new Error(`Baton: option \`${bad}\` must be ${typeof given[bad] == 'function' ? 'data, not a function (listen with handle.on)' : 'a finite number'}`);
    }
    // A widget whose element the page removed without destroy() (Turbo and other frameworks
    // that swap <body>) is gone for the customer: destroyed, and the site is free again.
    const prev = mounted.get(site);
    if (prev && prev.host && !prev.host.isConnected) prev.handle?.destroy();
    if (mounted.has(site)) {
      throw new Error(`Baton: a widget for site \`${site}\` is already mounted on this page (destroy() it first, or give each its own \`site\`)`);
    }
    // Taken now, before anything is awaited: two mount() calls at once are two on one page.
    mounted.set(site, {});
    reserved = true;
    // The stylesheet is fetched beside the wasm and adopted by the shadow root as a
    // constructable stylesheet: no inline style (strict CSP), and the widget is never drawn
    // unstyled. Where that fails (an old browser, connect-src without the stylesheet's
    // origin), the wasm falls back to a <link> in the shadow root.
    [sheet] = await Promise.all([opts.ui !== false && typeof opts.stylesheet == 'string' && adopt(opts.stylesheet), load()]);
  } catch (e) {
    if (reserved) mounted.delete(site);
    console.error(e && e.message ? e.message : e);
    throw e;
  }
  let core;
  try {
    core = mountCore(sheet ? { ...opts, stylesheet: undefined } : opts);
  } catch (e) {
    mounted.delete(site);
    // A bad option's error (naming it) was logged by the wasm already: log the rest once.
    if (!/^Baton: (option |mount\(\) options)/.test(e && e.message)) console.error(e && e.message ? e.message : e);
    throw e;
  }
  const entry = mounted.get(site);
  if (opts.ui !== false) {
    // The host the wasm just appended: the last one in <body>.
    const host = [...document.querySelectorAll('body>[data-baton]')].pop();
    entry.host = host;
    if (host) {
      if (sheet) host.shadowRoot.adoptedStyleSheets = [sheet];
      host.dataset.theme = opts.theme || 'auto';
      host.dataset.position = opts.position || 'right';
      // The language the strings are in: Spanish is built in; another locale only with the
      // site's own strings (else the strings are English, and a screen reader must know).
      const locale = opts.locale;
      host.lang = /^es\b/i.test(locale) || (given.locale && given.strings) ? locale : 'en';
    }
  }
  let listeners = {};
  const deliver = (type, detail) => {
    for (const fn of (listeners[type] || []).slice()) {
      try { fn(detail); } catch (e) { console.error(`Baton: a "${type}" listener threw`, e); }
    }
  };
  // Events from mounting (ready, restored messages) wait one task, so that listeners attached
  // right after `await mount()` (or queued with Baton('on', ...)) hear them.
  let held = [];
  // The wasm handle exports input(kind, text, n, value) for all but requestHuman (one shim,
  // not one per method): 0-10 the commands, 11 identify, 12 state, 13 isPersistent, 14 onEvent,
  // 15 destroy (src/web/mod.rs).
  core.input(14, undefined, 0, (type, detail) => (held ? held.push([type, detail]) : deliver(type, detail)));
  setTimeout(() => {
    const h = held;
    held = null;
    for (const [type, detail] of h) deliver(type, detail);
  });
  // A command the widget cannot take now (no offer to accept, no failed message with that id)
  // changes nothing: said on the console, with the stage state() shows, so a headless UI's
  // mistimed call is not silent (QA). `ok(state)` says whether the command applies; state()
  // is read only for those (send() stays independent of the transcript's length), and is
  // undefined while the widget draws, when the core decides alone.
  const cmd = (method, kind, ok, text, n) => {
    const s = core && ok && core.input(12);
    if (!core || (s && !ok(s))) console.warn(`Baton: ${method} changes nothing ${core ? `now (state().handoff.stage: ${s.handoff.stage})` : 'after destroy()'}`);
    else core.input(kind, text, n);
    return handle;
  };
  const at = (...stages) => (s) => stages.includes(s.handoff.stage);
  // Contact details are asked for with nobody available, or in a long wait (longWait).
  const contact = (s) => s.handoff.stage == 'offline' || s.handoff.longWait;
  const handle = {
    identify(customer) { core?.input(11, undefined, 0, customer); return handle; },
    open: () => cmd('open()', 0),
    close: () => cmd('close()', 1),
    send: (text) => cmd('send()', 2, 0, text_('send', text)),
    resend: (id) => cmd(`resend(${id})`, 3, (s) => s.messages.some((m) => m.id === +id && m.role == 'customer' && m.delivery == 'failed'), undefined, id),
    requestHuman() { core?.requestHuman(); return handle; },
    acceptOffer: () => cmd('acceptOffer()', 5, at('offered')),
    declineOffer: () => cmd('declineOffer()', 6, at('offered', 'offline')),
    // Not a string: the console error says so, and the customer sees nothing (review).
    leaveEmail: (email) => (text_('leaveEmail', email) == null ? handle : cmd('leaveEmail()', 7, contact, email)),
    requestCallback: (phone) => (text_('requestCallback', phone) == null ? handle : cmd('requestCallback()', 8, contact, phone)),
    retryHandoff: () => cmd('retryHandoff()', 9, at('stuck')),
    csat(score) {
      const n = Number(score);
      if (!Number.isInteger(n) || n < 1 || n > 5) console.error(`Baton: csat() takes a whole number from 1 to 5, not ${String(score)}`);
      else cmd(`csat(${n})`, 10, (s) => s.handoff.canRate, undefined, n);
      return handle;
    },
    state: () => core?.input(12),
    isPersistent: () => !!core && core.input(13),
    on(type, fn) {
      if (!EVENTS.includes(type)) console.warn(`Baton: on(): unknown event "${type}" (known: ${EVENTS.join(', ')})`);
      if (typeof fn != 'function') console.error(`Baton: on() takes a function, not ${typeof fn}`);
      else (listeners[type] ||= []).push(fn);
      return handle;
    },
    off(type, fn) {
      listeners[type] = (listeners[type] || []).filter((f) => f !== fn);
      return handle;
    },
    // Removes the UI, every listener and the timer; the handle does nothing afterwards.
    destroy() {
      if (core) mounted.delete(site);
      core?.input(15);
      core = null;
      listeners = {};
    },
  };
  entry.handle = handle;
  if (opts.open) handle.open();
  return handle;
}
