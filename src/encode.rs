//! The core's values as JSON text, written by hand: stored snapshot records, host events and
//! the `state()` view. One small writer instead of a serde instance per type keeps the wasm
//! small; `decode` counterparts live beside each type (`Message::from_json`, `Header::decode`).

use crate::conversation::{Customer, Message};
use crate::json::{write_int, write_str, ObjWriter};
use crate::policy::{Action, Decision, EscalationType, PolicyState, Priority};
use crate::snapshot::{HeaderView, SavedHandoff, SNAPSHOT_VERSION};
use crate::widget::{Event, HandoffView, View};

pub fn action_name(a: Action) -> &'static str {
    match a {
        Action::None => "none",
        Action::Offer => "offer",
        Action::Escalate => "escalate",
        Action::DeclineWithChoice => "decline_with_choice",
    }
}

pub fn kind_name(k: EscalationType) -> &'static str {
    match k {
        EscalationType::Proactive => "proactive",
        EscalationType::CustomerRequested => "customer_requested",
        EscalationType::Emergency => "emergency",
    }
}

pub fn priority_name(p: Priority) -> &'static str {
    match p {
        Priority::Low => "low",
        Priority::Medium => "medium",
        Priority::High => "high",
        Priority::Critical => "critical",
    }
}

pub fn message(out: &mut String, m: &Message) {
    let mut o = ObjWriter::new(out);
    o.int("id", i64::from(m.id)).str("role", m.role.as_str()).str("text", &m.text).int("at", m.at);
    o.opt_str("author", m.author.as_deref()).str("delivery", m.delivery.as_str());
    if let Some(b) = &m.bot {
        let mut w = ObjWriter::new(o.key("bot"));
        w.unit("confidence", b.confidence).opt_str("intent", b.intent.as_deref()).opt_str("step", b.step.as_deref());
        w.bool("resolved", b.resolved).end();
    }
    o.end();
}

pub fn customer(out: &mut String, c: &Customer) {
    let mut o = ObjWriter::new(out);
    o.opt_str("name", c.name.as_deref()).opt_str("email", c.email.as_deref());
    o.opt_str("accountId", c.account_id.as_deref()).opt_str("accountStatus", c.account_status.as_deref());
    o.opt_str("tier", c.tier.as_deref()).opt_int("lifetimeValue", c.lifetime_value);
    o.opt_str("customerSince", c.customer_since.as_deref());
    o.opt_int("previousInteractions", c.previous_interactions.map(i64::from));
    o.end();
}

pub fn policy_state(out: &mut String, p: &PolicyState) {
    let mut o = ObjWriter::new(out);
    let list = o.key("recent_questions");
    list.push('[');
    for (i, q) in p.recent_questions.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        list.push('[');
        for (j, word) in q.iter().enumerate() {
            if j > 0 {
                list.push(',');
            }
            write_int(list, i64::from(*word));
        }
        list.push(']');
    }
    list.push(']');
    o.int("failed_attempts", i64::from(p.failed_attempts)).bool("step_pending", p.step_pending);
    o.int("steps_tried", i64::from(p.steps_tried)).bool("small_talk", p.small_talk).end();
}

fn saved_handoff(out: &mut String, s: &SavedHandoff) {
    let mut o = ObjWriter::new(out);
    o.str("stage", &s.stage).opt_str("case_id", s.case_id.as_deref()).opt_str("case_number", s.case_number.as_deref());
    o.opt_int("position", s.position.map(i64::from)).opt_int("wait_seconds", s.wait_seconds.map(i64::from));
    o.opt_int("updated_at", s.updated_at).opt_int("next_at", s.next_at).opt_str("agent", s.agent.as_deref());
    o.opt_int("after", s.after.map(|a| a.min(i64::MAX as u64) as i64)).opt_str("key", s.key.as_deref());
    // The package itself is stored once beside the header (`outbox_record`).
    o.opt_int("attempts", s.attempts.map(i64::from));
    o.opt_str("contact_email", s.contact_email.as_deref()).opt_str("contact_phone", s.contact_phone.as_deref());
    o.opt_int("csat", s.csat.map(i64::from));
    if let Some((d, style)) = &s.trigger {
        // Indices, read back by `snapshot::decode_trigger`.
        let t = o.key("trigger");
        t.push('[');
        write_int(t, i64::from(d.action as u8));
        for n in [d.kind as u8, d.priority as u8, *style] {
            t.push(',');
            write_int(t, i64::from(n));
        }
        for r in &d.reasons {
            t.push(',');
            write_int(t, r.code as i64);
            t.push(',');
            write_str(t, &r.evidence);
        }
        t.push(']');
    }
    o.end();
}

