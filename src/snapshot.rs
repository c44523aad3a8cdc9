//! What the core persists between page loads: a small versioned header plus one record per
//! message, so saving after a message costs the same at message 5 as at message 5,000.
//!
//! Storage layout (owned by the driver): `baton:{site}:h` holds the [`Header`],
//! `baton:{site}:m:{id}` holds message `id`, and `baton:{site}:o` the handoff package being
//! delivered, written once: the header, rewritten at every message, names it by its key (it
//! carries the whole transcript, and would make each write grow with the conversation).

use crate::conversation::{Customer, Message};
use crate::json::{self, Value};
use crate::policy::{Action, Decision, EscalationType, PolicyState, Priority, Reason, ReasonCode};
use crate::table::Cat;

/// Bumped whenever the stored shape changes incompatibly; older snapshots are migrated or
/// discarded quietly, never shown as an error to the customer.
pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// Snapshot format version.
    pub v: u32,
    pub conversation_id: String,
    pub created_at: i64,
    /// Last activity (wall clock), for expiry.
    pub saved_at: i64,
    /// How many message records belong to this conversation.
    pub messages: u32,
    pub open: bool,
    /// Messages from the assistant or the team that arrived while the panel was closed.
    pub unread: u32,
    pub customer: Option<Customer>,
    pub policy: PolicyState,
    /// The handoff, when one is under way (an outbox, a queued case, an agent, …).
    pub handoff: Option<SavedHandoff>,
    /// The tab that polls the queue for every tab of this site, and until when (wall clock):
    /// a lease renewed as it polls, so a closed tab is replaced after one interval.
    pub poller: Option<(String, i64)>,
    /// No new proactive offer before the conversation has this many messages ("No thanks").
    pub offers_from: u32,
    /// How urgent the customer has said the case in `handoff` is since it was made.
    pub urgent: Option<Priority>,
    /// When the latest offer was made (see `Widget`'s field of that name).
    pub offer: i64,
}

/// The header as the widget writes it, borrowed from the widget: it is saved at every message,
/// and an owned [`Header`] would copy the customer, the policy's memory and the package being
/// delivered only to encode them and drop the copies. [`Header`] is what reading it back gives.
pub struct HeaderView<'a> {
    pub conversation_id: &'a str,
    pub created_at: i64,
    pub saved_at: i64,
    pub messages: u32,
    pub open: bool,
    pub unread: u32,
    pub customer: Option<&'a Customer>,
    pub policy: &'a PolicyState,
    pub handoff: Option<SavedHandoff>,
    pub poller: Option<&'a (String, i64)>,
    pub offers_from: u32,
    pub urgent: Option<Priority>,
    pub offer: i64,
}

/// The handoff's stored form: flat, so old and new versions read each other's fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SavedHandoff {
    pub stage: String,
    pub case_id: Option<String>,
    pub case_number: Option<String>,
    pub position: Option<u32>,
    pub wait_seconds: Option<u32>,
    pub updated_at: Option<i64>,
    /// Wall-clock time of the next queue poll.
    pub next_at: Option<i64>,
    pub agent: Option<String>,
    pub after: Option<u64>,
    /// The outbox: idempotency key, package and attempts so far.
    pub key: Option<String>,
    pub body: Option<String>,
    pub attempts: Option<u32>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub csat: Option<u8>,
    /// A pending offer (`checking`, `offered`, `offline`): what the policy decided and how it
    /// is put to the customer (the widget's `Style`, by index), so the reason and priority
    /// outlive a reload or a move to another page.
    pub trigger: Option<(Decision, u8)>,
}

impl SavedHandoff {
    fn decode(v: &Value) -> Option<SavedHandoff> {
        let small = |key: &str| v.count(key);
        Some(SavedHandoff {
            stage: v.text("stage")?,
            case_id: v.text("case_id"),
            case_number: v.text("case_number"),
            position: small("position"),
            wait_seconds: small("wait_seconds"),
            updated_at: v.int("updated_at"),
            next_at: v.int("next_at"),
            agent: v.text("agent"),
            after: v.int("after").and_then(|n| u64::try_from(n).ok()),
            key: v.text("key"),
            body: v.text("body"),
            attempts: small("attempts"),
            contact_email: v.text("contact_email"),
            contact_phone: v.text("contact_phone"),
            csat: small("csat").filter(|n| (0..=5).contains(n)).map(|n| n as u8),
            trigger: v.get("trigger").and_then(decode_trigger),
        })
    }
}

/// A snapshot as read back by the driver.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub header: Header,
    /// Message records in id order; missing or unreadable ones are left out by the driver.
    pub messages: Vec<Message>,
}

/// The storage key of the header, and the prefix shared by every key of a site.
pub fn header_key(site: &str) -> String {
    [&key_prefix(site), "h"].cat()
}

pub fn message_key(site: &str, id: u32) -> String {
    [&key_prefix(site), "m:", &crate::json::int_text(i64::from(id))].cat()
}

/// The storage key of the package being delivered (see the module's opening).
pub fn outbox_key(site: &str) -> String {
    [&key_prefix(site), "o"].cat()
}

pub fn key_prefix(site: &str) -> String {
    ["baton:", site, ":"].cat()
}

