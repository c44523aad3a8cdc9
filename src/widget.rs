//! The widget core: a sans-IO state machine that owns the conversation, asks its driver for
//! requests, storage writes and renders through [`Effect`]s, and reports its next deadline.
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

use crate::config::Config;
use crate::conversation::{BotMeta, Customer, Delivery, Message, Role, MAX_MESSAGE_CHARS};
use crate::policy::{self, Decision, PolicyState, Turn};
use crate::protocol::{BotTurnBody, Call, Failure, Outcome, Reply, Request, RequestId};
use crate::redact::redact_cards;
use crate::rng::Rng;
use crate::snapshot::{Header, Stored, SNAPSHOT_VERSION};
use crate::strings::{fill, Strings};
use crate::time::{Now, BOT_TURN_TIMEOUT_MS};
use serde::Serialize;
use std::collections::VecDeque;

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
}

/// Something the driver must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Send(Request),
    Persist(Persist),
    Emit(Event),
    /// Message `id` is new or changed: draw it (append if new).
    ShowMessage(u32),
    /// The panel chrome (open state, typing indicator, notice) changed.
    Render,
}

/// A storage write. The driver reads the data from [`Widget::header`] and [`Widget::message`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persist {
    Header,
    Message(u32),
    /// Remove everything stored for this site (expired, corrupt or incompatible snapshot).
    Clear,
}

/// Something the host page can listen to.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Ready { conversation_id: String, restored: bool },
    Message { message: Message },
    Decision { decision: Decision },
    Error { code: &'static str, message: String },
}

/// A transient line under the transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Notice {
    TooLong,
    BotUnavailable,
}

/// A request in flight and why it was made.
#[derive(Clone, Debug)]
struct InFlight {
    id: RequestId,
    deadline: u64,
    purpose: Purpose,
}

#[derive(Clone, Copy, Debug)]
enum Purpose {
    BotTurn { message: u32 },
}

/// The plain view model: what the default UI draws and headless hosts read.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct View<'a> {
    pub conversation_id: &'a str,
    pub open: bool,
    /// The bot is working on an answer.
    pub typing: bool,
    pub notice: Option<String>,
    pub messages: &'a [Message],
    #[serde(skip)]
    pub strings: &'a Strings,
}

pub struct Widget {
    config: Config,
    conversation_id: String,
    created_at: i64,
    messages: Vec<Message>,
    customer: Option<Customer>,
    policy: PolicyState,
    open: bool,
    notice: Option<Notice>,
    /// Customer messages waiting for the bot, oldest first (one bot turn is in flight at a time,
    /// so replies arrive in order).
    bot_queue: VecDeque<u32>,
    in_flight: Vec<InFlight>,
    next_request: u64,
    effects: VecDeque<Effect>,
    rng: Rng,
    last_now: Now,
}

impl Widget {
    /// Starts the core, restoring a stored conversation when there is a usable one.
    /// `restored` is `Err` when the driver found a snapshot it could not read.
    pub fn new(config: Config, now: Now, seed: u64, restored: Result<Option<Stored>, String>) -> Self {
        let mut rng = Rng::new(seed);
        let conversation_id = rng.uuid_v4();
        let mut widget = Widget {
            config,
            conversation_id,
            created_at: now.wall_ms,
            messages: Vec::new(),
            customer: None,
            policy: PolicyState::default(),
            open: false,
            notice: None,
            bot_queue: VecDeque::new(),
            in_flight: Vec::new(),
            next_request: 1,
            effects: VecDeque::new(),
            rng,
            last_now: now,
        };
        let restored_ok = match restored {
            Ok(Some(stored)) => widget.restore(stored, now),
            Ok(None) => false,
            Err(_) => {
                // Unreadable: start afresh without alarming the customer.
                widget.effects.push_back(Effect::Persist(Persist::Clear));
                false
            }
        };
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
        let expired = age < 0 || age as u64 > self.config.retention_ms;
        if header.v != SNAPSHOT_VERSION || expired || header.conversation_id.is_empty() {
            self.effects.push_back(Effect::Persist(Persist::Clear));
            return false;
        }
        self.conversation_id = header.conversation_id;
        self.created_at = header.created_at;
        self.open = header.open;
        self.customer = header.customer;
        self.policy = header.policy;
        // Keep the readable prefix: a record lost to a full disk must not shift the ids after it.
        self.messages = messages
            .into_iter()
            .take(header.messages as usize)
            .enumerate()
            .take_while(|(i, m)| m.id as usize == *i)
            .map(|(_, m)| m)
            .collect();
        for m in &mut self.messages {
            // A request in flight when the page went away is lost; let the customer resend it.
            if matches!(m.delivery, Delivery::Sending | Delivery::Queued) {
                m.delivery = Delivery::Failed;
            }
        }
        for id in 0..self.messages.len() as u32 {
            self.effects.push_back(Effect::ShowMessage(id));
        }
        if self.messages.len() as u32 != header.messages {
            self.effects.push_back(Effect::Persist(Persist::Header));
        }
        true
    }

