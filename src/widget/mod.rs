//! The widget core: a sans-IO state machine that owns the conversation and the handoff, asks
//! its driver for requests, storage writes and renders through [`Effect`]s, and reports its
//! next deadline. The handoff lifecycle lives in `handoff.rs`; this file holds the
//! conversation, the bot turns and the plumbing.
//!
//! Calling order (the same for the browser shell and the tests):
//! 1. `Widget::new(config, now, seed, restored)` once;
//! 2. on every event, `handle_input(input, now)`; when the deadline from `poll_timeout()` passes,
//!    `handle_timeout(now)` (a spurious or late call is a harmless no-op);
//! 3. after each of those, drain `poll_effect()` until `None`, carry the effects out, and re-arm
//!    the single timer at `poll_timeout()`.
//!
//! Results of requests come back as `Input::Response` tagged with the request id; a response
//! to a request the core no longer waits for (timed out, or from before a reload) is ignored.

mod handoff;

pub use handoff::{Handoff, HandoffView};

use crate::config::Config;
use crate::conversation::{BotMeta, Customer, Delivery, Message, Role, MAX_MESSAGE_CHARS};
use crate::handoff::environment::Environment;
use crate::handoff::package::Contact;
use crate::policy::{self, Action, Decision, PolicyState, Priority, ReasonCode, Turn};
use crate::protocol::{Call, Failure, Outcome, Reply, Request, RequestId};
use crate::redact::redact_cards;
use crate::rng::Rng;
use crate::snapshot::{Header, HeaderView, Stored, SNAPSHOT_VERSION};
use crate::strings::{fill, Strings};
use crate::time::{Now, BOT_TURN_TIMEOUT_MS, SECOND_MS};
use crate::fifo::Fifo;
use crate::table::Cat;

/// How long a message to the agent, a status poll or a CSAT answer may take.
const CASE_REQUEST_TIMEOUT_MS: u64 = 15 * SECOND_MS;
/// How long a pending offer outlives the page it was made on.
const OFFER_KEPT_MS: u64 = 30 * 60 * SECOND_MS;

/// Everything that can happen to the widget.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// The customer submitted text from the composer.
    CustomerTyped(String),
    /// The customer asked to resend a message that failed.
    Resend(u32),
    /// The result of a request the core asked for.
    Response { id: RequestId, outcome: Outcome },
    /// The host page described the customer.
    Identify(Customer),
    /// The panel was opened or closed.
    SetOpen(bool),
    /// The page and browser context, once at start.
    Environment(Environment),
    /// The "Speak to a human" button (or `requestHuman()`).
    RequestHuman,
    /// The customer accepted the offer of a person.
    AcceptOffer,
    /// The customer declined it and keeps chatting with the assistant.
    DeclineOffer,
    /// Support is offline or the wait is long: reach me this way instead.
    LeaveContact(Contact),
    /// Retry a handoff whose delivery stopped.
    RetryHandoff,
    /// Handoff satisfaction, 1 to 5.
    Csat(u8),
    /// Another tab of the same site stored its header (a `storage` event).
    SyncHeader(Box<Header>),
    /// Another tab of the same site stored a message record.
    SyncMessage(Message),
    /// The page is going away (reload, navigation, tab closed): hand the polling lease back.
    PageHide,
    /// The browser is back online (the `online` event): what failed on the way goes again.
    Online,
    /// The backend's event stream for [`Widget::watched_case`] says the case changed.
    CaseChanged,
    /// The page is back from the back/forward cache, where it heard none of the other tabs'
    /// writes: the stored message records (all of them, for the ones it holds may have changed
    /// too) and the stored header, taken in one step so that nothing is stored in between.
    CatchUp { messages: Vec<Message>, header: Box<Header> },
}

/// Something the driver must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Send(Request),
    Persist(Persist),
    Emit(Event),
    /// Message `id` is new or changed: draw it (append if new).
    ShowMessage(u32),
    /// The panel chrome (open state, typing, notice, handoff status) changed.
    Render,
}

/// A storage write. The driver reads the data from [`Widget::header`] and [`Widget::message`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persist {
    Header,
    /// The package being delivered ([`Widget::outbox`]), before the header that names it; with
    /// no package (`outbox()` is `None`), remove its record: delivered or given up.
    Outbox,
    Message(u32),
    /// Remove everything stored for this site (expired, corrupt or incompatible snapshot).
    Clear,
}

/// Something the host page can listen to (as JSON: `encode::event`).
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Ready { conversation_id: String, restored: bool },
    Message { message: Message },
    Decision { decision: Decision },
    /// A person was offered, with the current wait (`None`: unknown); `style` is `confirm`,
    /// `choice` or `offline`.
    Offer { style: &'static str, wait_seconds: Option<u32> },
    Escalated { case_id: String, case_number: String },
    Queue { position: Option<u32>, wait_seconds: Option<u32> },
    AgentJoined { name: String },
    Resolved { case_id: String },
    Csat { score: u8 },
    Error { code: &'static str, message: String },
}

impl Event {
    /// The event's name, as host pages listen for it.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Ready { .. } => "ready",
            Event::Message { .. } => "message",
            Event::Decision { .. } => "decision",
            Event::Offer { .. } => "offer",
            Event::Escalated { .. } => "escalated",
            Event::Queue { .. } => "queue",
            Event::AgentJoined { .. } => "agent_joined",
            Event::Resolved { .. } => "resolved",
            Event::Csat { .. } => "csat",
            Event::Error { .. } => "error",
        }
    }
}

