//! The browser shell: wires the sans-IO core to the DOM, `fetch`, `localStorage` and one
//! gloo-timers timer, and exports the handle the JS loader wraps. It holds no policy.
//!
//! The run loop is "mutate, drain, apply, re-arm": every DOM event, response and timer becomes
//! one job; the core handles it, its effects are drained while the core is borrowed mutably,
//! then applied in order under a shared borrow (so a host listener may read the state, and its
//! calls are queued for the run loop), and the single timer is re-armed at `poll_timeout()`.
//! A panic here would kill the widget inside someone else's page, so nothing here unwraps.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod dom;
mod net;
pub mod store;

use crate::config::Options;
use crate::conversation::Customer;
use crate::fifo::Fifo;
use crate::handoff::environment::Environment;
use crate::handoff::package::Contact;
use crate::protocol::Request;
use crate::snapshot::{header_key, message_key, outbox_key};
use crate::time::Now;
use crate::widget::{Effect, Event, Input, Persist, Widget};
use crate::table::Cat;
use dom::{Chrome, Ui};
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use store::Store;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The widget's version, for the loader and the handoff package.
#[wasm_bindgen]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}

/// Mounts a widget. Bad options throw an `Error` whose message names the option.
#[wasm_bindgen]
pub fn mount(options: JsValue) -> Result<Baton, JsValue> {
    mount_with_store(options, Store::open())
}

/// The handle a host page holds (the loader wraps it as the public JS API).
#[wasm_bindgen]
pub struct Baton {
    shell: Rc<Shell>,
}

#[wasm_bindgen]
impl Baton {
    /// The one entry point for the handle's calls (the loader maps its methods onto it): each
    /// exported method costs a shim in the wasm and a function in the glue. `kind` 0 to 10 are
    /// the commands (see `command`); 11 identify(value), 12 state(), 13 isPersistent(),
    /// 14 onEvent(value), 15 destroy(). Only identify() throws (a bad customer).
    pub fn input(&self, kind: u8, text: Option<String>, n: u32, value: JsValue) -> Result<JsValue, JsValue> {
        Ok(match kind {
            11 => return self.identify(value).map(|()| JsValue::UNDEFINED),
            12 => self.state(),
            13 => JsValue::from_bool(self.is_persistent()),
            // Only the loader calls this, with its own function.
            14 => {
                self.on_event(value.unchecked_into());
                JsValue::UNDEFINED
            }
            15 => {
                self.destroy();
                JsValue::UNDEFINED
            }
            _ => {
                self.command(kind, text, n);
                JsValue::UNDEFINED
            }
        })
    }

    /// Asks for a person, as the "Speak to a human" button does. Exported on its own: the
    /// embed test checks that the wasm has it.
    #[wasm_bindgen(js_name = requestHuman)]
    pub fn request_human(&self) {
        self.command(4, None, 0);
    }
}

/// The handle's methods in Rust (for Rust callers and the browser tests); JS calls `input`.
impl Baton {
    /// Describes the customer (name, email, accountId, tier, …); unknown fields are an error.
    pub fn identify(&self, customer: JsValue) -> Result<(), JsValue> {
        let customer = json_of(&customer)
            .and_then(|text| crate::json::parse(&text))
            .and_then(|v| Customer::from_json(&v, "customer"))
            .map_err(|e| error(&["Baton: identify(): ", &e].cat()))?;
        self.shell.run(Job::Input(Input::Identify(customer)));
        Ok(())
    }

    fn command(&self, kind: u8, text: Option<String>, n: u32) {
        self.shell.command(kind, text.unwrap_or_default(), n);
    }

    /// The current view model, as a plain object (for headless UIs and tests).
    pub fn state(&self) -> JsValue {
        match self.shell.core.try_borrow() {
            Ok(core) => to_js(&crate::encode::view(&core.view())),
            Err(_) => JsValue::UNDEFINED,
        }
    }

    /// Sets the function that receives every host event as `(type, detail)`.
    pub fn on_event(&self, f: js_sys::Function) {
        *self.shell.emitter.borrow_mut() = Some(f);
    }

    /// Whether the conversation is kept in `localStorage` (false: memory only).
    pub fn is_persistent(&self) -> bool {
        self.shell.store.borrow().is_persistent()
    }