    pub fn handle_input(&mut self, input: Input, now: Now) {
        self.last_now = now;
        match input {
            Input::CustomerTyped(text) => self.customer_typed(&text, now),
            Input::Resend(id) => self.resend(id, now),
            Input::Response { id, outcome } => self.response(id, outcome, now),
            Input::Identify(customer) => {
                self.customer = Some(customer);
                self.effects.push_back(Effect::Persist(Persist::Header));
            }
            Input::SetOpen(open) => {
                if self.open != open {
                    self.open = open;
                    self.effects.push_back(Effect::Persist(Persist::Header));
                    self.effects.push_back(Effect::Render);
                }
            }
        }
    }

    /// Fires every deadline that has passed. Harmless when nothing is due.
    pub fn handle_timeout(&mut self, now: Now) {
        self.last_now = now;
        while let Some(pos) = self.in_flight.iter().position(|r| r.deadline <= now.mono_ms) {
            let request = self.in_flight.swap_remove(pos);
            self.finish(request, Err(Failure::Timeout), now);
        }
    }

    /// The next effect to carry out, if any.
    pub fn poll_effect(&mut self) -> Option<Effect> {
        self.effects.pop_front()
    }

    /// The earliest monotonic instant at which `handle_timeout` has work to do.
    pub fn poll_timeout(&self) -> Option<u64> {
        self.in_flight.iter().map(|r| r.deadline).min()
    }

    pub fn view(&self) -> View<'_> {
        let notice = self.notice.map(|n| match n {
            Notice::TooLong => {
                fill(&self.config.strings.too_long, &[("max", &MAX_MESSAGE_CHARS.to_string())])
            }
            Notice::BotUnavailable => self.config.strings.bot_unavailable.clone(),
        });
        View {
            conversation_id: &self.conversation_id,
            open: self.open,
            typing: self.in_flight.iter().any(|r| matches!(r.purpose, Purpose::BotTurn { .. })),
            notice,
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

    /// The snapshot header as it should be stored now.
    pub fn header(&self) -> Header {
        Header {
            v: SNAPSHOT_VERSION,
            conversation_id: self.conversation_id.clone(),
            created_at: self.created_at,
            saved_at: self.last_now.wall_ms,
            messages: self.messages.len() as u32,
            open: self.open,
            customer: self.customer.clone(),
            policy: self.policy.clone(),
        }
    }

    fn customer_typed(&mut self, text: &str, now: Now) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        if text.chars().count() > MAX_MESSAGE_CHARS {
            self.set_notice(Some(Notice::TooLong));
            return;
        }
        self.set_notice(None);
        let text = redact_cards(text).into_owned();
        let tier = self.customer.as_ref().and_then(|c| c.tier.as_deref());
        let decision = policy::decide(
            &self.config.policy,
            &mut self.policy,
            &Turn::Customer { text: &text },
            &policy::Facts { tier },
        );
        let id = self.push_message(Role::Customer, text, Delivery::Queued, None, now);
        self.emit_decision(decision);
        self.bot_queue.push_back(id);
        self.pump_bot(now);
    }

    fn resend(&mut self, id: u32, now: Now) {
        let Some(message) = self.messages.get_mut(id as usize) else { return };
        if message.role != Role::Customer || message.delivery != Delivery::Failed {
            return;
        }
        message.delivery = Delivery::Queued;
        self.changed(id);
        self.set_notice(None);
        self.bot_queue.push_back(id);
        self.pump_bot(now);
    }