impl Header {
    /// Reads a stored header. `Err` means unreadable: the core then starts afresh quietly.
    /// Lenient: this is the widget's own record, so a missing part is simply absent.
    pub fn decode(text: &str) -> Result<Header, String> {
        let v = json::parse(text)?;
        // The required fields, read at once: one error path for all of them.
        let required = (|| Some((v.count("v")?, v.text("conversation_id")?, v.int("created_at")?, v.int("saved_at")?, v.count("messages")?)))();
        let Some((version, conversation_id, created_at, saved_at, messages)) = required else {
            return Err(String::from("unreadable header"));
        };
        let customer = match v.get("customer") {
            // A customer the current rules refuse (an older build took any email) is dropped,
            // not the whole conversation.
            Some(c) => Customer::from_json(c, "header.customer").ok(),
            None => None,
        };
        Ok(Header {
            v: version,
            conversation_id,
            created_at,
            saved_at,
            messages,
            open: v.flag("open"),
            unread: v.count("unread").unwrap_or(0),
            customer,
            policy: v.get("policy").map(decode_policy).unwrap_or_default(),
            handoff: v.get("handoff").and_then(SavedHandoff::decode),
            poller: v.get("poller").and_then(|p| {
                let until = p.int("until")?;
                Some((p.text("tab")?, until))
            }),
            offers_from: v.count("offers_from").unwrap_or(0),
            urgent: v.int("urgent").and_then(|n| Priority::ALL.get(usize::try_from(n).ok()?).copied()),
            offer: v.int("offer").unwrap_or(0),
        })
    }
}

impl Header {
    /// Puts the stored package (the record at [`outbox_key`]) back into a header that names
    /// it by its idempotency key; a record for another key is not this header's. Headers of
    /// older builds carry the package themselves.
    pub fn with_outbox(mut self, record: Option<String>) -> Header {
        if let Some(h) = self.handoff.as_mut().filter(|h| h.body.is_none() && h.key.is_some()) {
            if let Some(v) = record.as_deref().and_then(|r| json::parse(r).ok()) {
                if v.text("key") == h.key {
                    h.body = v.text("body");
                }
            }
        }
        self
    }
}

/// A pending offer's trigger as `encode::header` writes it: `[action, type, priority, style,
/// code, evidence, code, evidence, …]`, each enum as its declaration index. `None` if any part
/// is unknown.
fn decode_trigger(v: &Value) -> Option<(Decision, u8)> {
    let items = v.items()?;
    let index = |v: &Value| v.as_f64().map(|n| n as usize);
    let at = |i: usize| index(items.get(i)?);
    let action = *[Action::None, Action::Offer, Action::Escalate, Action::DeclineWithChoice].get(at(0)?)?;
    let kind = *[EscalationType::Proactive, EscalationType::CustomerRequested, EscalationType::Emergency].get(at(1)?)?;
    let priority = *Priority::ALL.get(at(2)?)?;
    let style = u8::try_from(at(3)?).ok()?;
    let mut reasons = Vec::new();
    // The (code, evidence) pairs by index, not `chunks(2)`: that adapter was code of its own
    // in the wasm. An odd item at the end (a code without evidence) is unreadable, as before.
    let mut i = 4;
    while i < items.len() {
        let code = *ReasonCode::ALL.get(at(i)?)?;
        reasons.push(Reason { code, evidence: items.get(i + 1)?.as_str()?.to_owned() });
        i += 2;
    }
    Some((Decision { action, kind, priority, reasons }, style))
}

fn decode_policy(v: &Value) -> PolicyState {
    let mut recent_questions = Vec::new();
    for q in v.get("recent_questions").and_then(Value::items).unwrap_or(&[]) {
        // Bounded as the policy keeps it, whatever the stored record says.
        let mut words = Vec::new();
        for w in q.items().unwrap_or(&[]).iter().filter_map(Value::as_f64) {
            if words.len() == 64 {
                break;
            }
            words.push(w as u32);
        }
        // The last ones are kept, dropped oldest first as the policy does.
        if recent_questions.len() == crate::policy::RECENT_QUESTIONS {
            recent_questions.remove(0);
        }
        recent_questions.push(words);
    }
    let count = |key: &str| v.count(key).unwrap_or(0);
    PolicyState {
        recent_questions,
        failed_attempts: count("failed_attempts"),
        step_pending: v.flag("step_pending"),
        steps_tried: count("steps_tried"),
        small_talk: v.flag("small_talk"),
    }
}

/// Reads a stored message record; `None` when it is unreadable.
pub fn decode_message(text: &str) -> Option<Message> {
    json::parse(text).ok().as_ref().and_then(Message::from_json)
}

pub fn read(site: &str, mut get: impl FnMut(&str) -> Option<String>) -> Result<Option<Stored>, String> {
    let Some(raw) = get(&header_key(site)) else { return Ok(None) };
    let header = Header::decode(&raw)?.with_outbox(get(&outbox_key(site)));
    // Every record in sequence, past the header's count too: a tab that had not heard of the
    // others' latest messages may have stored the header last (review: a reload then showed
    // the conversation cut short). Past the count, only records no older than the one before:
    // records left behind a gap (a lost record; the ids after it were taken again) are older
    // than the messages that took the ids, and must not come back (review).
    let mut messages: Vec<Message> = Vec::new();
    for id in 0.. {
        match get(&message_key(site, id)).as_deref().and_then(decode_message) {
            Some(m) if id < header.messages || messages.last().is_none_or(|prev| m.at >= prev.at) => messages.push(m),
            _ => break,
        }
    }
    Ok(Some(Stored { header, messages }))
}