    /// Removes the UI, every listener and the timer. The stored conversation stays.
    pub fn destroy(&self) {
        self.shell.alive.set(false);
        self.shell.timer.borrow_mut().take();
        self.shell.listeners.borrow_mut().clear();
        if let Ok(mut stream) = self.shell.stream.try_borrow_mut() {
            *stream = None;
        }
        self.shell.emitter.borrow_mut().take();
        // Called from a host listener while the UI is being drawn (a `focusout` during a
        // render), the UI is borrowed: the run loop removes it once the render is over.
        if let Ok(mut ui) = self.shell.ui.try_borrow_mut() {
            if let Some(ui) = ui.take() {
                ui.remove();
            }
        }
    }

    pub fn open(&self) {
        self.command(0, None, 0);
    }

    pub fn close(&self) {
        self.command(1, None, 0);
    }

    /// Sends a customer message, as if typed.
    pub fn send(&self, text: String) {
        self.command(2, Some(text), 0);
    }

    /// Resends a customer message that failed.
    pub fn resend(&self, id: u32) {
        self.command(3, None, id);
    }

    pub fn accept_offer(&self) {
        self.command(5, None, 0);
    }

    pub fn decline_offer(&self) {
        self.command(6, None, 0);
    }

    pub fn leave_email(&self, email: String) {
        self.command(7, Some(email), 0);
    }

    pub fn request_callback(&self, phone: String) {
        self.command(8, Some(phone), 0);
    }

    pub fn retry_handoff(&self) {
        self.command(9, None, 0);
    }

    pub fn csat(&self, score: u8) {
        self.command(10, None, u32::from(score));
    }
}

/// Mounts with a given store (tests use a memory store or a broken `localStorage`).
pub fn mount_with_store(options: JsValue, mut store: Store) -> Result<Baton, JsValue> {
    let config = parse_options(options).map_err(|message| {
        web_sys::console::error_1(&JsValue::from_str(&message));
        error(&message)
    })?;
    let restored = store.read_snapshot(&config.site);
    let (site, endpoint, ui_enabled) = (config.site.clone(), config.endpoint.clone(), config.ui);
    let (strings, stylesheet) = (config.strings.clone(), config.stylesheet.clone());
    let core = Widget::new(config, now(), seed(), restored);
    let shell = Rc::new(Shell {
        core: RefCell::new(core),
        jobs: RefCell::new(Fifo::new()),
        running: Cell::new(false),
        alive: Cell::new(true),
        ui: RefCell::new(None),
        store: RefCell::new(store),
        timer: RefCell::new(None),
        emitter: RefCell::new(None),
        listeners: RefCell::new(Vec::new()),
        stream: RefCell::new(None),
        frozen: Cell::new(false),
        endpoint,
        site,
    });
    // Page events, all through one handler (one closure in the wasm):
    // - `visibilitychange`: a tab coming back to the foreground catches up at once on a poll
    //   that fell due while the browser throttled its timers;
    // - `storage`: other tabs of the site store the conversation, and the browser tells every
    //   other tab; this one follows;
    // - `pagehide`: the tab hands its polling lease to the others;
    // - `online`: the connection is back, and what failed on the way is sent again;
    // - `pageshow` from the back/forward cache: the page was frozen while other pages of the
    //   site went on, and it catches up with what they stored (see `catch_up`).
    if let Some(window) = window() {
        let header = header_key(&shell.site);
        let messages = crate::snapshot::key_prefix(&shell.site) + "m:";
        let weak = Rc::downgrade(&shell);
        let on_page_event = move |e: web_sys::Event| {
            let Some(shell) = weak.upgrade() else { return };
            let job = match e.dyn_ref::<web_sys::StorageEvent>() {
                // `key` through the getter the UI's key handler shares (see `dom::KeyFields`).
                Some(e) => match (e.unchecked_ref::<dom::KeyFields>().key(), e.new_value()) {
                    (Some(key), Some(value)) if key == header => crate::snapshot::Header::decode(&value).ok().map(|h| {
                        let h = h.with_outbox(shell.store.borrow_mut().get(&outbox_key(&shell.site)));
                        Job::Input(Input::SyncHeader(Box::new(h)))
                    }),
                    (Some(key), Some(value)) if key.starts_with(&messages) => {
                        crate::snapshot::decode_message(&value).map(|m| Job::Input(Input::SyncMessage(m)))
                    }
                    _ => None,
                },
                None if e.type_() == "pagehide" => {
                    shell.run(Job::Input(Input::PageHide));
                    // Perhaps into the back/forward cache: if this page runs again, whatever
                    // wakes it first (a timer, a fetch's answer, `pageshow`), it catches up first.
                    shell.frozen.set(true);
                    None
                }
                None if e.type_() == "online" => Some(Job::Input(Input::Online)),
                // Back from the cache: the timer may not have been due yet; this catches up.
                None if e.type_() == "pageshow" => shell.frozen.get().then_some(Job::Timeout),
                None => self::window().and_then(|w| w.document()).filter(|d| !d.hidden()).map(|_| Job::Timeout),
            };
            if let Some(job) = job {
                shell.run(job);
            }
        };
        let on_page_event = Rc::new(on_page_event);
        // Borrowed, in an array: no `Vec` and no clones of the targets.
        let document = window.document();
        let on_window: Option<&web_sys::EventTarget> = Some(window.as_ref());
        let targets = [(on_window, "storage"), (on_window, "pagehide"), (on_window, "online"), (on_window, "pageshow"), (document.as_ref().map(AsRef::as_ref), "visibilitychange")];
        for &(target, kind) in &targets {
            let Some(target) = target else { continue };
            let handler = on_page_event.clone();
            let listener = dom::Listener::new(target, kind, move |e| handler(e))?;
            shell.listeners.borrow_mut().push(listener);
        }
    }
    if ui_enabled {
        let ui = Ui::mount(&strings, stylesheet.as_deref(), Rc::downgrade(&shell))?;
        *shell.ui.borrow_mut() = Some(ui);
    }
    // Only now that the UI exists may effects be drained: the restored conversation is drawn.
    // Ready and restored messages reach the host on the next microtask, once it has had the
    // chance to attach its listeners to the returned handle.
    shell.jobs.borrow_mut().push_back(Job::Input(Input::Environment(environment())));
    let weak = Rc::downgrade(&shell);
    net::settle(&js_sys::Promise::resolve(&JsValue::UNDEFINED), move |_| {
        if let Some(shell) = weak.upgrade() {
            shell.run(Job::Drain);
        }
    });
    Ok(Baton { shell })
}