/// A transient line under the transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Notice {
    TooLong,
    BotUnavailable,
    BadContact,
}

/// A request in flight and why it was made.
#[derive(Clone, Debug)]
struct InFlight {
    id: RequestId,
    deadline: u64,
    purpose: Purpose,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    BotTurn { message: u32 },
    Availability,
    Escalate,
    CaseStatus,
    CaseMessages,
    ToAgent { message: u32 },
    Csat,
}

/// The plain view model: what the default UI draws and headless hosts read (as JSON:
/// `encode::view`).
#[derive(Debug)]
pub struct View<'a> {
    pub conversation_id: &'a str,
    pub open: bool,
    /// Messages from the assistant or the team that arrived while the panel was closed (the
    /// launcher's badge); opening the panel clears it.
    pub unread: u32,
    /// The bot is working on an answer.
    pub typing: bool,
    pub notice: Option<String>,
    pub handoff: HandoffView,
    pub messages: &'a [Message],
    pub strings: &'a Strings,
}

pub struct Widget {
    config: Config,
    conversation_id: String,
    created_at: i64,
    messages: Vec<Message>,
    customer: Option<Customer>,
    environment: Environment,
    policy: PolicyState,
    open: bool,
    unread: u32,
    notice: Option<Notice>,
    handoff: Handoff,
    /// After "No thanks", no new proactive offer until the conversation has this many
    /// messages: a point in the shared transcript, so every tab can take the latest (a stale
    /// header's is earlier) and a countdown is not needed.
    offers_from: u32,
    /// How urgent the customer has said their case is since it was made (an emergency while
    /// waiting): sent with each message to the team, which raises the case to it.
    urgent: Option<Priority>,
    /// The message that raised the case, on its way: once it is delivered, this tab asks for
    /// the queue at once (the case moved up; the position and wait shown are stale).
    repoll: Option<u32>,
    /// The policy's decision on a customer message the bot has yet to answer: acted on with
    /// the decision on the reply, as one (one offer a turn, after the bot's answer).
    held: Option<(u32, Decision)>,
    /// Customer messages whose request went away with the previous page (restored as "Not
    /// sent"): their policy decision, held in that page, is made again on Resend.
    interrupted: Vec<u32>,
    /// The case this tab saw closed: a header still showing it open (stored by a tab that had
    /// not caught up) is never followed back into it.
    closed: Option<String>,
    /// When the latest offer (or question for one) any tab has told this one of was made: a
    /// clock every tab moves on, so a stored "no offer" can be told apart from an answer to
    /// this tab's offer (then it is followed) and from a tab that had not heard of it.
    offer: i64,
    /// The contact details left while waiting (the long-wait forms are done): stored with the
    /// case in the header, so a reload or another tab neither asks for nor sends them again.
    contact_left: Option<Contact>,
    /// Customer messages waiting for the bot, oldest first (one bot turn is in flight at a time,
    /// so replies arrive in order).
    bot_queue: Fifo<u32>,
    /// Customer messages waiting for the agent's case to exist.
    agent_queue: Fifo<u32>,
    in_flight: Vec<InFlight>,
    next_request: u64,
    effects: Fifo<Effect>,
    rng: Rng,
    last_now: Now,
    /// This tab's id, for the polling lease (not stored: every page load is a new tab).
    tab: String,
    /// Which tab polls the queue for all tabs, and until when (wall clock).
    lease: Option<(String, i64)>,
    /// Ids of the last few messages this tab added, to settle a clash with another tab.
    authored: Vec<u32>,
    /// Whether this conversation is in storage (restored, or stored since): tabs opened before
    /// any was stored each made up an id, and settle on one (see `sync_header`).
    stored: bool,
    /// This tab has been delivering a package whose record is stored: remove it once the
    /// handoff moves on (it held the transcript and the customer's details for nobody).
    outbox_kept: bool,
}

/// How many of this tab's latest message ids are remembered: a clash is settled within a few
/// storage events, long before this many more messages arrive.
const AUTHORED_KEPT: usize = 8;

