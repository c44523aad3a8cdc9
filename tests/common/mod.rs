//! The scenario harness: drives the sans-IO core like the browser shell does, with a simulated
//! clock, a key-value store that really serialises snapshots to JSON (as localStorage would),
//! and a log of the requests the core asked for, which the test answers as a backend would.
#![allow(dead_code)]

use baton::config::{Config, Options};
use baton::conversation::Message;
use baton::protocol::{BotReply, Outcome, Reply, Request};
use baton::snapshot::{self, header_key, key_prefix, message_key, Stored};
use baton::time::Now;
use baton::widget::{Effect, Event, Input, Persist, Widget};
use std::collections::BTreeMap;

pub struct Harness {
    pub widget: Widget,
    pub now: Now,
    /// What localStorage would hold: key -> JSON text.
    pub store: BTreeMap<String, String>,
    /// Requests sent and not yet answered, oldest first.
    pub sent: Vec<Request>,
    /// Every request ever sent, for assertions.
    pub all_sent: Vec<Request>,
    pub events: Vec<(u64, Event)>,
    pub shown: Vec<u32>,
    pub site: String,
    /// Storage keys written since the last `deliver_to` (what `storage` events would carry).
    pub written: Vec<String>,
    /// The same writes, each with the value and version it stored: a `storage` event carries
    /// its own write's `newValue`, not what the storage holds when the event is handled
    /// (see `deliver_one_to`).
    pub writes: std::collections::VecDeque<(String, String, u64)>,
    /// When each key in `store` was last written, on a clock shared by every tab: tabs share
    /// one localStorage, where the latest write wins, whatever order the events arrive in.
    pub versions: BTreeMap<String, u64>,
}