fn parse_options(options: JsValue) -> Result<crate::config::Config, String> {
    if !options.is_undefined() && !options.is_null() && !options.is_object() {
        return Err(String::from("Baton: mount() options must be an object"));
    }
    let text = if options.is_undefined() { String::from("null") } else { json_of(&options)? };
    Options::from_json(&text).map_err(|e| e.message())
}

/// `JSON.stringify`, for handing host-page objects to the core's parser.
fn json_of(value: &JsValue) -> Result<String, String> {
    // A missing argument is null, so the core names what was expected (QA: identify() with
    // nothing said "the value cannot be converted to JSON").
    if value.is_undefined() {
        return Ok(String::from("null"));
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| String::from("the value cannot be converted to JSON"))
}

/// An open (or failed) `EventSource` for one case, with its listener.
struct Stream {
    case: String,
    source: web_sys::EventSource,
    /// When it was opened (monotonic ms): one the browser gave up on is retried after a poll
    /// interval.
    opened: u64,
    _listener: Option<dom::Listener>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.source.close();
    }
}

enum Job {
    Input(Input),
    Timeout,
    /// Just drain pending effects (after mount).
    Drain,
}

struct Shell {
    core: RefCell<Widget>,
    jobs: RefCell<Fifo<Job>>,
    running: Cell<bool>,
    alive: Cell<bool>,
    ui: RefCell<Option<Ui>>,
    store: RefCell<Store>,
    timer: RefCell<Option<Timeout>>,
    emitter: RefCell<Option<js_sys::Function>>,
    /// Page-level listeners (visibility), removed by `destroy`.
    listeners: RefCell<Vec<dom::Listener>>,
    /// The backend's event stream for the core's watched case (see `watch`).
    stream: RefCell<Option<Stream>>,
    /// Set on `pagehide`: the page may be frozen in the back/forward cache (see `catch_up`).
    frozen: Cell<bool>,
    endpoint: String,
    site: String,
}