impl Widget {
    /// Starts the core, restoring a stored conversation when there is a usable one.
    /// `restored` is `Err` when the driver found a snapshot it could not read.
    pub fn new(config: Config, now: Now, seed: u64, restored: Result<Option<Stored>, String>) -> Self {
        let mut rng = Rng::new(seed);
        let conversation_id = rng.uuid_v4();
        let tab = rng.uuid_v4();
        let mut widget = Widget {
            config,
            conversation_id,
            created_at: now.wall_ms,
            messages: Vec::new(),
            customer: None,
            environment: Environment::default(),
            policy: PolicyState::default(),
            open: false,
            unread: 0,
            notice: None,
            handoff: Handoff::Bot,
            offers_from: 0,
            urgent: None,
            repoll: None,
            held: None,
            interrupted: Vec::new(),
            closed: None,
            offer: 0,
            contact_left: None,
            bot_queue: Fifo::new(),
            agent_queue: Fifo::new(),
            in_flight: Vec::new(),
            next_request: 1,
            effects: Fifo::new(),
            rng,
            last_now: now,
            tab,
            lease: None,
            authored: Vec::new(),
            stored: false,
            outbox_kept: false,
        };
        let restored_ok = match restored {
            Ok(Some(stored)) => widget.restore(stored, now),
            Ok(None) => false,
            Err(_) => {
                // Unreadable: start afresh without alarming the customer.
                widget.persist(Persist::Clear);
                false
            }
        };
        // A package left in the outbox, or a poll that fell due while the page was away,
        // goes out now.
        widget.handoff_timers(now);
        widget.effects.push_back(Effect::Render);
        widget.effects.push_back(Effect::Emit(Event::Ready {
            conversation_id: widget.conversation_id.clone(),
            restored: restored_ok,
        }));
        widget
    }

    /// Adopts a stored conversation if it is current and not expired; otherwise asks for it to
    /// be cleared. Returns whether it was adopted.
    fn restore(&mut self, stored: Stored, now: Now) -> bool {
        let Stored { header, messages } = stored;
        let age = now.wall_ms.saturating_sub(header.saved_at);
        // Saved "in the future" means the clock moved back (a correction): not expired.
        let expired = age > 0 && age as u64 > self.config.retention_ms;
        if header.v != SNAPSHOT_VERSION || expired || header.conversation_id.is_empty() {
            self.persist(Persist::Clear);
            return false;
        }
        self.conversation_id = header.conversation_id;
        self.stored = true;
        self.created_at = header.created_at;
        self.open = header.open;
        self.unread = header.unread;
        self.customer = header.customer;
        self.policy = header.policy;
        self.contact_left = header.handoff.as_ref().and_then(handoff::saved_contact);
        self.handoff = Handoff::restore(header.handoff.as_ref(), now);
        if self.handoff.case().is_none() {
            self.contact_left = None;
        }
        self.note_closed();
        // Stored again in its own record (a header of an older build carried it).
        if self.outbox().is_some() {
            self.persist(Persist::Outbox);
            self.outbox_kept = true;
        }
        self.lease = header.poller;
        self.offers_from = header.offers_from;
        self.urgent = header.urgent;
        self.offer = header.offer;
        // Keep the readable prefix: a record lost to a full disk must not shift the ids after it.
        let mut messages = messages;
        let mut readable = 0;
        while messages.get(readable).is_some_and(|m| m.id as usize == readable) {
            readable += 1;
        }
        messages.truncate(readable);
        for m in &mut messages {
            // A request in flight when the page went away is lost: "Not sent", and sent again
            // below if it is recent (else the customer resends it).
            if matches!(m.delivery, Delivery::Sending | Delivery::Queued) {
                m.delivery = Delivery::Failed;
                self.interrupted.push(m.id);
            }
            self.effects.push_back(Effect::ShowMessage(m.id));
        }
        self.messages = messages;
        if self.messages.len() as u32 != header.messages {
            self.persist(Persist::Header);
        }
        // A pending offer is for the customer who just left the page, not for one back days
        // later (its wait is stale, and the moment gone).
        if self.handoff.pending() && age > OFFER_KEPT_MS as i64 {
            self.handoff = Handoff::Bot;
        }
        // The page went away while the wait was being asked: ask again, unless the tab that
        // asks is still open (it holds the lease until its answer).
        if let Handoff::Checking { trigger } = &self.handoff {
            let asked_elsewhere = self.lease.as_ref().is_some_and(|(_, until)| *until > now.wall_ms);
            let trigger = trigger.clone();
            if asked_elsewhere {
                self.handoff = Handoff::Bot;
                // The offer being prepared is not one this tab knows the answer to.
                self.offer -= 1;
            } else {
                self.check(trigger, now);
            }
        }
        // A message the page went away from a moment ago (a reload, a click to another page)
        // goes again, under its own id, which the backend stores once (QA: it stayed "Not
        // sent"). Failed ones too: leaving a page aborts its requests, and the failure may be
        // stored before the page is gone. One from long ago waits for Resend, as an old offer
        // is dropped.
        self.resend_failed(now, now.wall_ms.saturating_sub(OFFER_KEPT_MS as i64));
        true
    }

    /// Sends again every customer message marked "Not sent" since `since` (wall clock), each
    /// under its own id.
    fn resend_failed(&mut self, now: Now, since: i64) {
        // The ids first, pushed one by one (`collect` is two generic routines of std's in the
        // wasm for this one vector): resending changes the messages.
        let mut failed = Vec::new();
        for m in &self.messages {
            if m.role == Role::Customer && m.delivery == Delivery::Failed && m.at >= since {
                failed.push(m.id);
            }
        }
        for id in failed {
            self.resend(id, now);
        }
    }