/// The shared storage's write clock (see `Harness::versions`).
static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn write_version() -> u64 {
    WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

pub const START: Now = Now::new(1_000, 1_767_225_600_000); // 2026-01-01T00:00:00Z

pub fn config_from_json(json: &str) -> Config {
    Options::from_json(json).expect("test options are valid")
}

impl Harness {
    pub fn new() -> Self {
        Self::with_config(Config::default())
    }

    pub fn with_config(config: Config) -> Self {
        Self::boot(config, START, BTreeMap::new())
    }

    /// Starts a widget the way the shell does on page load: read the stored snapshot, if any.
    pub fn boot(config: Config, now: Now, store: BTreeMap<String, String>) -> Self {
        let site = config.site.clone();
        let restored = read_snapshot(&store, &site);
        // Distinct per page load, as crypto.getRandomValues makes it in the browser (two tabs
        // opened at the same instant too: each had the other's tab id), and the same in every
        // run of a test (each test runs on its own thread).
        thread_local!(static LOADS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) });
        let load = LOADS.with(|n| n.replace(n.get() + 1));
        let seed = now.wall_ms as u64 ^ now.mono_ms.rotate_left(29) ^ load.rotate_left(47) ^ 0x5eed;
        let widget = Widget::new(config, now, seed, restored);
        let mut h = Harness {
            widget,
            now,
            store,
            sent: Vec::new(),
            all_sent: Vec::new(),
            events: Vec::new(),
            shown: Vec::new(),
            site,
            written: Vec::new(),
            writes: std::collections::VecDeque::new(),
            versions: BTreeMap::new(),
        };
        h.drain();
        h
    }

    /// Simulates a reload: a fresh page (monotonic clock restarts) reading the same storage.
    pub fn reload(mut self, after_ms: u64) -> Self {
        // The browser fires `pagehide` as the page goes away.
        self.input(Input::PageHide);
        let config = self.widget.config().clone();
        let now = Now::new(500, self.now.wall_ms + after_ms as i64);
        Self::boot(config, now, self.store)
    }

    pub fn input(&mut self, input: Input) {
        self.widget.handle_input(input, self.now);
        self.drain();
    }

    pub fn type_text(&mut self, text: &str) {
        self.input(Input::CustomerTyped(text.to_owned()));
    }

    /// Advances the simulated clock, firing the timer each time it is due, as the shell does.
    pub fn advance(&mut self, ms: u64) {
        let target = self.now.mono_ms + ms;
        while let Some(deadline) = self.widget.poll_timeout() {
            assert!(deadline >= self.now.mono_ms, "the next deadline is never in the past");
            if deadline > target {
                break;
            }
            self.set_time(deadline);
            self.widget.handle_timeout(self.now);
            self.drain();
        }
        self.set_time(target);
    }

    fn set_time(&mut self, mono: u64) {
        let delta = mono - self.now.mono_ms;
        self.now = Now::new(mono, self.now.wall_ms + delta as i64);
    }

    /// Answers the oldest outstanding request.
    pub fn respond(&mut self, outcome: Outcome) -> Request {
        assert!(!self.sent.is_empty(), "no request is waiting for an answer");
        let request = self.sent.remove(0);
        self.input(Input::Response { id: request.id, outcome });
        request
    }

    pub fn bot_says(&mut self, text: &str, confidence: f64) -> Request {
        self.respond(Ok(Reply::Bot(BotReply {
            text: text.to_owned(),
            confidence,
            intent: None,
            step: None,
            resolved: false,
        })))
    }

    pub fn drain(&mut self) {
        while let Some(effect) = self.widget.poll_effect() {
            match effect {
                Effect::Send(request) => {
                    self.all_sent.push(request.clone());
                    self.sent.push(request);
                }
                Effect::Persist(Persist::Header) => {
                    let json = baton::encode::header(&self.widget.header());
                    self.write(header_key(&self.site), json);
                }
                Effect::Persist(Persist::Outbox) => match self.widget.outbox() {
                    Some((key, body)) => {
                        let json = baton::encode::outbox_record(key, body);
                        self.write(snapshot::outbox_key(&self.site), json);
                    }
                    None => {
                        self.store.remove(&snapshot::outbox_key(&self.site));
                    }
                },
                Effect::Persist(Persist::Message(id)) => {
                    let m = self.widget.message(id).expect("persisted message exists");
                    let json = baton::encode::message_record(m);
                    self.write(message_key(&self.site, id), json);
                }
                Effect::Persist(Persist::Clear) => {
                    let prefix = key_prefix(&self.site);
                    self.store.retain(|k, _| !k.starts_with(&prefix));
                }
                Effect::Emit(event) => self.events.push((self.now.mono_ms, event)),
                Effect::ShowMessage(id) => self.shown.push(id),
                Effect::Render => {}
            }
        }
    }

    /// A `localStorage.setItem`, remembered for the `storage` events other tabs get.
    fn write(&mut self, key: String, json: String) {
        let version = write_version();
        self.store.insert(key.clone(), json.clone());
        self.versions.insert(key.clone(), version);
        self.writes.push_back((key.clone(), json, version));
        self.written.push(key);
    }

    pub fn messages(&self) -> &[Message] {
        self.widget.view().messages
    }

    pub fn texts(&self) -> Vec<String> {
        self.messages().iter().map(|m| m.text.clone()).collect()
    }

    pub fn stored_text(&self) -> String {
        self.store.values().cloned().collect::<Vec<_>>().join("\n")
    }
}

/// Reads a snapshot back the way the shell does, through the core's own decoder.
pub fn read_snapshot(store: &BTreeMap<String, String>, site: &str) -> Result<Option<Stored>, String> {
    snapshot::read(site, |key| store.get(key).cloned())
}

/// The customer text of a bot-turn request.
pub fn bot_text(request: &Request) -> &str {
    match &request.call {
        baton::protocol::Call::BotTurn { text, .. } => text,
        other => panic!("expected a bot turn, got {other:?}"),
    }
}

/// The backend id a customer message goes out under (a bot turn or a message to the agent).
pub fn message_id(request: &Request) -> &str {
    match &request.call {
        baton::protocol::Call::BotTurn { message_id, .. } | baton::protocol::Call::CustomerToAgent { message_id, .. } => message_id,
        other => panic!("expected a customer message, got {other:?}"),
    }
}

impl Harness {
    /// Removes and returns the first outstanding request whose call matches.
    pub fn take(&mut self, pred: impl Fn(&baton::protocol::Call) -> bool) -> Request {
        let pos = self.sent.iter().position(|r| pred(&r.call)).unwrap_or_else(|| {
            panic!("no matching request among {:?}", self.sent.iter().map(|r| r.call.path()).collect::<Vec<_>>())
        });
        self.sent.remove(pos)
    }

