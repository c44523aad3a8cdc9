//! The handoff lifecycle: from the policy's decision (or the customer's button) to an offer
//! with the honest wait, consent, delivery of the package exactly once, the queue position
//! polled every two minutes, the agent's messages, and the satisfaction question.
//!
//! `Bot` → `Checking` (availability) → `Offered` (proactive and decline-with-choice ask) or
//! straight to `Sending` (customer-requested and emergency go at once) or `Offline` (leave an
//! email or ask for a callback) → `Sending` (outbox, retries) → `Queued` → `WithAgent` →
//! `Resolved` (CSAT). `Stuck` keeps an undeliverable package for a manual retry.

use super::{failure_text, Effect, Event, Purpose, Widget, CASE_REQUEST_TIMEOUT_MS};
use crate::conversation::{Delivery, Role};
use crate::handoff::outbox::{self, Outbox, Verdict, ESCALATION_TIMEOUT_MS};
use crate::handoff::package::{self, Contact};
use crate::policy::{Action, Decision, EscalationType, Priority, Reason, ReasonCode};
use crate::protocol::{Call, CaseState, Failure, Outcome, Reply};
use crate::snapshot::SavedHandoff;
use crate::json::int_text;
use crate::strings::{fill, Strings};
use crate::time::{Now, SECOND_MS};
use crate::table::Cat;

/// While an agent is on the case, their messages are fetched this often.
pub const AGENT_POLL_MS: u64 = 3 * SECOND_MS;
/// While an agent is on the case, the case status (to notice resolution) this often.
pub const AGENT_STATUS_POLL_MS: u64 = 15 * SECOND_MS;
/// A wait longer than this offers email or a callback instead, keeping the place in the queue.
pub const LONG_WAIT_SECONDS: u32 = 15 * 60;
/// A polling lease outlives the interval by this much, so the polling tab renews it in time
/// and a closed tab is replaced within about one interval.
const LEASE_SLACK_MS: u64 = 15 * SECOND_MS;
/// After the customer declines an offer, no new proactive offer for this many more messages
/// (three of the customer's, each with its answer).
const OFFER_PAUSE_MESSAGES: u32 = 6;
/// A new page asks for a queued case's status at once if the last answer is this old.
const REPOLL_ON_LOAD_AFTER_MS: i64 = 30 * SECOND_MS as i64;

/// Where a resolved case is in fetching the agent's last messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closing {
    No,
    /// Resolved: a last fetch must go out (one already in flight may predate the last words).
    Due,
    /// The last fetch is out: its answer closes the case.
    Sent,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub id: String,
    pub number: String,
}

/// How a decision reaches the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Customer-requested or emergency: connect at once.
    Connect,
    /// Proactive: offer, and wait for consent.
    Confirm,
    /// A simple issue: offer to help directly or connect.
    Choice,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub decision: Decision,
    pub style: Style,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Handoff {
    Bot,
    Checking { trigger: Trigger },
    Offered { trigger: Trigger },
    Offline { trigger: Trigger },
    Sending { outbox: Outbox, contact: Option<Contact> },
    Stuck { outbox: Outbox, contact: Option<Contact> },
    Queued { case: Case, position: Option<u32>, wait_seconds: Option<u32>, updated_at: i64, next_poll: u64 },
    /// `closing`: once the case is resolved, the agent's last messages are fetched (`Closing::
    /// Due`, then `Sent`), then `Resolved`.
    /// `misses`: message fetches failed in a row (the fetch backs off while they fail).
    WithAgent { case: Case, agent: String, after: u64, next_poll: u64, next_status: u64, closing: Closing, misses: u8 },
    /// `csat`: the score given; `Some(0)` when no rating is asked (nobody from the team joined).
    Resolved { case: Case, csat: Option<u8> },
    /// An offline message or callback request was delivered. The case is polled like a queued
    /// one (without a position to show), so an agent who takes it while the customer is still
    /// here joins the chat.
    Left { case: Case, next_poll: u64 },
}

/// What the UI shows of the handoff.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HandoffView {
    /// `bot`, `checking`, `offered`, `offline`, `sending`, `stuck`, `queued`, `with_agent`,
    /// `resolved` or `left`.
    pub stage: &'static str,
    /// For `offered`: `confirm` or `choice`.
    pub offer: Option<&'static str>,
    pub case_number: Option<String>,
    pub position: Option<u32>,
    pub wait_seconds: Option<u32>,
    /// "You're #3 in queue · about 6 min".
    pub status_text: Option<String>,
    /// When the queue status was last refreshed (ms since the epoch).
    pub updated_at: Option<i64>,
    pub agent: Option<String>,
    pub long_wait: bool,
    /// Whether "Speak to a human" does anything now.
    pub can_request_human: bool,
    /// For `resolved`: the score given, if any.
    pub csat: Option<u8>,
    /// For `resolved`: whether the rating question is open (not when nobody from the team
    /// joined, nor once answered).
    pub can_rate: bool,
    /// The customer's email from `identify()`, to fill in the contact form with.
    pub email: Option<String>,
}

impl HandoffView {
    /// Whether the contact forms (email, callback) are up: nobody is available, or the wait
    /// in the queue is long. The default UI draws them, and a bad-contact notice shows beside them.
    pub fn asks_contact(&self) -> bool {
        self.stage == "offline" || (self.stage == "queued" && self.long_wait)
    }
}

/// Customer-requested and emergency escalations go at once.
pub fn is_immediate(decision: &Decision) -> bool {
    style_for(decision) == Some(Style::Connect)
}

fn style_for(decision: &Decision) -> Option<Style> {
    match (decision.action, decision.kind) {
        (Action::None, _) => None,
        (Action::Escalate, EscalationType::CustomerRequested | EscalationType::Emergency) => Some(Style::Connect),
        (Action::Escalate | Action::Offer, _) => Some(Style::Confirm),
        (Action::DeclineWithChoice, _) => Some(Style::Choice),
    }
}

impl Handoff {
    /// A person has, or is about to have, the conversation (after an offline message or a
    /// callback request too: what the customer adds goes to that case, not to the bot).
    pub fn with_team(&self) -> bool {
        matches!(
            self,
            Handoff::Sending { .. } | Handoff::Stuck { .. } | Handoff::Queued { .. } | Handoff::WithAgent { .. } | Handoff::Left { .. }
        )
    }

    /// How far along the handoff is. A stored header from another tab never moves this tab
    /// back (it may simply not have caught up), except from the end: after a resolution any
    /// tab may start again.
    fn rank(&self) -> u8 {
        match self {
            Handoff::Bot => 0,
            Handoff::Checking { .. } | Handoff::Offered { .. } | Handoff::Offline { .. } => 1,
            Handoff::Sending { .. } | Handoff::Stuck { .. } => 2,
            Handoff::Left { .. } => 3,
            Handoff::Queued { .. } => 4,
            Handoff::WithAgent { .. } => 5,
            Handoff::Resolved { .. } => 6,
        }
    }

    /// An offer (or the question for one) the customer has not answered yet.
    pub(super) fn pending(&self) -> bool {
        self.rank() == 1
    }

    pub(super) fn case(&self) -> Option<&Case> {
        match self {
            Handoff::Queued { case, .. } | Handoff::WithAgent { case, .. } | Handoff::Left { case, .. } => Some(case),
            _ => None,
        }
    }

    /// The handoff's own next deadline (requests in flight have theirs).
    pub fn deadline(&self) -> Option<u64> {
        match self {
            Handoff::Sending { outbox, .. } => outbox.next_at,
            Handoff::Queued { next_poll, .. } | Handoff::Left { next_poll, .. } => Some(*next_poll),
            Handoff::WithAgent { next_poll, next_status, .. } => Some((*next_poll).min(*next_status)),
            _ => None,
        }
    }