impl Shell {
    /// The commands, by number: 0 open, 1 close, 2 send(text), 3 resend(n), 4 requestHuman,
    /// 5 acceptOffer, 6 declineOffer, 7 leaveEmail(text), 8 requestCallback(text),
    /// 9 retryHandoff, 10 csat(n); anything else is ignored. The default UI's controls call
    /// these too.
    fn command(self: &Rc<Self>, kind: u8, text: String, n: u32) {
        // send() without text does nothing; empty contact details get the core's notice (the
        // forms are `novalidate`: the widget's own words, in its language, not the browser's).
        if kind == 2 && text.trim().is_empty() {
            return;
        }
        if kind <= 1 {
            self.focus_follows_toggle();
        }
        // As if typed: a message too long for the core stays in the textbox to shorten (QA: the
        // notice showed, and the text was gone).
        // `try_borrow`: a host listener may call this while the UI is being drawn (a focus
        // change fires `focusout` synchronously); a panic would kill the widget (review).
        if kind == 2 && crate::conversation::too_long(&text) {
            if let Ok(ui) = self.ui.try_borrow() {
                if let Some(ui) = ui.as_ref() {
                    ui.keep_draft(&text);
                }
            }
        }
        let input = match kind {
            0 => Input::SetOpen(true),
            1 => Input::SetOpen(false),
            2 => Input::CustomerTyped(text),
            3 => Input::Resend(n),
            4 => Input::RequestHuman,
            5 => Input::AcceptOffer,
            6 => Input::DeclineOffer,
            7 => Input::LeaveContact(Contact::Email(text)),
            8 => Input::LeaveContact(Contact::Callback { phone: text }),
            9 => Input::RetryHandoff,
            // Out of range (csat(261) must not wrap to 5): 0, which the core refuses.
            10 => Input::Csat(u8::try_from(n).unwrap_or(0)),
            _ => return,
        };
        self.run(Job::Input(input));
    }

    /// Feeds the core what other tabs stored while this page was frozen in the back/forward
    /// cache, where it heard no `storage` events, before anything else reaches the core (QA:
    /// a timer woke first, the page took the polls back with its old state, and the agent's
    /// message that arrived meanwhile was fetched again, shown twice and stored twice): every
    /// stored message record (those it holds may have changed too) and the header, in one
    /// input, so the header it stores is the caught-up one.
    fn catch_up(self: &Rc<Self>) {
        // A frozen page's event stream was cut: `watch` opens a new one after this run.
        if let Ok(mut stream) = self.stream.try_borrow_mut() {
            *stream = None;
        }
        let Ok(mut store) = self.store.try_borrow_mut() else { return };
        let Some(header) = store.get(&header_key(&self.site)).and_then(|h| crate::snapshot::Header::decode(&h).ok()) else { return };
        let mut messages = Vec::new();
        for id in 0..header.messages {
            if let Some(message) = store.get(&message_key(&self.site, id)).and_then(|r| crate::snapshot::decode_message(&r)) {
                messages.push(message);
            }
        }
        let header = Box::new(header.with_outbox(store.get(&outbox_key(&self.site))));
        drop(store);
        self.run(Job::Input(Input::CatchUp { messages, header }));
    }

    /// The customer or the host page opens or closes the panel: focus goes into it, or back to
    /// the launcher (not when the widget opens itself on load).
    fn focus_follows_toggle(&self) {
        if let Some(ui) = self.ui.try_borrow_mut().ok().as_mut().and_then(|ui| ui.as_mut()) {
            ui.focus_on_next_toggle();
        }
    }

    /// Runs one job and everything it causes. Re-entrant calls (a host listener calling the
    /// handle from inside an event) are queued and run by the outer call.
    fn run(self: &Rc<Self>, job: Job) {
        if !self.alive.get() {
            return;
        }
        if self.frozen.replace(false) {
            self.catch_up();
        }
        self.jobs.borrow_mut().push_back(job);
        if self.running.replace(true) {
            return;
        }
        loop {
            let next = self.jobs.borrow_mut().pop_front();
            let Some(job) = next else { break };
            let effects = self.step(job);
            self.apply(effects);
        }
        self.watch();
        self.rearm();
        self.running.set(false);
    }

    /// Handles one job and drains its effects (the only place the core is borrowed mutably).
    fn step(&self, job: Job) -> Vec<Effect> {
        let Ok(mut core) = self.core.try_borrow_mut() else { return Vec::new() };
        let now = now();
        match job {
            Job::Input(input) => core.handle_input(input, now),
            Job::Timeout => core.handle_timeout(now),
            Job::Drain => {}
        }
        let mut effects = Vec::new();
        while let Some(effect) = core.poll_effect() {
            effects.push(effect);
        }
        effects
    }