    pub fn handle_input(&mut self, input: Input, now: Now) {
        self.last_now = now;
        match input {
            Input::CustomerTyped(text) => self.customer_typed(&text, now),
            Input::Resend(id) => self.resend(id, now),
            Input::Response { id, outcome } => self.response(id, outcome, now),
            Input::Identify(customer) => {
                self.customer = Some(customer);
                self.persist_header();
                // The view carries the email (to fill in a contact form already shown).
                self.render();
            }
            Input::SetOpen(open) => {
                if self.open != open {
                    self.open = open;
                    self.unread = 0;
                    self.persist_header();
                    self.render();
                }
            }
            Input::Environment(mut environment) => {
                // The page's address and title can carry what the customer typed into the
                // site (a query string with a card number): masked like their messages.
                let fields = [(&mut environment.page_url, true), (&mut environment.page_title, false), (&mut environment.referrer, true)];
                for (text, url) in fields {
                    if let Some(text) = text {
                        if url {
                            *text = unescape_separators(text);
                        }
                        *text = self.clean(text);
                    }
                }
                self.environment = environment;
            }
            Input::RequestHuman => self.request_human(now),
            Input::AcceptOffer => self.accept_offer(now),
            Input::DeclineOffer => self.decline_offer(now),
            Input::LeaveContact(contact) => self.leave_contact(contact, now),
            Input::RetryHandoff => self.retry_handoff(now),
            Input::Csat(score) => self.csat(score, now),
            Input::SyncHeader(mut header) => self.sync_header(&mut header, now),
            Input::SyncMessage(message) => self.sync_message(&message),
            Input::PageHide => {
                if self.lease.as_ref().is_some_and(|(tab, _)| *tab == self.tab) {
                    self.lease = None;
                    self.persist_header();
                }
            }
            Input::Online => {
                // Messages marked "Not sent" go again under their own ids (the backend stores
                // each once), and a stopped handoff under its key (never a second case), as if
                // the customer had pressed Resend and Try again (QA: nothing was retried after
                // the connection came back, and the agent never saw those messages).
                self.resend_failed(now, i64::MIN);
                self.retry_handoff(now);
            }
            Input::CaseChanged => self.case_changed(now),
            Input::CatchUp { messages, mut header } => {
                // Each message taken may store the header; those writes are carried out after
                // this input, so they store the header as it is once caught up, never the old
                // one from before the page was frozen (review: the next page fetched, showed
                // and rated again what this one had missed).
                for message in &messages {
                    self.sync_message(message);
                }
                self.sync_header(&mut header, now);
                self.persist_header();
            }
        }
    }

    /// Fires every deadline that has passed. Harmless when nothing is due.
    pub fn handle_timeout(&mut self, now: Now) {
        self.last_now = now;
        while let Some(pos) = self.in_flight.iter().position(|r| r.deadline <= now.mono_ms) {
            let request = self.in_flight.swap_remove(pos);
            self.finish(request.purpose, &Err(Failure::Timeout), now);
        }
        self.handoff_timers(now);
    }

    /// The next effect to carry out, if any.
    pub fn poll_effect(&mut self) -> Option<Effect> {
        self.effects.pop_front()
    }

    /// The case whose changes the driver should hear of as they happen (the backend's event
    /// stream, where it has one), feeding each as [`Input::CaseChanged`]: the case being
    /// waited on or talked in, unless another tab of the site holds the polling lease (it
    /// listens for all tabs: a browser allows only a few open connections to one host).
    pub fn watched_case(&self) -> Option<&str> {
        let elsewhere = self.lease.as_ref().is_some_and(|(tab, until)| *tab != self.tab && *until > self.last_now.wall_ms);
        self.handoff.case().filter(|_| !elsewhere).map(|case| case.id.as_str())
    }