    /// What survives a reload: everything but `Bot`. A pending offer keeps its decision, so
    /// "Connect me?" for a $480 refund is still that offer (reason, priority) on the next page.
    pub fn save(&self, now: Now) -> Option<SavedHandoff> {
        let mut s = SavedHandoff::default();
        let case = |s: &mut SavedHandoff, case: &Case| {
            s.case_id = Some(case.id.clone());
            s.case_number = Some(case.number.clone());
        };
        match self {
            Handoff::Bot => return None,
            Handoff::Checking { trigger } | Handoff::Offered { trigger } | Handoff::Offline { trigger } => {
                s.stage = match self {
                    Handoff::Checking { .. } => "checking",
                    Handoff::Offered { .. } => "offered",
                    _ => "offline",
                }
                .into();
                s.trigger = Some((trigger.decision.clone(), trigger.style as u8));
            }
            Handoff::Sending { outbox, contact } | Handoff::Stuck { outbox, contact } => {
                s.stage = if matches!(self, Handoff::Sending { .. }) { "sending" } else { "stuck" }.into();
                // The key names the package, which is stored once beside the header
                // (`encode::outbox_record`): the header has no use for a copy of it.
                s.key = Some(outbox.key.clone());
                s.attempts = Some(outbox.attempts);
                // A pending retry (a server's Retry-After included) outlives a reload.
                s.next_at = outbox.next_at.map(|at| now.wall_at(at));
                put_contact(&mut s, contact.as_ref());
            }
            Handoff::Queued { case: c, position, wait_seconds, updated_at, next_poll } => {
                s.stage = "queued".into();
                case(&mut s, c);
                s.position = *position;
                s.wait_seconds = *wait_seconds;
                s.updated_at = Some(*updated_at);
                s.next_at = Some(now.wall_at(*next_poll));
            }
            Handoff::WithAgent { case: c, agent, after, .. } => {
                s.stage = "with_agent".into();
                case(&mut s, c);
                s.agent = Some(agent.clone());
                s.after = Some(*after);
            }
            Handoff::Resolved { case: c, csat } => {
                s.stage = "resolved".into();
                case(&mut s, c);
                s.csat = *csat;
            }
            Handoff::Left { case: c, next_poll } => {
                s.stage = "left".into();
                case(&mut s, c);
                s.next_at = Some(now.wall_at(*next_poll));
            }
        }
        Some(s)
    }

    /// Rebuilds the handoff after a reload: a pending package resumes with the same key, a
    /// queued case keeps its position and its poll schedule. No saved handoff is `Bot`.
    pub fn restore(s: Option<&SavedHandoff>, now: Now) -> Handoff {
        let Some(s) = s else { return Handoff::Bot };
        // When the stored schedule says the next step is due (now, if it says nothing).
        let next_at = s.next_at.map_or(now.mono_ms, |at| now.mono_at(at));
        let case = match (&s.case_id, &s.case_number) {
            (Some(id), Some(number)) => Some(Case { id: id.clone(), number: number.clone() }),
            _ => None,
        };
        match (s.stage.as_str(), case) {
            (stage @ ("checking" | "offered" | "offline"), _) => {
                let Some((decision, style)) = &s.trigger else { return Handoff::Bot };
                let Some(&style) = [Style::Connect, Style::Confirm, Style::Choice].get(usize::from(*style)) else { return Handoff::Bot };
                let trigger = Trigger { decision: decision.clone(), style };
                match stage {
                    "checking" => Handoff::Checking { trigger },
                    "offered" => Handoff::Offered { trigger },
                    _ => Handoff::Offline { trigger },
                }
            }
            (stage @ ("sending" | "stuck"), _) => {
                let (Some(key), Some(body)) = (&s.key, &s.body) else { return Handoff::Bot };
                let sending = stage == "sending";
                let contact = saved_contact(s);
                let outbox = Outbox {
                    key: key.clone(),
                    body: body.clone(),
                    attempts: s.attempts.unwrap_or(0),
                    next_at: sending.then_some(next_at),
                };
                if sending {
                    Handoff::Sending { outbox, contact }
                } else {
                    Handoff::Stuck { outbox, contact }
                }
            }
            ("queued", Some(case)) => {
                let updated_at = s.updated_at.unwrap_or(now.wall_ms);
                // Asked at once on a new page unless just asked: an agent who took the case
                // meanwhile joins now, not at the next two-minute poll (QA: their greeting sat
                // unseen across pages); a visitor clicking through pages is not a poll a page.
                // (An answer "from the future", after the clock was set back, is stale too.)
                let stale = !(0..REPOLL_ON_LOAD_AFTER_MS).contains(&now.wall_ms.saturating_sub(updated_at));
                Handoff::Queued {
                    case,
                    position: s.position,
                    wait_seconds: s.wait_seconds,
                    updated_at,
                    next_poll: if stale { now.mono_ms } else { next_at },
                }
            }
            ("with_agent", Some(case)) => Handoff::WithAgent {
                case,
                agent: s.agent.clone().unwrap_or_default(),
                after: s.after.unwrap_or(0),
                next_poll: now.mono_ms,
                next_status: now.mono_ms,
                closing: Closing::No,
                misses: 0,
            },
            ("resolved", Some(case)) => Handoff::Resolved { case, csat: s.csat },
            ("left", Some(case)) => Handoff::Left { case, next_poll: next_at },
            _ => Handoff::Bot,
        }
    }
}

/// Whether a decision outranks a pending one: it connects at once where that one asks, or it
/// is more urgent.
fn stronger(decision: &Decision, style: Style, pending: &Decision, pending_style: Style) -> bool {
    (style == Style::Connect && pending_style != Style::Connect) || decision.priority > pending.priority
}

/// Adds the pending decision's reasons the new one lacks, and keeps its priority if higher
/// ("connect me" typed under a $480 refund offer is still that high-priority case).
/// The contact details a stored handoff carries: those a package goes with, or those left
/// while waiting (see `Widget::header`).
pub(super) fn put_contact(s: &mut SavedHandoff, contact: Option<&Contact>) {
    match contact {
        Some(Contact::Email(e)) => s.contact_email = Some(e.clone()),
        Some(Contact::Callback { phone }) => s.contact_phone = Some(phone.clone()),
        None => {}
    }
}

pub(super) fn saved_contact(s: &SavedHandoff) -> Option<Contact> {
    s.contact_email.clone().map(Contact::Email).or_else(|| s.contact_phone.clone().map(|phone| Contact::Callback { phone }))
}

fn merge_reasons(decision: &mut Decision, pending: &Decision) {
    decision.priority = decision.priority.max(pending.priority);
    // A person the customer asked for stays asked for: "can I talk to someone?" with a simple
    // question the bot then could not answer is honoured, not turned into the widget's own
    // offer (which the pause after "No thanks" holds back: the request went unanswered).
    if pending.kind == EscalationType::CustomerRequested && decision.kind == EscalationType::Proactive {
        decision.kind = EscalationType::CustomerRequested;
    }
    for reason in &pending.reasons {
        if !decision.reasons.iter().any(|r| r.code == reason.code) {
            decision.add(reason.clone());
        }
    }
}

/// "Thanks! We'll reply to {contact}. Your case number is {case}." (or call, for a number).
fn contact_thanks(s: &Strings, contact: &Contact, case: &str) -> String {
    let template = match contact {
        Contact::Email(_) => s.left_email(),
        Contact::Callback { .. } => s.left_callback(),
    };
    fill(template, &[("contact", contact.value()), ("case", case)])
}