    /// Applies effects in order under a shared borrow of the core: a host listener may read
    /// `state()`, and whatever it asks for is queued (see `run`), so the core cannot change
    /// until they are all applied. Data comes straight from the core, with no copies.
    fn apply(self: &Rc<Self>, effects: Vec<Effect>) {
        let Ok(core) = self.core.try_borrow() else { return };
        let mut render = false;
        for effect in effects {
            // A record to store, as (key, value): the three kinds share one write.
            let record = match effect {
                Effect::Send(request) => {
                    self.send(request);
                    None
                }
                Effect::Persist(Persist::Header) => Some((header_key(&self.site), crate::encode::header(&core.header()))),
                Effect::Persist(Persist::Outbox) => match core.outbox() {
                    Some((key, body)) => Some((outbox_key(&self.site), crate::encode::outbox_record(key, body))),
                    None => {
                        // No site name holds a `:`, so this prefix is this one key.
                        self.store.borrow_mut().remove_prefix(&outbox_key(&self.site));
                        None
                    }
                },
                Effect::Persist(Persist::Message(id)) => {
                    core.message(id).map(|m| (message_key(&self.site, id), crate::encode::message_record(m)))
                }
                Effect::Persist(Persist::Clear) => {
                    self.store.borrow_mut().clear_site(&self.site);
                    None
                }
                Effect::ShowMessage(id) => {
                    if let (Some(m), Some(ui)) = (core.message(id), self.ui.borrow_mut().as_mut()) {
                        if let Err(e) = ui.show_message(m) {
                            web_sys::console::error_2(&JsValue::from_str("Baton: could not draw a message"), &e);
                        }
                    }
                    None
                }
                Effect::Emit(event) => {
                    self.emit(&event);
                    None
                }
                Effect::Render => {
                    render = true;
                    None
                }
            };
            if let Some((key, value)) = record {
                self.store.borrow_mut().set(&key, &value);
            }
        }
        if render {
            if let Some(ui) = self.ui.borrow_mut().as_mut() {
                let view = core.view();
                let updated = view.handoff.updated_at.map(|at| crate::strings::fill(view.strings.updated(), &[("time", &ui.time(at))]));
                ui.render(&Chrome { open: view.open, unread: view.unread, typing: view.typing, notice: view.notice, handoff: view.handoff, updated });
            }
        }
        // destroy() from inside the render above could not take the UI away.
        if !self.alive.get() {
            if let Some(ui) = self.ui.borrow_mut().take() {
                ui.remove();
            }
        }
    }

    fn send(self: &Rc<Self>, request: Request) {
        let weak: Weak<Shell> = Rc::downgrade(self);
        let id = request.id;
        net::send(&self.endpoint, &request, move |outcome| {
            if let Some(shell) = weak.upgrade() {
                shell.run(Job::Input(Input::Response { id, outcome }));
            }
        });
    }

    fn emit(&self, event: &Event) {
        if let Event::Error { message, .. } = event {
            web_sys::console::error_1(&JsValue::from_str(message));
        }
        let name = event.name();
        let emitter = self.emitter.borrow().clone();
        if let Some(f) = emitter {
            if let Err(e) = f.call2(&JsValue::NULL, &JsValue::from_str(name), &to_js(&crate::encode::event(event))) {
                web_sys::console::error_2(&JsValue::from_str("Baton: an event listener threw"), &e);
            }
        }
    }

    /// Keeps one `EventSource` open on the case the core watches, so an agent taking it (or
    /// writing) is heard at once rather than at the next poll; the polls carry on either way.
    ///
    /// The browser reconnects a dropped stream by itself, but gives up on an answer that is not
    /// a stream (a 404 from a backend without one, a 502 while the backend restarts behind a
    /// proxy): such a source is opened again one poll interval later, not sooner.
    fn watch(self: &Rc<Self>) {
        // destroy() from a host listener during this run: nothing may be opened after it.
        if !self.alive.get() {
            return;
        }
        let Ok(core) = self.core.try_borrow() else { return };
        let case = core.watched_case();
        let Ok(mut stream) = self.stream.try_borrow_mut() else { return };
        let t = now().mono_ms;
        if let Some(s) = stream.as_ref().filter(|s| Some(s.case.as_str()) == case) {
            if s.source.ready_state() != web_sys::EventSource::CLOSED || t < s.opened + core.config().poll_interval_ms {
                return;
            }
        }
        // The old source, if any, is closed as it is dropped.
        *stream = None;
        let Some(case) = case else { return };
        let url = [&self.endpoint, &crate::protocol::Call::CaseStatus { case_id: case.into() }.path(), "/events"].cat();
        let Ok(source) = web_sys::EventSource::new(&url) else { return };
        let weak = Rc::downgrade(self);
        let on_change = move |_| {
            if let Some(shell) = weak.upgrade() {
                shell.run(Job::Input(Input::CaseChanged));
            }
        };
        let listener = dom::Listener::new(&source, "message", on_change).ok();
        *stream = Some(Stream { case: case.into(), source, opened: t, _listener: listener });
    }