    /// The earliest monotonic instant at which `handle_timeout` has work to do.
    pub fn poll_timeout(&self) -> Option<u64> {
        let requests = self.in_flight.iter().map(|r| r.deadline).min();
        match (requests, self.handoff.deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn view(&self) -> View<'_> {
        let handoff = self.handoff_view();
        // A bad email or phone is said only beside the form it was typed in (review: after
        // "Keep chatting", or once an agent joined, it stayed on screen).
        let notice = self.notice.and_then(|n| match n {
            Notice::TooLong => {
                Some(fill(self.config.strings.too_long(), &[("max", &crate::json::int_text(MAX_MESSAGE_CHARS as i64))]))
            }
            Notice::BotUnavailable => Some(self.config.strings.bot_unavailable().to_owned()),
            Notice::BadContact => handoff.asks_contact().then(|| self.config.strings.bad_contact().to_owned()),
        });
        View {
            conversation_id: &self.conversation_id,
            open: self.open,
            unread: self.unread,
            typing: self.waiting_for(Purpose::BotTurn { message: 0 }),
            notice,
            handoff,
            messages: &self.messages,
            strings: &self.config.strings,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn message(&self, id: u32) -> Option<&Message> {
        self.messages.get(id as usize)
    }

    /// The package being delivered, or stuck: its idempotency key and JSON body.
    pub fn outbox(&self) -> Option<(&str, &str)> {
        match &self.handoff {
            Handoff::Sending { outbox, .. } | Handoff::Stuck { outbox, .. } => Some((&outbox.key, &outbox.body)),
            _ => None,
        }
    }

    /// The snapshot header as it should be stored now.
    pub fn header(&self) -> HeaderView<'_> {
        let mut handoff = self.handoff.save(self.last_now);
        // With the details left while waiting: a reload or another tab does not ask for them
        // again (QA: the forms came back, and a second contact message went out).
        if let (Some(s), Some(_)) = (&mut handoff, self.handoff.case()) {
            handoff::put_contact(s, self.contact_left.as_ref());
        }
        HeaderView {
            conversation_id: &self.conversation_id,
            created_at: self.created_at,
            saved_at: self.last_now.wall_ms,
            messages: self.messages.len() as u32,
            open: self.open,
            unread: self.unread,
            customer: self.customer.as_ref(),
            policy: &self.policy,
            handoff,
            poller: self.lease.as_ref(),
            offers_from: self.offers_from,
            urgent: self.urgent,
            offer: self.offer,
        }
    }

    /// Another tab stored a message: show it here too (it is already stored).
    ///
    /// Two tabs can each add message `id` before hearing of the other's (storage events are
    /// asynchronous). Every tab settles such a clash the same way: the earlier message (then by
    /// role and text) keeps the id, and the tab that wrote the other one moves it to the end and
    /// stores it there, so both tabs, and the storage, end up with both messages.
    fn sync_message(&mut self, m: &Message) {
        let id = m.id;
        let Some(mine) = self.messages.get(id as usize) else {
            if id as usize == self.messages.len() {
                self.messages.push(m.clone());
                self.shown(id);
                // The stored count may predate this message (another tab's header can land
                // after it): store ours, which counts it.
                self.persist_header();
            }
            return;
        };
        if mine == m {
            return;
        }
        // Two tabs' answers to one question, each stamped when its tab got it, are one
        // message (review: both tabs sent it, both answers came before either heard of the
        // other, and the transcript showed it twice).
        let same = mine.role == m.role && (mine.at == m.at || m.role == Role::Ai) && mine.text == m.text;
        // Sent is final. A record of a sent message that says otherwise is older: the tab that
        // moves its own message in a clash stores the other's again as it first heard of it,
        // and that copy can land after the "sent" (QA: "sending" for good in one tab, "Not
        // sent" after a reload). So a tab that knows it was sent stores that over the copy,
        // whether it hears of the copy (ours goes back) or of the "sent" after it (the tab
        // that sent the message may be gone by then).
        if same && mine.delivery == Delivery::Sent && m.delivery != Delivery::Sent {
            self.persist(Persist::Message(id));
            return;
        }
        if same && m.delivery == Delivery::Sent && mine.delivery != Delivery::Sent {
            self.messages[id as usize] = m.clone();
            self.changed(id);
            return;
        }
        if !same && self.authored.contains(&id) {
            if (mine.at, mine.role.as_str(), &mine.text) < (m.at, m.role.as_str(), &m.text) {
                // Ours keeps the id: store it again over theirs (the other tab moves theirs).
                self.persist(Persist::Message(id));
                return;
            }
            let new_id = self.messages.len() as u32;
            let mut moved = std::mem::replace(&mut self.messages[id as usize], m.clone());
            moved.id = new_id;
            self.renumber(id, new_id);
            self.messages.push(moved);
            self.changed(id);
            self.changed(new_id);
            self.persist_header();
            return;
        }
        self.messages[id as usize] = m.clone();
        self.shown(id);
    }

    /// Points everything that refers to message `from` (queues, requests in flight, this
    /// tab's authored list) at `to`.
    fn renumber(&mut self, from: u32, to: u32) {
        self.bot_queue.replace(&from, &to);
        self.agent_queue.replace(&from, &to);
        for id in &mut self.authored {
            if *id == from {
                *id = to;
            }
        }
        for r in &mut self.in_flight {
            if let Purpose::BotTurn { message } | Purpose::ToAgent { message } = &mut r.purpose {
                if *message == from {
                    *message = to;
                }
            }
        }
    }

    fn customer_typed(&mut self, text: &str, now: Now) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        if crate::conversation::too_long(text) {
            self.set_notice(Some(Notice::TooLong));
            return;
        }
        self.set_notice(None);
        let text = self.clean(text);
        if self.typed_answer(&text, now) {
            return;
        }
        if self.handoff.with_team() {
            // A person has (or is about to have) the conversation: the bot stays silent.
            let raised = self.urgency(&text);
            if raised {
                self.repoll = Some(self.messages.len() as u32);
            }
            self.message_agent(text, now);
            if raised {
                let told = self.config.strings.told_urgent().to_owned();
                self.system(told, now);
            }
            return;
        }
        if matches!(self.handoff, Handoff::Resolved { .. }) {
            self.handoff = Handoff::Bot;
            self.render();
        }
        let decision = self.assess(&Turn::Customer { text: &text });
        let offline = matches!(self.handoff, Handoff::Offline { .. });
        // Nobody is in and the contact form is up: a person asked for again is told so again,
        // not answered by the bot ("I'm not sure I can help with that", QA). The message goes
        // with the transcript when details are left. (A question with a request beside it, the
        // choice, is still the bot's to answer.)
        let again = offline && decision.action == Action::Escalate && decision.reasons.iter().any(|r| r.code == ReasonCode::HumanRequest);
        let immediate = again || handoff::is_immediate(&decision) && self.acts_on(&decision);
        // An immediate handoff takes the message to a person; the bot does not answer it.
        let delivery = if immediate { Delivery::Sent } else { Delivery::Queued };
        let id = self.push_message(Role::Customer, text, delivery, None, now);
        if again {
            let text = fill(self.config.strings.offline(), &[("reopen", "")]);
            self.system(text, now);
        }
        if !immediate {
            self.bot_queue.push_back(id);
            self.pump_bot(now);
        }
        if immediate || offline {
            // At once: a connection, or (nobody available) what the contact form will send.
            self.decided(decision, now);
        } else {
            // Put to the customer with the bot's answer, not above it.
            self.hold(id, decision);
        }
    }

    /// The policy's decision on one turn, with what the host told us of the customer.
    pub(super) fn assess(&mut self, turn: &Turn) -> Decision {
        let tier = self.customer.as_ref().and_then(|c| c.tier.as_deref());
        policy::decide(&self.config.policy, &mut self.policy, turn, &policy::Facts { tier })
    }

    /// The policy's decision on a customer message, asked of a copy of its memory (which the
    /// message leaves as it was).
    fn assess_aside(&mut self, text: &str) -> Decision {
        let memory = self.policy.clone();
        let decision = self.assess(&Turn::Customer { text });
        self.policy = memory;
        decision
    }

    /// Whether a message to the team makes the case more urgent than the customer has said so
    /// far: a reason that is urgent on its own (a hacked account, anger, a large sum, a legal
    /// matter). Asked of a copy of the policy's memory: the bot's repeat and failure counts
    /// are about the bot's answers, not the team's.
    fn urgency(&mut self, text: &str) -> bool {
        let decision = self.assess_aside(text);
        let urgent = decision.reasons.iter().any(|r| r.code.priority() >= Priority::High);
        if !urgent || self.urgent.is_some_and(|u| u >= decision.priority) {
            return false;
        }
        self.urgent = Some(decision.priority);
        self.emit(Event::Decision { decision });
        true
    }

    /// A customer message for the person on the case: queued until the case exists.
    pub(super) fn message_agent(&mut self, text: String, now: Now) {
        let id = self.push_message(Role::Customer, text, Delivery::Queued, None, now);
        self.agent_queue.push_back(id);
        self.pump_agent(now);
    }

    fn resend(&mut self, id: u32, now: Now) {
        let Some(message) = self.messages.get_mut(id as usize) else { return };
        if message.role != Role::Customer || message.delivery != Delivery::Failed {
            return;
        }
        message.delivery = Delivery::Queued;
        self.changed(id);
        self.set_notice(None);
        let interrupted = self.interrupted.iter().position(|&m| m == id).map(|pos| self.interrupted.swap_remove(pos));
        if self.handoff.with_team() {
            self.agent_queue.push_back(id);
            self.pump_agent(now);
        } else {
            // Sent before a reload that lost its turn: the policy's word on it went with the
            // page (review: a $480 refund's offer never came), so it is asked again, of a copy
            // of its memory (the message was counted once already).
            if interrupted.is_some() {
                let text = self.messages.get(id as usize).map(|m| m.text.clone()).unwrap_or_default();
                let decision = self.assess_aside(&text);
                self.hold(id, decision);
            }
            self.bot_queue.push_back(id);
            self.pump_bot(now);
        }
    }

    /// Sends the oldest queued customer message to the bot, unless a turn is already in flight.
    fn pump_bot(&mut self, now: Now) {
        // Never while the team has the conversation (messages held after a 409 wait for the
        // case to close).
        if self.handoff.with_team() || self.waiting_for(Purpose::BotTurn { message: 0 }) {
            return;
        }
        let Some(id) = self.bot_queue.pop_front() else { return };
        let Some(message) = self.messages.get_mut(id as usize) else { return };
        // Another tab got it answered while it waited here (review: sent again, and answered
        // twice).
        if message.delivery == Delivery::Sent {
            return self.pump_bot(now);
        }
        message.delivery = Delivery::Sending;
        let call = Call::BotTurn {
            conversation_id: self.conversation_id.clone(),
            message_id: message.wire_id(),
            text: message.text.clone(),
            locale: self.config.locale.clone(),
        };
        self.changed(id);
        self.send(call, Purpose::BotTurn { message: id }, BOT_TURN_TIMEOUT_MS, now);
        self.render();
    }

    fn send(&mut self, call: Call, purpose: Purpose, timeout_ms: u64, now: Now) {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        self.in_flight.push(InFlight { id, deadline: now.mono_ms.saturating_add(timeout_ms), purpose });
        self.effects.push_back(Effect::Send(Request { id, call, timeout_ms }));
    }

    /// Stops waiting for the requests of one purpose: their answers, if any come, are ignored.
    fn forget(&mut self, purpose: Purpose) {
        self.in_flight.retain(|r| r.purpose != purpose);
    }

    /// Whether a request of this kind is in flight (for a message: about any message).
    fn waiting_for(&self, kind: Purpose) -> bool {
        self.in_flight.iter().any(|r| std::mem::discriminant(&r.purpose) == std::mem::discriminant(&kind))
    }

    fn response(&mut self, id: RequestId, outcome: Outcome, now: Now) {
        let Some(pos) = self.in_flight.iter().position(|r| r.id == id) else { return };
        let request = self.in_flight.swap_remove(pos);
        self.finish(request.purpose, &outcome, now);
    }

    /// Acts on the answer to a request. The outcome is borrowed by every handler, so it is
    /// dropped in one place, whatever way each takes out of it.
    fn finish(&mut self, purpose: Purpose, outcome: &Outcome, now: Now) {
        match purpose {
            Purpose::BotTurn { message } => self.bot_answered(message, outcome, now),
            Purpose::ToAgent { message } => self.agent_message_sent(message, outcome, now),
            Purpose::Availability => self.availability_answered(outcome, now),
            Purpose::Escalate => self.escalation_answered(outcome, now),
            Purpose::CaseStatus => match outcome {
                Ok(Reply::Case(status)) => self.case_status_answered(status, now),
                Ok(_) => {}
                // The next poll is already scheduled; say so to the developer, not the customer.
                Err(failure) => self.failed("case_status_failed", failure),
            },
            Purpose::CaseMessages => self.case_messages_answered(outcome, now),
            Purpose::Csat => {
                if let Err(failure) = outcome {
                    self.failed("csat_failed", failure);
                    // Not recorded: the rating buttons come back, so the customer can answer
                    // again; unless the backend will never take one (409: already rated, or
                    // nobody joined), where asking again would fail for ever.
                    let final_answer = matches!(failure, Failure::Status { status: 409, .. });
                    if let (false, Handoff::Resolved { csat, .. }) = (final_answer, &mut self.handoff) {
                        *csat = None;
                        self.persist_header();
                        self.render();
                    }
                }
            }
        }
    }

    fn bot_answered(&mut self, message: u32, outcome: &Outcome, now: Now) {
        let reply = match outcome {
            Ok(Reply::Bot(reply)) => reply.validate().map(|()| reply),
            Ok(_) => Err(String::from("unexpected reply")),
            Err(failure) => Err(describe(failure)),
        };
        // Another tab answered it already (both sent it: one had just been opened when the
        // other reloaded): its reply is in the transcript, so this one is not added again.
        let answered = self.messages.get(message as usize).is_some_and(|m| m.delivery == Delivery::Sent);
        match reply {
            _ if answered => {}
            Ok(reply) => {
                self.set_delivery(message, Delivery::Sent);
                let text = self.clean(&reply.text);
                // The reply is to this message, whatever the customer typed since.
                self.policy.small_talk = self.messages.get(message as usize).is_some_and(|m| policy::is_small_talk(&m.text));
                let decision = self.assess(&Turn::Bot {
                    text: &text,
                    confidence: reply.confidence,
                    intent: reply.intent.as_deref(),
                    step: reply.step.as_deref(),
                    resolved: reply.resolved,
                });
                let meta = BotMeta {
                    confidence: reply.confidence,
                    intent: reply.intent.clone(),
                    step: reply.step.clone(),
                    resolved: reply.resolved,
                };
                self.push_message(Role::Ai, text, Delivery::Sent, Some(meta), now);
                self.hold(message, decision);
            }
            Err(what) => {
                self.set_delivery(message, Delivery::Failed);
                self.set_notice(Some(Notice::BotUnavailable));
                self.error("bot_unavailable", &["the bot reply failed: ", &what].cat());
            }
        }
        // The turn is over: what the customer's message and the reply decided, as one.
        if let Some((_, decision)) = self.held.take_if(|(id, _)| *id <= message) {
            self.act(decision, now);
        }
        self.render();
        self.pump_bot(now);
    }

    /// Masks card numbers and the site's own patterns: done once, as text enters the core.
    pub(super) fn clean(&self, text: &str) -> String {
        let text = redact_cards(text);
        match crate::redact::redact_patterns(&text, &self.config.redact) {
            Some(masked) => masked,
            None => text.into_owned(),
        }
    }

    fn push_message(&mut self, role: Role, text: String, delivery: Delivery, bot: Option<BotMeta>, now: Now) -> u32 {
        self.push_authored(role, text, None, delivery, bot, now.wall_ms)
    }

    fn push_authored(
        &mut self,
        role: Role,
        text: String,
        author: Option<String>,
        delivery: Delivery,
        bot: Option<BotMeta>,
        mut at: i64,
    ) -> u32 {
        // Two equal messages in one millisecond (`send()` twice in one tick) would share a
        // `wire_id` and the backend would keep one: the later one moves a millisecond on.
        let recent = self.messages.get(self.messages.len().saturating_sub(4)..).unwrap_or_default();
        while at < i64::MAX && recent.iter().any(|m| m.role == role && m.at == at && m.text == text) {
            at += 1;
        }
        let id = self.messages.len() as u32;
        self.note_unread(role);
        self.messages.push(Message { id, role, text, at, author, delivery, bot });
        if self.authored.len() == AUTHORED_KEPT {
            self.authored.remove(0);
        }
        self.authored.push(id);
        self.changed(id);
        self.persist_header();
        id
    }

    fn set_delivery(&mut self, id: u32, delivery: Delivery) {
        if let Some(m) = self.messages.get_mut(id as usize) {
            if m.delivery != delivery {
                m.delivery = delivery;
                self.changed(id);
            }
        }
    }

    /// Records that message `id` is new or changed: redraw it, store it, tell the host.
    fn changed(&mut self, id: u32) {
        self.persist(Persist::Message(id));
        self.shown(id);
    }

    /// Message `id` is new or changed here (stored already): redraw it and tell the host, which
    /// may render its own UI from these events (delivery: sent, failed…).
    fn shown(&mut self, id: u32) {
        if let Some(message) = self.messages.get(id as usize) {
            self.effects.push_back(Effect::Emit(Event::Message { message: message.clone() }));
        }
        self.effects.push_back(Effect::ShowMessage(id));
    }

    /// A message the customer did not write arrived while the panel is closed: the launcher
    /// says so. Counted by the tab that received it; the others take the count from its header.
    fn note_unread(&mut self, role: Role) {
        if !self.open && role != Role::Customer {
            self.unread = self.unread.saturating_add(1);
            self.render();
        }
    }

    fn persist_header(&mut self) {
        self.stored = true;
        self.persist(Persist::Header);
        // After the header that no longer names it (review: the record stayed until the
        // retention ran out, or the next package replaced it).
        let sending = self.outbox().is_some();
        if self.outbox_kept && !sending {
            self.persist(Persist::Outbox);
        }
        self.outbox_kept = sending;
    }

    fn persist(&mut self, what: Persist) {
        self.effects.push_back(Effect::Persist(what));
    }

    fn render(&mut self) {
        self.effects.push_back(Effect::Render);
    }

    fn emit(&mut self, event: Event) {
        self.effects.push_back(Effect::Emit(event));
    }

    fn error(&mut self, code: &'static str, what: &str) {
        self.emit(Event::Error { code, message: ["Baton: ", what].cat() });
    }

    /// A request failed: the host hears why, in English.
    fn failed(&mut self, code: &'static str, failure: &Failure) {
        self.error(code, &describe(failure));
    }

    fn set_notice(&mut self, notice: Option<Notice>) {
        if self.notice != notice {
            self.notice = notice;
            self.render();
        }
    }
}

/// What went wrong with a request, in the customer's language (`failed_*` strings).
fn failure_text(s: &Strings, failure: &Failure) -> String {
    match failure {
        Failure::Network => String::from(s.failed_network()),
        Failure::Timeout => String::from(s.failed_timeout()),
        Failure::Status { status, .. } => fill(s.failed_status(), &[("status", &crate::json::int_text(i64::from(*status)))]),
        Failure::Malformed(_) => String::from(s.failed_reply()),
    }
}

/// What went wrong with a request, in English for the site's developers (error events).
fn describe(failure: &Failure) -> String {
    match failure {
        Failure::Malformed(what) => what.clone(),
        Failure::Status { status, .. } => ["the backend answered HTTP ", &crate::json::int_text(i64::from(*status))].cat(),
        Failure::Network => String::from("the backend could not be reached"),
        Failure::Timeout => String::from("the backend did not answer in time"),
    }
}

/// A URL with the separators a form encodes spelled out (`+` and `%20` as spaces, `%2D` as a
/// dash), so a card number typed into a GET form ("4111+1111+1111+1111") is found and masked.
fn unescape_separators(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(c) = rest.chars().next() {
        let (text, skip) = match (c, rest.get(..3)) {
            ('+', _) => (" ", 1),
            ('%', Some("%20")) => (" ", 3),
            ('%', Some("%2D" | "%2d")) => ("-", 3),
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
                continue;
            }
        };
        out.push_str(text);
        rest = &rest[skip..];
    }
    out
}