/// "about 6 minutes" (or the short form "about 6 min").
fn minutes(s: &Strings, seconds: u32, short: bool) -> String {
    if seconds < 60 {
        return s.minutes_none().to_owned();
    }
    let n = seconds.saturating_add(30) / 60;
    if n == 1 && !short {
        return s.minutes_one().to_owned();
    }
    fill(if short { s.minutes_short() } else { s.minutes_many() }, &[("n", &int_text(i64::from(n)))])
}

fn wait_sentence(s: &Strings, wait: Option<u32>) -> String {
    match wait {
        Some(seconds) => fill(s.wait_known(), &[("minutes", &minutes(s, seconds, false))]),
        None => s.wait_unknown().to_owned(),
    }
}

/// Why a person is being brought in, in the customer's terms, from the strongest reason.
/// `skip`: how many of the first reasons in this order to pass over (1: not the request).
fn why(s: &Strings, decision: &Decision, skip: usize) -> String {
    let order: [(ReasonCode, &str); 10] = [
        (ReasonCode::HumanRequest, s.why_request()),
        (ReasonCode::AccountSecurity, s.why_security()),
        (ReasonCode::Emotion, s.why_emotion()),
        (ReasonCode::LegalCompliance, s.why_legal()),
        (ReasonCode::MoneyOverThreshold, s.why_money()),
        (ReasonCode::PolicyException, s.why_policy()),
        (ReasonCode::VipCustomer, s.why_vip()),
        (ReasonCode::FailedAttempts, s.why_failed()),
        (ReasonCode::RepeatedQuestion, s.why_repeated()),
        (ReasonCode::LowConfidence, s.why_low_confidence()),
    ];
    order
        .iter()
        .skip(skip)
        .find(|(code, _)| decision.reasons.iter().any(|r| r.code == *code))
        .map_or(s.why_consider(), |(_, text)| *text)
        .to_owned()
}

/// "HH:MM UTC" for a wall-clock instant.
fn clock_utc(ms: i64) -> String {
    let minutes_of_day = ms.div_euclid(60_000).rem_euclid(24 * 60);
    let (h, m) = (minutes_of_day / 60, minutes_of_day % 60);
    let mut out = String::with_capacity(9);
    for v in [h, m] {
        if !out.is_empty() {
            out.push(':');
        }
        out.push(char::from(b'0' + (v / 10) as u8));
        out.push(char::from(b'0' + (v % 10) as u8));
    }
    out.push_str(" UTC");
    out
}

impl Widget {
    pub(super) fn handoff_view(&self) -> HandoffView {
        let s = &self.config.strings;
        let email = self.customer.as_ref().and_then(|c| c.email.clone());
        let mut v = HandoffView { stage: "bot", can_request_human: true, email, ..HandoffView::default() };
        match &self.handoff {
            Handoff::Bot => {}
            Handoff::Checking { .. } => v.stage = "checking",
            Handoff::Offered { trigger } => {
                v.stage = "offered";
                v.offer = Some(if trigger.style == Style::Choice { "choice" } else { "confirm" });
            }
            Handoff::Offline { .. } => {
                v.stage = "offline";
                v.can_request_human = false;
            }
            Handoff::Sending { .. } => {
                v.stage = "sending";
                v.can_request_human = false;
                v.status_text = Some(s.waiting().to_owned());
            }
            // No "Waiting for an agent…": nothing is on its way until the customer tries again
            // (the transcript says why, beside the button).
            Handoff::Stuck { .. } => {
                v.stage = "stuck";
                v.can_request_human = false;
            }
            Handoff::Queued { case, position, wait_seconds, updated_at, .. } => {
                v.stage = "queued";
                v.can_request_human = false;
                v.case_number = Some(case.number.clone());
                v.position = *position;
                v.wait_seconds = *wait_seconds;
                v.updated_at = Some(*updated_at);
                v.long_wait = wait_seconds.is_some_and(|w| w > LONG_WAIT_SECONDS) && self.contact_left.is_none();
                v.status_text = Some(match position {
                    Some(p) => {
                        // An unknown wait is left out (with its separator), not shown as "less
                        // than a minute".
                        let wait = wait_seconds.map_or_else(String::new, |w| minutes(s, w, true));
                        let text = fill(s.queue_status(), &[("position", &int_text(i64::from(*p))), ("minutes", &wait)]);
                        crate::table::trim_end(&text, &[' ', '·']).to_owned()
                    }
                    None => s.waiting().to_owned(),
                });
            }
            Handoff::WithAgent { case, agent, .. } => {
                v.stage = "with_agent";
                v.can_request_human = false;
                v.case_number = Some(case.number.clone());
                v.agent = Some(agent.clone());
            }
            Handoff::Resolved { case, csat } => {
                v.stage = "resolved";
                v.case_number = Some(case.number.clone());
                v.csat = csat.filter(|&n| n > 0);
                v.can_rate = csat.is_none();
            }
            Handoff::Left { case, .. } => {
                v.stage = "left";
                v.case_number = Some(case.number.clone());
            }
        }
        v
    }

    /// Whether a decision starts a handoff now. From `Bot`: any, except a proactive offer right
    /// after a declined one. While an offer is being prepared or shown: a stronger one (connect
    /// at once where it would ask, or a higher priority), so a hacked account reported while
    /// "Connect me?" is on screen is not left to the bot and filed as the earlier, milder reason.
    pub(super) fn acts_on(&self, decision: &Decision) -> bool {
        let Some(style) = style_for(decision) else { return false };
        match &self.handoff {
            // After a resolution too: a new request (or one bounced by the closed case) is acted on.
            // The pause after "No thanks" holds back the widget's own offers, not a person the
            // customer asks for (the choice for a simple topic included).
            Handoff::Bot | Handoff::Resolved { .. } => {
                style == Style::Connect
                    || decision.kind == EscalationType::CustomerRequested
                    || self.messages.len() as u32 >= self.offers_from
            }
            Handoff::Checking { trigger } | Handoff::Offered { trigger } => stronger(decision, style, &trigger.decision, trigger.style),
            _ => false,
        }
    }

    /// Acts on a policy decision (see `acts_on`). One that supersedes a pending offer keeps
    /// the offer's reasons too: the team sees everything that was noticed. With nobody
    /// available (`Offline`), a stronger one only strengthens what the contact form will send.
    pub(super) fn decided(&mut self, decision: Decision, now: Now) {
        if decision.action != Action::None {
            self.emit(Event::Decision { decision: decision.clone() });
            self.act(decision, now);
        }
    }