    /// Keeps exactly one timer, armed at the core's next deadline.
    fn rearm(self: &Rc<Self>) {
        let deadline = match self.core.try_borrow() {
            Ok(core) => core.poll_timeout(),
            Err(_) => return,
        };
        let timer = deadline.map(|deadline| {
            let delay = deadline.saturating_sub(now().mono_ms).min(u64::from(i32::MAX as u32)) as u32;
            let weak = Rc::downgrade(self);
            Timeout::new(delay, move || {
                if let Some(shell) = weak.upgrade() {
                    shell.run(Job::Timeout);
                }
            })
        });
        *self.timer.borrow_mut() = timer;
    }
}

/// The page and browser context for the handoff package. Every part is optional.
fn environment() -> Environment {
    let mut env = Environment::default();
    let Some(window) = window() else { return env };
    // Read once, as plain properties: one `Reflect.get` import serves them all, where each typed
    // web-sys getter would add its own import and glue function to what every visitor loads.
    let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let text = |target: &JsValue, key: &str| get(target, key).as_string().filter(|s| !s.is_empty());
    let doc = get(&window, "document");
    env.page_url = text(&doc, "URL");
    env.page_title = text(&doc, "title");
    env.referrer = text(&doc, "referrer");
    let navigator = get(&window, "navigator");
    env.user_agent = text(&navigator, "userAgent");
    env.locale = text(&navigator, "language");
    // User-Agent client hints, where the browser offers them (Chromium-based browsers).
    let hints = get(&navigator, "userAgentData");
    if hints.is_object() {
        env.ua_platform = get(&hints, "platform").as_string().filter(|p| !p.is_empty());
        env.ua_mobile = get(&hints, "mobile").as_bool();
        for brand in js_sys::Array::from(&get(&hints, "brands")).iter() {
            if let (Some(name), Some(version)) = (get(&brand, "brand").as_string(), get(&brand, "version").as_string()) {
                env.ua_brands.push((name, version));
            }
        }
    }
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
    env.time_zone = get(&options, "timeZone").as_string();
    env
}

/// The page's `window` (None outside a page). web-sys's `window()` finds the global object by
/// trying `self`, `window`, `globalThis` and `global` in turn, each a binding of its own with a
/// lazy cell, then checks it is a `Window`: code every visitor loads, for a widget that only
/// ever runs in a page.
fn window() -> Option<web_sys::Window> {
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(thread_local_v2, js_name = window)]
        static WINDOW: Option<web_sys::Window>;
    }
    WINDOW.with(Option::clone)
}

#[wasm_bindgen]
extern "C" {
    /// `performance.now()` and `crypto.getRandomValues`, called on the globals: through
    /// `window()` each took a getter import of its own as well. `performance` is in every
    /// browser that runs wasm, so it is not caught (a catch is 0.1 KB of glue); `crypto` is
    /// caught, and `seed` falls back to `Math.random`.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(bytes: &mut [u8]) -> Result<JsValue, JsValue>;
}

fn now() -> Now {
    Now::new(performance_now() as u64, js_sys::Date::now() as i64)
}

/// Entropy for ids, from `crypto.getRandomValues` (or `Math.random` where it is missing).
fn seed() -> u64 {
    let mut bytes = [0u8; 8];
    if get_random_values(&mut bytes).is_ok() {
        u64::from_le_bytes(bytes)
    } else {
        (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64 ^ (js_sys::Date::now() as u64).rotate_left(32)
    }
}

/// The core's JSON as a plain JS object, through serde-wasm-bindgen. The text is written by the
/// core and read back here: per event that is O(the event), never O(the conversation) (only
/// `state()` carries the whole transcript, on demand). `JSON.parse` would skip the second step
/// for ~0.8 KB less wasm, but serde-wasm-bindgen is the project's chosen bridge to JS values.
fn to_js(json: &str) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    crate::json::parse(json).ok().and_then(|v| serde::Serialize::serialize(&v, &serializer).ok()).unwrap_or(JsValue::UNDEFINED)
}

fn error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

#[global_allocator]
static ALLOC: crate::heap::global::Global = crate::heap::global::Global::new();