    /// Sends the oldest queued customer message to the bot, unless a turn is already in flight.
    fn pump_bot(&mut self, now: Now) {
        if self.in_flight.iter().any(|r| matches!(r.purpose, Purpose::BotTurn { .. })) {
            return;
        }
        let Some(id) = self.bot_queue.pop_front() else { return };
        let Some(message) = self.messages.get_mut(id as usize) else { return };
        message.delivery = Delivery::Sending;
        let body = BotTurnBody { text: message.text.clone(), message_id: id.to_string() };
        self.changed(id);
        let call = Call::BotTurn { conversation_id: self.conversation_id.clone(), body };
        self.send(call, Purpose::BotTurn { message: id }, BOT_TURN_TIMEOUT_MS, now);
        self.effects.push_back(Effect::Render);
    }

    fn send(&mut self, call: Call, purpose: Purpose, timeout_ms: u64, now: Now) {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        self.in_flight.push(InFlight { id, deadline: now.mono_ms.saturating_add(timeout_ms), purpose });
        self.effects.push_back(Effect::Send(Request { id, call, timeout_ms }));
    }

    fn response(&mut self, id: RequestId, outcome: Outcome, now: Now) {
        let Some(pos) = self.in_flight.iter().position(|r| r.id == id) else { return };
        let request = self.in_flight.swap_remove(pos);
        self.finish(request, outcome, now);
    }

    fn finish(&mut self, request: InFlight, outcome: Outcome, now: Now) {
        match request.purpose {
            Purpose::BotTurn { message } => self.bot_answered(message, outcome, now),
        }
    }

    fn bot_answered(&mut self, message: u32, outcome: Outcome, now: Now) {
        let reply = match outcome {
            Ok(Reply::Bot(reply)) => reply.validate().map(|()| reply),
            Err(Failure::Malformed(what)) => Err(what),
            Err(Failure::Status { status, .. }) => Err(format!("the backend answered HTTP {status}")),
            Err(Failure::Network) => Err(String::from("the backend could not be reached")),
            Err(Failure::Timeout) => Err(String::from("the backend did not answer in time")),
        };
        match reply {
            Ok(reply) => {
                self.set_delivery(message, Delivery::Sent);
                let text = redact_cards(&reply.text).into_owned();
                let tier = self.customer.as_ref().and_then(|c| c.tier.as_deref());
                let decision = policy::decide(
                    &self.config.policy,
                    &mut self.policy,
                    &Turn::Bot {
                        text: &text,
                        confidence: reply.confidence,
                        intent: reply.intent.as_deref(),
                        step: reply.step.as_deref(),
                        resolved: reply.resolved,
                    },
                    &policy::Facts { tier },
                );
                let meta = BotMeta {
                    confidence: reply.confidence,
                    intent: reply.intent,
                    step: reply.step,
                    resolved: reply.resolved,
                };
                self.push_message(Role::Ai, text, Delivery::Sent, Some(meta), now);
                self.emit_decision(decision);
            }
            Err(what) => {
                self.set_delivery(message, Delivery::Failed);
                self.set_notice(Some(Notice::BotUnavailable));
                self.effects.push_back(Effect::Emit(Event::Error {
                    code: "bot_unavailable",
                    message: format!("Baton: the bot reply failed: {what}"),
                }));
            }
        }
        self.effects.push_back(Effect::Render);
        self.pump_bot(now);
    }

    fn push_message(&mut self, role: Role, text: String, delivery: Delivery, bot: Option<BotMeta>, now: Now) -> u32 {
        let id = self.messages.len() as u32;
        let message = Message { id, role, text, at: now.wall_ms, author: None, delivery, bot };
        self.effects.push_back(Effect::Emit(Event::Message { message: message.clone() }));
        self.messages.push(message);
        self.changed(id);
        self.effects.push_back(Effect::Persist(Persist::Header));
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

    /// Records that message `id` changed: redraw it and store it.
    fn changed(&mut self, id: u32) {
        self.effects.push_back(Effect::ShowMessage(id));
        self.effects.push_back(Effect::Persist(Persist::Message(id)));
    }

    fn set_notice(&mut self, notice: Option<Notice>) {
        if self.notice != notice {
            self.notice = notice;
            self.effects.push_back(Effect::Render);
        }
    }

    fn emit_decision(&mut self, decision: Decision) {
        if decision.action != policy::Action::None {
            self.effects.push_back(Effect::Emit(Event::Decision { decision }));
        }
    }
}