pub fn header(h: &HeaderView) -> String {
    let mut out = String::with_capacity(256);
    let mut o = ObjWriter::new(&mut out);
    o.int("v", i64::from(SNAPSHOT_VERSION)).str("conversation_id", &h.conversation_id).int("created_at", h.created_at);
    o.int("saved_at", h.saved_at).int("messages", i64::from(h.messages)).bool("open", h.open);
    o.int("unread", i64::from(h.unread)).int("offers_from", i64::from(h.offers_from));
    o.opt_int("urgent", h.urgent.map(|p| p as i64)).int("offer", h.offer);
    if let Some(c) = h.customer {
        customer(o.key("customer"), c);
    }
    policy_state(o.key("policy"), h.policy);
    if let Some(s) = &h.handoff {
        saved_handoff(o.key("handoff"), s);
    }
    if let Some((tab, until)) = h.poller {
        ObjWriter::new(o.key("poller")).str("tab", tab).int("until", *until).end();
    }
    o.end();
    out
}

/// The package being delivered, stored once at `snapshot::outbox_key` under its key.
pub fn outbox_record(key: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    ObjWriter::new(&mut out).str("key", key).str("body", body).end();
    out
}

pub fn message_record(m: &Message) -> String {
    let mut out = String::with_capacity(m.text.len() + 96);
    message(&mut out, m);
    out
}

pub fn decision(out: &mut String, d: &Decision) {
    let mut o = ObjWriter::new(out);
    o.str("action", action_name(d.action)).str("type", kind_name(d.kind)).str("priority", priority_name(d.priority));
    let list = o.key("reasons");
    list.push('[');
    for (i, r) in d.reasons.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        ObjWriter::new(list).str("code", r.code.as_str()).str("evidence", &r.evidence).end();
    }
    list.push(']');
    o.end();
}

/// An event's detail object, as host listeners receive it.
pub fn event(e: &Event) -> String {
    let mut out = String::with_capacity(128);
    let mut o = ObjWriter::new(&mut out);
    o.str("type", e.name());
    match e {
        Event::Ready { conversation_id, restored } => {
            o.str("conversation_id", conversation_id).bool("restored", *restored);
        }
        Event::Message { message: m } => message(o.key("message"), m),
        Event::Decision { decision: d } => decision(o.key("decision"), d),
        Event::Offer { style, wait_seconds } => {
            o.str("style", style).opt_int("wait_seconds", wait_seconds.map(i64::from));
        }
        Event::Escalated { case_id, case_number } => {
            o.str("case_id", case_id).str("case_number", case_number);
        }
        Event::Queue { position, wait_seconds } => {
            o.opt_int("position", position.map(i64::from)).opt_int("wait_seconds", wait_seconds.map(i64::from));
        }
        Event::AgentJoined { name } => {
            o.str("name", name);
        }
        Event::Resolved { case_id } => {
            o.str("case_id", case_id);
        }
        Event::Csat { score } => {
            o.int("score", i64::from(*score));
        }
        Event::Error { code, message } => {
            o.str("code", code).str("message", message);
        }
    }
    o.end();
    out
}

fn handoff_view(out: &mut String, h: &HandoffView) {
    let mut o = ObjWriter::new(out);
    o.str("stage", h.stage).opt_str("offer", h.offer).opt_str("caseNumber", h.case_number.as_deref());
    o.opt_int("position", h.position.map(i64::from)).opt_int("waitSeconds", h.wait_seconds.map(i64::from));
    o.opt_str("statusText", h.status_text.as_deref()).opt_int("updatedAt", h.updated_at);
    o.opt_str("agent", h.agent.as_deref()).bool("longWait", h.long_wait).bool("canRequestHuman", h.can_request_human);
    o.opt_int("csat", h.csat.map(i64::from)).bool("canRate", h.can_rate).end();
}

/// The `state()` view model.
pub fn view(v: &View) -> String {
    let mut out = String::with_capacity(256 + v.messages.len() * 96);
    let mut o = ObjWriter::new(&mut out);
    o.str("conversationId", v.conversation_id).bool("open", v.open).int("unread", i64::from(v.unread));
    o.bool("typing", v.typing);
    o.opt_str("notice", v.notice.as_deref());
    handoff_view(o.key("handoff"), &v.handoff);
    let list = o.key("messages");
    list.push('[');
    for (i, m) in v.messages.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        message(list, m);
    }
    list.push(']');
    o.end();
    out
}