    /// Answers the first outstanding request whose call matches.
    pub fn answer(&mut self, pred: impl Fn(&baton::protocol::Call) -> bool, outcome: Outcome) -> Request {
        let request = self.take(pred);
        self.input(Input::Response { id: request.id, outcome });
        request
    }

    pub fn pending(&self, pred: impl Fn(&baton::protocol::Call) -> bool) -> usize {
        self.sent.iter().filter(|r| pred(&r.call)).count()
    }

    pub fn stage(&self) -> &'static str {
        self.widget.view().handoff.stage
    }

    pub fn last_text(&self) -> String {
        self.messages().last().map(|m| m.text.clone()).unwrap_or_default()
    }

    pub fn events_named(&self, name: &str) -> Vec<Event> {
        self.events.iter().filter(|(_, e)| e.name() == name).map(|(_, e)| e.clone()).collect()
    }
}

impl Harness {
    /// Advances to each next deadline in turn until a matching request goes out (at most an hour).
    pub fn advance_until(&mut self, pred: impl Fn(&baton::protocol::Call) -> bool) {
        let limit = self.now.mono_ms + 3_600_000;
        while self.pending(&pred) == 0 {
            let deadline = self.widget.poll_timeout().expect("something is scheduled");
            assert!(deadline <= limit, "nothing matching went out within an hour");
            self.advance(deadline - self.now.mono_ms);
        }
    }
}

impl Harness {
    /// Another tab of the same site: shares this tab's storage as it is now.
    pub fn second_tab(&self) -> Harness {
        let mut tab = Self::boot(self.widget.config().clone(), Now::new(2_000, self.now.wall_ms), self.store.clone());
        for (key, version) in &self.versions {
            tab.versions.entry(key.clone()).or_insert(*version);
        }
        tab
    }

    /// Delivers storage events both ways until neither tab writes anything new (as the
    /// browser would, however the events interleave).
    pub fn settle_with(&mut self, other: &mut Harness) {
        for _ in 0..10 {
            self.deliver_to(other);
            other.deliver_to(self);
            if self.written.is_empty() && other.written.is_empty() {
                return;
            }
        }
        panic!("the two tabs kept rewriting each other's records");
    }

    /// Delivers what this tab wrote to `other`, as the browser's `storage` events do: the value
    /// lands in the shared storage and the other tab is told about the key.
    pub fn deliver_to(&mut self, other: &mut Harness) {
        self.writes.clear();
        for key in std::mem::take(&mut self.written) {
            let Some(value) = self.store.get(&key).cloned() else { continue };
            let version = self.versions.get(&key).copied().unwrap_or(0);
            self.storage_event(other, key, value, version);
        }
    }

    /// Delivers this tab's oldest write not yet delivered to `other`, with the value that write
    /// stored (the event's `newValue`), even if a later write (of either tab) replaced it since:
    /// one event at a time, so a test can interleave the two tabs' events and their requests
    /// as the browser may. Returns whether there was one.
    pub fn deliver_one_to(&mut self, other: &mut Harness) -> bool {
        let Some((key, value, version)) = self.writes.pop_front() else { return false };
        if let Some(pos) = self.written.iter().position(|k| *k == key) {
            self.written.remove(pos);
        }
        self.storage_event(other, key, value, version);
        true
    }

    fn storage_event(&mut self, other: &mut Harness, key: String, value: String, version: u64) {
        // The shared storage keeps whichever write came last.
        if other.versions.get(&key).is_none_or(|&theirs| theirs < version) {
            other.store.insert(key.clone(), value.clone());
            other.versions.insert(key.clone(), version);
        }
        let input = if key == header_key(&self.site) {
            let outbox = other.store.get(&snapshot::outbox_key(&self.site)).cloned();
            baton::snapshot::Header::decode(&value).ok().map(|h| Input::SyncHeader(Box::new(h.with_outbox(outbox))))
        } else if key == snapshot::outbox_key(&self.site) {
            None
        } else {
            baton::snapshot::decode_message(&value).map(Input::SyncMessage)
        };
        if let Some(input) = input {
            other.input(input);
        }
    }
}
