//! What the core persists between page loads: a small versioned header plus one record per
//! message, so saving after a message costs the same at message 5 as at message 5,000.
//!
//! Storage layout (owned by the driver): `baton:{site}:h` holds the [`Header`],
//! `baton:{site}:m:{id}` holds message `id`.

use crate::conversation::{Customer, Message};
use crate::json::{self, Obj};
use crate::policy::PolicyState;

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
    pub customer: Option<Customer>,
    pub policy: PolicyState,
    /// The handoff, when one is under way (an outbox, a queued case, an agent, …).
    pub handoff: Option<SavedHandoff>,
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
}

impl SavedHandoff {
    fn decode(v: &crate::json::Value) -> Result<SavedHandoff, String> {
        let o = Obj::new(v, "header.handoff")?;
        let u32_of = |key: &str| o.opt_int(key, 0, i64::from(u32::MAX)).map(|n| n.map(|n| n as u32));
        Ok(SavedHandoff {
            stage: o.str("stage")?,
            case_id: o.opt_str("case_id")?,
            case_number: o.opt_str("case_number")?,
            position: u32_of("position")?,
            wait_seconds: u32_of("wait_seconds")?,
            updated_at: o.opt_int("updated_at", i64::MIN, i64::MAX)?,
            next_at: o.opt_int("next_at", i64::MIN, i64::MAX)?,
            agent: o.opt_str("agent")?,
            after: o.opt_int("after", 0, i64::MAX)?.map(|n| n as u64),
            key: o.opt_str("key")?,
            body: o.opt_str("body")?,
            attempts: u32_of("attempts")?,
            contact_email: o.opt_str("contact_email")?,
            contact_phone: o.opt_str("contact_phone")?,
            csat: o.opt_int("csat", 1, 5)?.map(|n| n as u8),
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
    format!("baton:{site}:h")
}

pub fn message_key(site: &str, id: u32) -> String {
    format!("baton:{site}:m:{id}")
}

pub fn key_prefix(site: &str) -> String {
    format!("baton:{site}:")
}

impl Header {
    /// Reads a stored header. `Err` means unreadable: the core then starts afresh quietly.
    pub fn decode(text: &str) -> Result<Header, String> {
        let v = json::parse(text)?;
        let o = Obj::new(&v, "header")?;
        let customer = match o.opt("customer") {
            Some(c) => Some(Customer::from_json(c, "header.customer")?),
            None => None,
        };
        let policy = match o.opt("policy") {
            Some(p) => decode_policy(p)?,
            None => PolicyState::default(),
        };
        Ok(Header {
            v: o.int("v", 0, i64::from(u32::MAX))? as u32,
            conversation_id: o.str("conversation_id")?,
            created_at: o.int("created_at", i64::MIN, i64::MAX)?,
            saved_at: o.int("saved_at", i64::MIN, i64::MAX)?,
            messages: o.int("messages", 0, i64::from(u32::MAX))? as u32,
            open: o.opt_bool("open")?.unwrap_or(false),
            customer,
            policy,
            handoff: o.opt("handoff").map(SavedHandoff::decode).transpose()?,
        })
    }
}

fn decode_policy(v: &crate::json::Value) -> Result<PolicyState, String> {
    let o = Obj::new(v, "header.policy")?;
    let mut recent_questions = Vec::new();
    for q in o.opt("recent_questions").and_then(crate::json::Value::items).unwrap_or(&[]) {
        // Bounded as the policy keeps it, whatever the stored record says.
        let words = q.items().unwrap_or(&[]).iter().filter_map(|w| w.as_f64()).map(|w| w as u32).take(64).collect();
        recent_questions.push(words);
    }
    let excess = recent_questions.len().saturating_sub(crate::policy::RECENT_QUESTIONS);
    recent_questions.drain(..excess);
    Ok(PolicyState {
        recent_questions,
        failed_attempts: o.opt_int("failed_attempts", 0, i64::from(u32::MAX))?.unwrap_or(0) as u32,
        step_pending: o.opt_bool("step_pending")?.unwrap_or(false),
        steps_tried: o.opt_int("steps_tried", 0, i64::from(u32::MAX))?.unwrap_or(0) as u32,
    })
}

/// Reads a stored message record; `None` when it is unreadable.
pub fn decode_message(text: &str) -> Option<Message> {
    json::parse(text).ok().and_then(|v| Message::from_json(&v).ok())
}

/// Reads a site's snapshot through `get` (a storage lookup by key): the header, then each
/// message record until the first missing or unreadable one.
pub fn read(site: &str, mut get: impl FnMut(&str) -> Option<String>) -> Result<Option<Stored>, String> {
    let Some(raw) = get(&header_key(site)) else { return Ok(None) };
    let header = Header::decode(&raw)?;
    let mut messages = Vec::new();
    for id in 0..header.messages {
        match get(&message_key(site, id)).as_deref().and_then(decode_message) {
            Some(m) => messages.push(m),
            None => break,
        }
    }
    Ok(Some(Stored { header, messages }))
}