    /// Tells the host of a decision on message `id`, and keeps it until the bot's answer to
    /// that message (see `bot_answered`), with any other kept meanwhile: the stronger one, with
    /// the other's reasons.
    pub(super) fn hold(&mut self, id: u32, mut decision: Decision) {
        if decision.action != Action::None {
            self.emit(Event::Decision { decision: decision.clone() });
        }
        if let Some((_, kept)) = self.held.take() {
            let (a, b) = (style_for(&decision), style_for(&kept));
            let keep_base = match (a, b) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => !stronger(&decision, a, &kept, b),
            };
            if keep_base {
                let mut base = kept;
                merge_reasons(&mut base, &decision);
                decision = base;
            } else {
                merge_reasons(&mut decision, &kept);
            }
        }
        if decision.action != Action::None {
            self.held = Some((id, decision));
        }
    }

    pub(super) fn act(&mut self, mut decision: Decision, now: Now) {
        let Some(style) = style_for(&decision) else { return };
        if let Handoff::Offline { trigger } = &mut self.handoff {
            if stronger(&decision, style, &trigger.decision, trigger.style) {
                merge_reasons(&mut decision, &trigger.decision);
                let style = style_for(&decision).unwrap_or(style);
                *trigger = Trigger { decision, style };
                self.persist_header();
            }
            return;
        }
        if !self.acts_on(&decision) {
            return;
        }
        let pending = std::mem::replace(&mut self.handoff, Handoff::Bot);
        if let Handoff::Checking { trigger } | Handoff::Offered { trigger } = pending {
            merge_reasons(&mut decision, &trigger.decision);
            // The superseded check's answer is for the old priority: it is not waited for.
            self.forget(Purpose::Availability);
        }
        // Asked again of the merged decision: a request the customer made stays one (review:
        // "As you asked, I'm bringing in our team… Would you like me to connect you?").
        let style = style_for(&decision).unwrap_or(style);
        self.check(Trigger { decision, style }, now);
    }

    /// Asks for the current wait before the offer (or the connection) is put to the customer:
    /// for a new decision, and again after a reload that interrupted the question.
    pub(super) fn check(&mut self, trigger: Trigger, now: Now) {
        // The wait quoted is the one the case will get: choosing a person is queued at medium.
        let d = &trigger.decision;
        let priority = if trigger.style == Style::Choice { d.priority.max(Priority::Medium) } else { d.priority };
        self.handoff = Handoff::Checking { trigger };
        self.mark_offer(now);
        // The question is this tab's: another tab opened meanwhile does not ask it again (and
        // file a second case); a reload (which gives the lease up) does.
        self.take_lease(CASE_REQUEST_TIMEOUT_MS + LEASE_SLACK_MS, now);
        self.persist_header();
        self.send(Call::Availability { priority }, Purpose::Availability, CASE_REQUEST_TIMEOUT_MS, now);
        self.render();
    }

    /// This tab holds the polling lease for the next `ms` (wall clock).
    fn take_lease(&mut self, ms: u64, now: Now) {
        self.lease = Some((self.tab.clone(), now.wall_ms + ms as i64));
    }

    /// A resolved case is remembered as closed (see `Widget::closed`).
    pub(super) fn note_closed(&mut self) {
        if let Handoff::Resolved { case, .. } = &self.handoff {
            self.closed = Some(case.id.clone());
        }
    }

    /// Marks a new offer (or a handback to the bot), later than any this tab has heard of:
    /// other tabs tell it from a header stored before they heard of it (see `sync_header`).
    fn mark_offer(&mut self, now: Now) {
        self.offer = now.wall_ms.max(self.offer + 1);
    }

    pub(super) fn request_human(&mut self, now: Now) {
        match &self.handoff {
            // The team already has the case with the customer's details: wait for it in the
            // chat, where an agent can now join, rather than open a second case.
            Handoff::Left { case, .. } => {
                let case = case.clone();
                self.handoff =
                    Handoff::Queued { case, position: None, wait_seconds: None, updated_at: now.wall_ms, next_poll: now.mono_ms };
                self.persist_header();
                self.handoff_timers(now);
                self.render();
            }
            Handoff::Bot | Handoff::Resolved { .. } | Handoff::Offered { .. } => {
                let decision = Decision {
                    action: Action::Escalate,
                    kind: EscalationType::CustomerRequested,
                    priority: Priority::Medium,
                    reasons: vec![Reason { code: ReasonCode::HumanRequest, evidence: String::from("Speak to a human") }],
                };
                // Over an offer, the request leads and keeps what the offer had noticed (QA:
                // the case was filed as proactive, "AI was unsure", though the customer asked).
                if !matches!(self.handoff, Handoff::Offered { .. }) {
                    self.handoff = Handoff::Bot;
                } else if !self.acts_on(&decision) {
                    return self.accept_offer(now);
                }
                self.decided(decision, now);
            }
            Handoff::Stuck { .. } => self.retry_handoff(now),
            _ => {}
        }
    }

    pub(super) fn availability_answered(&mut self, outcome: &Outcome, now: Now) {
        // A late answer (the check was superseded, or another tab moved the handoff on) leaves
        // the handoff as it is.
        if !matches!(self.handoff, Handoff::Checking { .. }) {
            return;
        }
        let Handoff::Checking { trigger } = std::mem::replace(&mut self.handoff, Handoff::Bot) else { return };
        let s = &self.config.strings;
        let wait = match outcome {
            Ok(Reply::Availability(a)) if !a.open || a.agents_online == 0 => {
                let reopen = a.next_open_at.map_or_else(String::new, |at| fill(s.reopen(), &[("time", &clock_utc(at))]));
                let mut text = fill(s.offline(), &[("reopen", &reopen)]);
                if trigger.decision.kind == EscalationType::Emergency {
                    // A hacked account at night is told why it matters, not only that nobody
                    // is in (and not "as you asked, I'm bringing in our team").
                    text = [&why(s, &trigger.decision, 1), " ", &text].cat();
                }
                self.handoff = Handoff::Offline { trigger };
                self.system(text, now);
                self.emit(Event::Offer { style: "offline", wait_seconds: None });
                self.render();
                return;
            }
            Ok(Reply::Availability(a)) => Some(a.wait_seconds),
            Ok(_) => None,
            Err(failure) => {
                self.failed("availability_failed", failure);
                None
            }
        };
        let s = &self.config.strings;
        let wait_text = wait_sentence(s, wait);
        match trigger.style {
            Style::Connect => {
                let text = fill(s.connecting(), &[("why", &why(s, &trigger.decision, 0)), ("wait", &wait_text)]);
                self.system(text, now);
                self.start_sending(&trigger.decision, None, now);
            }
            Style::Confirm | Style::Choice => {
                let text = if trigger.style == Style::Choice {
                    fill(s.choice(), &[("wait", &wait_text)])
                } else {
                    fill(s.offer(), &[("why", &why(s, &trigger.decision, 0)), ("wait", &wait_text)])
                };
                let style = if trigger.style == Style::Choice { "choice" } else { "confirm" };
                self.handoff = Handoff::Offered { trigger };
                self.system(text, now);
                if self.config.show_shared {
                    let preview = self.shared_preview();
                    self.system(preview, now);
                }
                self.emit(Event::Offer { style, wait_seconds: wait });
            }
        }
        self.render();
    }

    pub(super) fn accept_offer(&mut self, now: Now) {
        if !matches!(self.handoff, Handoff::Offered { .. }) {
            return; // nothing offered (a host's accept() at any other time changes nothing)
        }
        let Handoff::Offered { trigger } = std::mem::replace(&mut self.handoff, Handoff::Bot) else { return };
        let mut decision = trigger.decision;
        if trigger.style == Style::Choice {
            // Choosing a person over self-service is the customer's own request, queued like
            // the "Speak to a human" button's (not behind everyone at the choice's low).
            decision.kind = EscalationType::CustomerRequested;
            decision.action = Action::Escalate;
            decision.priority = decision.priority.max(Priority::Medium);
        }
        self.start_sending(&decision, None, now);
    }

    /// "Yes" (or "no thanks") typed under "Would you like me to connect you?" answers it, as
    /// the buttons do: the offer says "If you say yes". The site's `answers_yes` and
    /// `answers_no` strings list what counts, compared word for word. Returns whether `text`
    /// was such an answer (it is then in the transcript, and not the bot's).
    pub(super) fn typed_answer(&mut self, text: &str, now: Now) -> bool {
        let Handoff::Offered { trigger } = &self.handoff else { return false };
        // Only the question on screen last: "no" under the bot's "Have you sent the item
        // back?" is the bot's. Under the choice ("walk you through it, or talk to our team?"),
        // whose line says "If you say yes, our team will see...", yes is the team (QA: it went
        // to the bot, which offered again) and no is the walk-through.
        let last_said = self.messages.last().map(|m| m.role);
        if trigger.style == Style::Connect || last_said != Some(Role::System) {
            return false;
        }
        let words = crate::policy::words_of(text);
        let s = &self.config.strings;
        let says = |list: &str| crate::table::split(list, "|").any(|answer| crate::policy::words_of(answer) == words);
        let yes = says(s.answers_yes());
        if !yes && !says(s.answers_no()) {
            return false;
        }
        self.push_message(Role::Customer, text.to_owned(), Delivery::Sent, None, now);
        if yes {
            self.accept_offer(now);
        } else {
            self.decline_offer(now);
        }
        true
    }

    pub(super) fn decline_offer(&mut self, now: Now) {
        if matches!(self.handoff, Handoff::Offered { .. } | Handoff::Offline { .. }) {
            self.handoff = Handoff::Bot;
            // Said, so "Help me here" and "No thanks" visibly did something (QA: nothing
            // happened); counted before the pause starts, so the pause is the same length.
            let text = self.config.strings.carry_on().to_owned();
            self.system(text, now);
            self.offers_from = self.messages.len() as u32 + OFFER_PAUSE_MESSAGES;
            self.persist_header();
            self.render();
        }
    }

    pub(super) fn leave_contact(&mut self, contact: Contact, now: Now) {
        let contact = match contact {
            Contact::Email(v) => Contact::Email(v.trim().to_owned()),
            Contact::Callback { phone } => Contact::Callback { phone: phone.trim().to_owned() },
        };
        if !contact.is_valid() {
            self.set_notice(Some(super::Notice::BadContact));
            self.render();
            return;
        }
        self.set_notice(None);
        match &self.handoff {
            Handoff::Offline { trigger } => {
                let decision = trigger.decision.clone();
                self.start_sending(&decision, Some(contact), now);
            }
            Handoff::Queued { case, .. } | Handoff::WithAgent { case, .. } => {
                if self.contact_left.as_ref() == Some(&contact) {
                    return; // the same details again (a second Enter): sent once
                }
                // Keep the place in the queue; tell the team how to reach the customer instead.
                let s = &self.config.strings;
                let instead = match &contact {
                    Contact::Email(_) => s.contact_instead_email(),
                    Contact::Callback { .. } => s.contact_instead_phone(),
                };
                let text = fill(instead, &[("contact", contact.value())]);
                let thanks = contact_thanks(s, &contact, &case.number);
                // The number the customer was asked for is not a card number, whatever its
                // checksum says: only the site's own patterns apply.
                let text = crate::redact::redact_patterns(&text, &self.config.redact).unwrap_or(text);
                self.contact_left = Some(contact);
                self.message_agent(text, now);
                self.system(thanks, now);
                self.render();
            }
            _ => {}
        }
    }

    /// A manual retry keeps the same idempotency key, so it can never make a second case.
    pub(super) fn retry_handoff(&mut self, now: Now) {
        let Handoff::Stuck { outbox, contact } = &self.handoff else { return };
        let outbox = Outbox { attempts: 0, next_at: Some(now.mono_ms), ..outbox.clone() };
        self.handoff = Handoff::Sending { outbox, contact: contact.clone() };
        self.persist_header();
        self.handoff_timers(now);
        self.render();
    }

    pub(super) fn csat(&mut self, score: u8, now: Now) {
        let Handoff::Resolved { case, csat } = &mut self.handoff else { return };
        if csat.is_some() || !(1..=5).contains(&score) {
            return;
        }
        *csat = Some(score);
        let case_id = case.id.clone();
        self.send(Call::Csat { case_id, score }, Purpose::Csat, CASE_REQUEST_TIMEOUT_MS, now);
        self.emit(Event::Csat { score });
        let thanks = self.config.strings.csat_thanks().to_owned();
        self.system(thanks, now);
        self.render();
    }

    /// What the handoff package would show the team, in the customer's terms, from what is
    /// actually held (asked before consent, so nobody is surprised).
    fn shared_preview(&self) -> String {
        let s = &self.config.strings;
        let c = self.customer.as_ref();
        let mut items = String::from(s.shared_conversation());
        let mut add = |item: &str| {
            items.push_str(", ");
            items.push_str(item);
        };
        if c.is_some_and(|c| c.name.is_some() || c.email.is_some()) {
            add(s.shared_identity());
        }
        if c.is_some_and(|c| c.account_id.is_some() || c.tier.is_some() || c.account_status.is_some()) {
            add(s.shared_account());
        }
        add(s.shared_page());
        fill(s.shared(), &[("items", &items)])
    }

    /// Assembles the package, stores it in the outbox, then makes the first attempt.
    fn start_sending(&mut self, decision: &Decision, contact: Option<Contact>, now: Now) {
        let key = self.rng.uuid_v4();
        let body = package::assemble(&package::Input {
            idempotency_key: &key,
            conversation_id: &self.conversation_id,
            widget_version: env!("CARGO_PKG_VERSION"),
            product_version: self.config.product_version.as_deref(),
            now_wall_ms: now.wall_ms,
            messages: &self.messages,
            customer: self.customer.as_ref(),
            environment: &self.environment,
            decision,
            contact: contact.as_ref(),
        })
        .to_json();
        self.handoff = Handoff::Sending { outbox: Outbox { key, body, attempts: 0, next_at: Some(now.mono_ms) }, contact };
        // "The assistant couldn't be reached" is past: the team has the conversation now.
        self.set_notice(None);
        self.contact_left = None;
        // Only what is more urgent than the case as filed is worth telling the team again.
        self.urgent = Some(decision.priority);
        // The package and the header naming it are written before the first attempt goes out.
        self.persist(crate::widget::Persist::Outbox);
        self.persist_header();
        self.handoff_timers(now);
        self.render();
    }

    /// Starts whatever handoff work is due: an escalation attempt, a queue poll, agent polls.
    pub(super) fn handoff_timers(&mut self, now: Now) {
        let t = now.mono_ms;
        let interval = self.config.poll_interval_ms;
        // Polling is one tab's job for all tabs of the site: the holder of the stored lease.
        let lease_ms = match &self.handoff {
            Handoff::Queued { next_poll, .. } | Handoff::Left { next_poll, .. } if *next_poll <= t => {
                Some(interval + LEASE_SLACK_MS)
            }
            Handoff::WithAgent { next_poll, next_status, .. } if (*next_poll).min(*next_status) <= t => {
                Some(AGENT_STATUS_POLL_MS + LEASE_SLACK_MS)
            }
            _ => None,
        };
        if let Some(lease_ms) = lease_ms {
            if let Some(until) = self.lease.as_ref().filter(|(tab, until)| *tab != self.tab && *until > now.wall_ms).map(|l| l.1) {
                // Another tab polls and shares what it learns; look again when its lease ends.
                let at = now.mono_at(until).max(t + SECOND_MS);
                match &mut self.handoff {
                    Handoff::Queued { next_poll, .. } | Handoff::Left { next_poll, .. } => *next_poll = at,
                    Handoff::WithAgent { next_poll, next_status, .. } => (*next_poll, *next_status) = (at, at),
                    _ => {}
                }
                return;
            }
            // Renewed when half gone, and cut to this stage's length when longer: the queue's
            // lease carried into the agent's stage would leave the other tabs waiting two
            // minutes if this tab vanished without `pagehide` (QA: a crashed tab).
            let renew = match &self.lease {
                Some((tab, until)) if *tab == self.tab => !((lease_ms / 2) as i64..=lease_ms as i64).contains(&(until - now.wall_ms)),
                _ => true,
            };
            if renew {
                self.take_lease(lease_ms, now);
                self.persist_header();
            }
        }
        // At most two calls (an agent's messages, then the case status).
        let (mut first, mut second) = (None, None);
        let fetching = self.waiting_for(Purpose::CaseMessages);
        match &mut self.handoff {
            Handoff::Sending { outbox, .. } if outbox.next_at.is_some_and(|at| at <= t) => {
                outbox.next_at = None;
                outbox.attempts += 1;
                let call = Call::Escalate { key: outbox.key.clone(), body: outbox.body.clone() };
                first = Some((call, Purpose::Escalate, ESCALATION_TIMEOUT_MS));
            }
            Handoff::Queued { case, next_poll, .. } | Handoff::Left { case, next_poll } if *next_poll <= t => {
                // The schedule advances when a poll goes out, so polls land exactly one
                // interval apart whatever the network does.
                *next_poll = t + interval;
                first = Some((Call::CaseStatus { case_id: case.id.clone() }, Purpose::CaseStatus, CASE_REQUEST_TIMEOUT_MS));
            }
            Handoff::WithAgent { case, after, next_poll, next_status, closing, .. } => {
                // The schedule advances even while a fetch is out (the deadline never lies in
                // the past); only a fetch that actually goes out can be the closing one.
                if *next_poll <= t {
                    *next_poll = t + AGENT_POLL_MS;
                    if !fetching {
                        if *closing == Closing::Due {
                            *closing = Closing::Sent;
                        }
                        let call = Call::CaseMessages { case_id: case.id.clone(), after: *after };
                        first = Some((call, Purpose::CaseMessages, CASE_REQUEST_TIMEOUT_MS));
                    }
                }
                if *next_status <= t {
                    *next_status = t + AGENT_STATUS_POLL_MS;
                    second = Some((Call::CaseStatus { case_id: case.id.clone() }, Purpose::CaseStatus, CASE_REQUEST_TIMEOUT_MS));
                }
            }
            _ => {}
        }
        self.send_once(first, now);
        self.send_once(second, now);
    }

    /// Sends a call unless one of its kind is in flight: a slow poll is not stacked with another.
    fn send_once(&mut self, call: Option<(Call, Purpose, u64)>, now: Now) {
        let Some((call, purpose, timeout)) = call else { return };
        if !self.waiting_for(purpose) {
            self.send(call, purpose, timeout, now);
        }
    }

    /// The case changed at the backend (an agent took it, wrote or closed it): ask now, not at
    /// the next poll, so the agent's first words do not wait up to two minutes. A status asked
    /// for already may predate the change, so it is asked again; with an agent, the messages
    /// are fetched (they carry the closing too).
    pub(super) fn case_changed(&mut self, now: Now) {
        let fetching = self.waiting_for(Purpose::CaseMessages);
        match &mut self.handoff {
            Handoff::Queued { case, .. } | Handoff::Left { case, .. } => {
                let call = Call::CaseStatus { case_id: case.id.clone() };
                self.forget(Purpose::CaseStatus);
                self.send(call, Purpose::CaseStatus, CASE_REQUEST_TIMEOUT_MS, now);
            }
            // A fetch already out keeps its schedule (moving it would only push the next one
            // back); the next fetch, at most 3 s on, reads the change.
            Handoff::WithAgent { next_poll, .. } if !fetching => {
                *next_poll = now.mono_ms;
                self.handoff_timers(now);
            }
            _ => {}
        }
    }

    pub(super) fn escalation_answered(&mut self, outcome: &Outcome, now: Now) {
        let Handoff::Sending { outbox, contact } = &mut self.handoff else { return };
        let (outbox, contact) = (outbox.clone(), contact.take());
        let unexpected;
        let failure = match outcome {
            Ok(Reply::Case(status)) => {
                self.escalated(status, contact, now);
                return;
            }
            Ok(_) => {
                unexpected = Failure::Malformed(String::from("unexpected reply"));
                &unexpected
            }
            Err(failure) => failure,
        };
        match outbox::after_failure(failure, outbox.attempts, &mut self.rng) {
            Verdict::RetryIn(ms) => {
                let next_at = Some(now.mono_ms + ms);
                self.handoff = Handoff::Sending { outbox: Outbox { next_at, ..outbox }, contact };
            }
            Verdict::Stop => {
                self.handoff = Handoff::Stuck { outbox, contact };
                let s = &self.config.strings;
                let text = fill(s.stuck(), &[("detail", &failure_text(s, failure))]);
                self.system(text, now);
                self.failed("escalation_failed", failure);
            }
        }
        self.persist_header();
        self.render();
    }

    /// The case exists: tell the customer what happens next and start polling.
    fn escalated(&mut self, status: &crate::protocol::CaseStatus, contact: Option<Contact>, now: Now) {
        let number = status.case_number.clone().unwrap_or_else(|| status.case_id.clone());
        let case = Case { id: status.case_id.clone(), number };
        self.emit(Event::Escalated { case_id: case.id.clone(), case_number: case.number.clone() });
        let s = &self.config.strings;
        if let Some(contact) = contact {
            let text = contact_thanks(s, &contact, &case.number);
            self.handoff = Handoff::Left { case, next_poll: now.mono_ms + self.config.poll_interval_ms };
            self.system(text, now);
            // What the customer added while the package was on its way (review: it stayed
            // queued for good).
            self.pump_agent(now);
        } else {
            let mut text = fill(s.queued(), &[("case", &case.number)]);
            let email = self.customer.as_ref().and_then(|c| c.email.as_deref());
            if let (true, Some(email)) = (status.summary_emailed, email) {
                text.push(' ');
                text.push_str(&fill(s.emailed(), &[("email", email)]));
            }
            self.emit(Event::Queue { position: status.position, wait_seconds: status.wait_seconds });
            // The tab that made the case polls for it (other tabs follow through storage).
            self.take_lease(self.config.poll_interval_ms + LEASE_SLACK_MS, now);
            self.handoff = Handoff::Queued {
                case,
                position: status.position,
                wait_seconds: status.wait_seconds,
                updated_at: now.wall_ms,
                next_poll: now.mono_ms + self.config.poll_interval_ms,
            };
            self.system(text, now);
            if status.status != CaseState::Queued {
                self.case_status_answered(status, now);
            }
            self.pump_agent(now);
        }
        self.persist_header();
        self.render();
    }

    pub(super) fn case_status_answered(&mut self, status: &crate::protocol::CaseStatus, now: Now) {
        let Some(case) = self.handoff.case().cloned() else { return };
        if status.status != CaseState::Resolved && self.handoff.with_team() {
            // Messages held for the bot after a 409 (see `agent_message_sent`), yet the case is
            // open: say they were not sent (Resend tries the case again), rather than hold them.
            while let Some(id) = self.bot_queue.pop_front() {
                self.set_delivery(id, Delivery::Failed);
            }
            // Their decision with them: it must not ride on a later answer of the bot.
            self.held = None;
        }
        match status.status {
            CaseState::Queued => {
                if let Handoff::Queued { position, wait_seconds, updated_at, .. } = &mut self.handoff {
                    let moved = *position != status.position || *wait_seconds != status.wait_seconds;
                    *position = status.position;
                    *wait_seconds = status.wait_seconds;
                    *updated_at = now.wall_ms;
                    if moved {
                        self.emit(Event::Queue { position: status.position, wait_seconds: status.wait_seconds });
                    }
                }
            }
            CaseState::Assigned => {
                let name = status.agent.clone().unwrap_or_else(|| self.config.strings.agent().to_owned());
                match &mut self.handoff {
                    Handoff::WithAgent { agent, .. } => *agent = name,
                    _ => {
                        self.emit(Event::AgentJoined { name: name.clone() });
                        self.handoff = Handoff::WithAgent {
                            case,
                            agent: name,
                            after: 0,
                            next_poll: now.mono_ms,
                            next_status: now.mono_ms + AGENT_STATUS_POLL_MS,
                            closing: Closing::No,
                            misses: 0,
                        };
                        self.handoff_timers(now);
                    }
                }
            }
            CaseState::Resolved => match &mut self.handoff {
                // The agent may have written since the last fetch, or even joined, replied and
                // resolved between two queue polls: fetch once more, then close.
                Handoff::WithAgent { closing, next_poll, .. } if *closing == Closing::No => {
                    (*closing, *next_poll) = (Closing::Due, now.mono_ms);
                    self.handoff_timers(now);
                }
                Handoff::Queued { .. } | Handoff::Left { .. } => {
                    let agent = status.agent.clone().unwrap_or_default();
                    if !agent.is_empty() {
                        self.emit(Event::AgentJoined { name: agent.clone() });
                    }
                    self.handoff = Handoff::WithAgent {
                        case,
                        agent,
                        after: 0,
                        next_poll: now.mono_ms,
                        next_status: now.mono_ms + AGENT_STATUS_POLL_MS,
                        closing: Closing::Due,
                        misses: 0,
                    };
                    self.handoff_timers(now);
                }
                _ => self.resolve(case, now),
            },
        }
        self.persist_header();
        self.render();
    }

    /// Closes the case. The rating question is asked only if someone from the team joined: a
    /// request closed before anyone did (answered by email, a duplicate) has nothing to rate.
    fn resolve(&mut self, case: Case, now: Now) {
        self.emit(Event::Resolved { case_id: case.id.clone() });
        let joined = matches!(&self.handoff, Handoff::WithAgent { agent, .. } if !agent.is_empty());
        self.handoff = Handoff::Resolved { case, csat: if joined { None } else { Some(0) } };
        self.note_closed();
        let s = &self.config.strings;
        let text = if joined { [s.resolved(), " ", s.csat_question()].cat() } else { s.closed().to_owned() };
        self.system(text, now);
        // Messages that reached the case after it closed are the bot's now.
        self.pump_bot(now);
    }

    pub(super) fn case_messages_answered(&mut self, outcome: &Outcome, now: Now) {
        // While the backend is unreachable the 3-second fetch backs off, doubling to 30 s (QA:
        // 20 failed requests a minute per customer, all retrying at once when it came back).
        if let Handoff::WithAgent { next_poll, misses, .. } = &mut self.handoff {
            *misses = if outcome.is_err() { (*misses + 1).min(4) } else { 0 };
            if *misses > 0 {
                *next_poll = (*next_poll).max(now.mono_ms + (AGENT_POLL_MS << *misses).min(30 * SECOND_MS));
            }
        }
        let messages: &[crate::protocol::CaseMessage] = match outcome {
            Ok(Reply::CaseMessages(messages)) => messages,
            _ => &[],
        };
        // The team's close, as the last message: the case ends at this poll, not at the next
        // status poll up to 15 s later, when a message typed meanwhile was refused (QA).
        let mut closed = false;
        for m in messages {
            let Handoff::WithAgent { after, agent, .. } = &mut self.handoff else { break };
            if m.seq <= *after {
                continue;
            }
            *after = m.seq;
            // A case resolved from the queue: whoever writes or joins in its last messages did
            // join (so there is a conversation to rate).
            if agent.is_empty() && (m.role == Role::Agent || m.event.as_deref() == Some("agent_joined")) {
                *agent = m.author.clone().unwrap_or_else(|| self.config.strings.agent().to_owned());
                self.effects.push_back(Effect::Emit(Event::AgentJoined { name: agent.clone() }));
            }
            // The team's own system messages are said in the widget's language: "Alex joined",
            // and nothing for the close (the widget says its own, with the rating question).
            let text = match (m.role, m.event.as_deref()) {
                // The customer's own messages are already in the transcript.
                (Role::Customer, _) => continue,
                (Role::System, Some("resolved")) => {
                    closed = true;
                    continue;
                }
                (Role::System, Some("agent_joined")) => {
                    let s = &self.config.strings;
                    fill(s.agent_joined(), &[("agent", if agent.is_empty() { s.agent() } else { agent })])
                }
                _ => self.clean(&m.text),
            };
            self.push_authored(m.role, text, m.author.clone(), Delivery::Sent, None, m.at);
        }
        // Closing: whatever the last fetch brought (or if it failed), the case is resolved. A
        // fetch already in flight when the resolution arrived may predate the agent's last
        // words: then the final one (due since, see `case_status_answered`) goes out first.
        let Handoff::WithAgent { case, closing, next_poll, .. } = &mut self.handoff else { return };
        match closing {
            _ if closed => {
                let case = case.clone();
                self.resolve(case, now);
                self.persist_header();
                self.render();
            }
            Closing::No => {}
            Closing::Due => {
                *next_poll = now.mono_ms;
                self.handoff_timers(now);
            }
            Closing::Sent => {
                let case = case.clone();
                self.resolve(case, now);
                self.persist_header();
                self.render();
            }
        }
    }

    /// Sends the oldest message waiting for the agent, once the case exists.
    pub(super) fn pump_agent(&mut self, now: Now) {
        let Some(case) = self.handoff.case() else { return };
        if self.waiting_for(Purpose::ToAgent { message: 0 }) {
            return;
        }
        let Some(id) = self.agent_queue.pop_front() else { return };
        let Some(message) = self.messages.get_mut(id as usize) else { return };
        // Delivered by another tab while it waited here (see `pump_bot`).
        if message.delivery == Delivery::Sent {
            return self.pump_agent(now);
        }
        message.delivery = Delivery::Sending;
        let call = Call::CustomerToAgent { case_id: case.id.clone(), message_id: message.wire_id(), text: message.text.clone(), priority: self.urgent };
        self.changed(id);
        self.send(call, Purpose::ToAgent { message: id }, CASE_REQUEST_TIMEOUT_MS, now);
    }

    pub(super) fn agent_message_sent(&mut self, message: u32, outcome: &Outcome, now: Now) {
        match outcome {
            Ok(_) => {
                self.set_delivery(message, Delivery::Sent);
                // Asked by this tab, polling or not (the customer is looking at it), outside
                // the regular schedule.
                if let (true, Handoff::Queued { case, .. }) = (self.repoll == Some(message), &self.handoff) {
                    let call = Call::CaseStatus { case_id: case.id.clone() };
                    self.repoll = None;
                    self.send(call, Purpose::CaseStatus, CASE_REQUEST_TIMEOUT_MS, now);
                }
            }
            // The team closed the case since the last poll (`Left`: the one the customer had left
            // details on). The message and any after it go to the bot (not "Not sent" against a
            // closed case), assessed as any message to the bot is (they skipped the policy on
            // their way to the case): "I want a person" after the close is a new request.
            Err(Failure::Status { status: 409, .. }) if matches!(self.handoff, Handoff::Left { .. } | Handoff::Queued { .. } | Handoff::WithAgent { .. }) => {
                let left = matches!(self.handoff, Handoff::Left { .. });
                if left {
                    // The conversation is the bot's again, starting with this message.
                    self.handoff = Handoff::Bot;
                    self.mark_offer(now); // other tabs follow this "no case" (see sync_header)
                    self.persist_header();
                }
                self.set_delivery(message, Delivery::Queued);
                self.bot_queue.push_back(message);
                while let Some(later) = self.agent_queue.pop_front() {
                    self.bot_queue.push_back(later);
                }
                if left {
                    self.pump_bot(now);
                }
                if let Some(text) = self.messages.get(message as usize).map(|m| m.text.clone()) {
                    let decision = self.assess(&crate::policy::Turn::Customer { text: &text });
                    if left {
                        self.decided(decision, now);
                    } else {
                        self.hold(message, decision);
                    }
                }
                if left {
                    self.render();
                    return;
                }
                // Otherwise ask now, so the closing (the agent's last words, the rating) comes
                // at once; a status already asked for may predate the close: ask again.
                self.forget(Purpose::CaseStatus);
                if let Some(case) = self.handoff.case() {
                    let call = Call::CaseStatus { case_id: case.id.clone() };
                    self.send(call, Purpose::CaseStatus, CASE_REQUEST_TIMEOUT_MS, now);
                }
                return;
            }
            Err(failure) => {
                self.set_delivery(message, Delivery::Failed);
                self.failed("agent_message_failed", failure);
            }
        }
        self.pump_agent(now);
    }

    /// Another tab stored its header: follow its handoff unless this tab is the one polling
    /// (then this tab's state is the newer one), or the header is behind this tab's handoff.
    pub(super) fn sync_header(&mut self, header: &mut crate::snapshot::Header, now: Now) {
        // The header is borrowed (the caller drops its box once); the parts kept are taken out.
        if header.conversation_id != self.conversation_id {
            // Tabs opened before any conversation was stored each made up an id. The first one
            // stored wins; if both were stored before either heard of the other, the smaller.
            if self.stored && header.conversation_id > self.conversation_id {
                self.persist_header();
                return;
            }
            self.conversation_id = header.conversation_id.clone();
            self.created_at = header.created_at;
        }
        if self.open {
            if header.unread > 0 {
                // Another tab counted what this tab's open panel shows: it is read, and the
                // other tabs' badges clear from this tab's header, now rather than whenever
                // this tab next stores it.
                self.persist_header();
            }
        } else if self.unread != header.unread {
            // The badge counts for every tab: what one tab's open panel showed is read.
            self.unread = header.unread;
            self.render();
        }
        // "No thanks" in one tab holds in all (a stale header has an earlier point, or none);
        // the customer's word on the same case's urgency too (another case's is adopted
        // below, if this tab follows it).
        let behind = header.offers_from < self.offers_from;
        self.offers_from = self.offers_from.max(header.offers_from);
        let their_case = header.handoff.as_ref().and_then(|s| s.case_id.as_ref());
        if their_case == self.handoff.case().map(|c| &c.id) {
            self.urgent = self.urgent.max(header.urgent);
        }
        if header.customer.is_some() && self.customer != header.customer {
            // identify() in another tab: its email fills this tab's contact form too (the
            // polling tab's as well: a long wait offers it). A header without one is from a
            // tab that had not heard of it yet.
            self.customer = header.customer.take();
            self.render();
        }
        // The tab polling the case knows better than any header (a lease taken to ask for the
        // wait is not one: another tab may have moved on).
        let polling = matches!(self.handoff, Handoff::Queued { .. } | Handoff::WithAgent { .. });
        let leading = polling && self.lease.as_ref().is_some_and(|(tab, until)| *tab == self.tab && *until > now.wall_ms);
        let mut theirs = Handoff::restore(header.handoff.as_ref(), now);
        // Details left in another tab while waiting for the same case: the forms are done here
        // too, even in the tab that polls (QA: they came back).
        if self.contact_left.is_none() && self.handoff.case().is_some_and(|c| theirs.case() == Some(c)) {
            if let Some(contact) = header.handoff.as_ref().and_then(saved_contact) {
                self.contact_left = Some(contact);
                self.render();
            }
        }
        let (their_rank, answered) = (theirs.rank(), header.offer == self.offer && self.handoff == Handoff::Bot);
        // A rating given here is never taken back by a header stored before it was heard of
        // (QA: the rating tab showed the question again, and a second score was posted).
        let rated = match (&self.handoff, &theirs) {
            (Handoff::Resolved { case: ours, csat: Some(1..=5) }, Handoff::Resolved { case: other, csat: None }) => ours.id == other.id,
            _ => false,
        };
        if leading {
            if their_rank < self.handoff.rank() {
                // Stored over this tab's by one that had not caught up: store ours again.
                self.persist_header();
            }
            return;
        }
        let handed_back = header.poller.is_none() && self.lease.as_ref().is_some_and(|(tab, _)| *tab != self.tab);
        self.lease = header.poller.take();
        let follow = match (&self.handoff, &theirs) {
            // Never back into a case this tab saw closed: a tab that had not caught up stored
            // that, and following it would poll, resolve and say so again, back and forth
            // (also once this tab has moved on to the bot).
            (_, theirs)
                if !matches!(theirs, Handoff::Resolved { .. })
                    && theirs.case().is_some_and(|c| self.closed.as_ref() == Some(&c.id)) =>
            {
                false
            }
            _ if rated => false,
            // After a resolution anything new is followed (a new request, the bot).
            (Handoff::Resolved { .. }, _) => true,
            // The team closed a case the customer had left details on, and a tab handed the
            // conversation back to the bot (marked as a later event than this tab knows of); a
            // "no case" from a tab that had not caught up is not followed.
            (Handoff::Left { .. }, Handoff::Bot) => header.offer > self.offer,
            (Handoff::Bot, Handoff::Left { .. }) => header.offer >= self.offer,
            // Another tab's question for the wait is that tab's: only it gets the answer.
            (_, Handoff::Checking { .. }) => false,
            // Offers are told apart by when they were made: a header that knows of a later
            // one, or of this tab's one answered, is followed; one stored by a tab that had not
            // heard of this tab's offer, or of its answer here, is not.
            (ours, Handoff::Offered { .. } | Handoff::Offline { .. }) => {
                header.offer > self.offer || (ours.pending() && header.offer == self.offer)
            }
            (ours, Handoff::Bot) if ours.pending() => header.offer >= self.offer,
            // The same package: follow the tab that is making the attempts.
            (Handoff::Sending { outbox: ours, .. }, Handoff::Sending { outbox: other, .. }) if ours.key == other.key => {
                other.attempts > ours.attempts
            }
            (ours, theirs) => theirs.rank() >= ours.rank(),
        };
        if follow {
            if matches!(theirs, Handoff::Checking { .. }) {
                // After a resolution: another tab is asking; this one is back with the bot.
                theirs = Handoff::Bot;
            } else {
                self.offer = self.offer.max(header.offer);
            }
            // A package in flight is the other tab's to deliver. This tab stands by, and sends
            // it (same key, so never a second case) only if that tab goes quiet for longer
            // than an attempt can take: it was closed mid-send.
            if let Handoff::Sending { outbox, .. } = &mut theirs {
                outbox.next_at = outbox.next_at.map(|at| at + ESCALATION_TIMEOUT_MS + LEASE_SLACK_MS);
            }
            if self.handoff.case().map(|c| &c.id) != theirs.case().map(|c| &c.id) {
                // Details left for, and urgency said about, another case.
                self.contact_left = None;
                self.urgent = header.urgent;
            }
            self.handoff = theirs;
            // The package record is the delivering tab's to remove: this one, following it out
            // of sending, could otherwise remove a later package's record before hearing of it.
            self.outbox_kept &= self.outbox().is_some();
            self.note_closed();
            self.render();
            if behind {
                self.persist_header();
            }
            // Messages this tab held for the bot when the case turned out closed (a 409).
            self.pump_bot(now);
        } else if their_rank < self.handoff.rank() || (their_rank == 1 && answered) || behind || rated {
            // A tab that had not caught up stored an older stage over this one, an offer
            // answered here, or no "No thanks": store ours again.
            self.persist_header();
        }
        // The polling tab went away (its lease handed back on `pagehide`): another tab takes
        // over within a second, not when that lease would have ended, so one tab again polls
        // and holds the event stream (each waits a random moment; the first to ask takes the
        // lease, and the rest hear of it).
        if handed_back {
            let at = now.mono_ms + self.rng.below_or_eq(SECOND_MS);
            match &mut self.handoff {
                Handoff::Queued { next_poll, .. } | Handoff::Left { next_poll, .. } => *next_poll = (*next_poll).min(at),
                Handoff::WithAgent { next_status, .. } => *next_status = (*next_status).min(at),
                _ => {}
            }
        }
    }

    pub(super) fn system(&mut self, text: String, now: Now) {
        self.push_message(Role::System, text, Delivery::Sent, None, now);
    }
}
