//! The conversation as the core keeps it: messages with ids, roles, redacted text, timestamps,
//! delivery state and the bot's metadata. Personal data never appears in `Debug` output.

use crate::json::{Obj, Value};
use crate::table::Cat;
use serde::{Deserialize, Serialize};

/// Longest customer message accepted, in Unicode scalar values. Longer messages are refused
/// with a notice (not truncated: cutting a customer's words silently would lose context).
pub const MAX_MESSAGE_CHARS: usize = 2_000;

/// Whether typed text is over [`MAX_MESSAGE_CHARS`] once trimmed, as the core measures it; the
/// shell asks the same question to keep such text in the textbox (review: counted untrimmed,
/// 2,000 characters and a newline were sent and also left in the textbox to send again).
pub fn too_long(text: &str) -> bool {
    text.trim().chars().count() > MAX_MESSAGE_CHARS
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    Ai,
    Agent,
    System,
}

/// Where a customer message is on its way to whoever answers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Waiting for an earlier message's answer before it is sent.
    Queued,
    Sending,
    Sent,
    /// The request failed or was lost with a reload; the customer can resend it.
    Failed,
}

/// What the bot said about its own reply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BotMeta {
    pub confidence: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    /// The troubleshooting step the reply tried, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(default)]
    pub resolved: bool,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Position in the conversation, from 0; stable across reloads.
    pub id: u32,
    pub role: Role,
    /// Already redacted.
    pub text: String,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    /// The agent's display name, for agent messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub delivery: Delivery,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<BotMeta>,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("id", &self.id)
            .field("role", &self.role)
            .field("text", &format_args!("{{REDACTED, {} bytes}}", self.text.len()))
            .field("at", &self.at)
            .field("delivery", &self.delivery)
            .finish_non_exhaustive()
    }
}

/// A customer as the host page describes them through `identify()`. All optional.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Customer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_status: Option<String>,
    /// Plan or tier, e.g. "enterprise"; VIP tiers escalate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Lifetime value in minor units of the site's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifetime_value: Option<i64>,
    /// When they became a customer, as the host page formats it (e.g. "2021-03-04").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_since: Option<String>,
    /// Earlier support tickets or chats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_interactions: Option<u32>,
}

impl std::fmt::Debug for Customer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Customer {REDACTED}")
    }
}

/// Every role and delivery state, for the tests that read each name back.
#[cfg(test)]
const ROLES: [Role; 4] = [Role::Customer, Role::Ai, Role::Agent, Role::System];
#[cfg(test)]
const DELIVERIES: [Delivery; 4] = [Delivery::Queued, Delivery::Sending, Delivery::Sent, Delivery::Failed];

impl Role {
    /// The JSON spelling, as stored, sent and shown in markup (`data-role`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Ai => "ai",
            Role::Agent => "agent",
            Role::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        // A match, not `into_iter().find()` over the array (an `IntoIter` of its own in the wasm).
        Some(match s {
            "customer" => Role::Customer,
            "ai" => Role::Ai,
            "agent" => Role::Agent,
            "system" => Role::System,
            _ => return None,
        })
    }
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Queued => "queued",
            Delivery::Sending => "sending",
            Delivery::Sent => "sent",
            Delivery::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Delivery> {
        // A match, as `Role::parse`.
        Some(match s {
            "queued" => Delivery::Queued,
            "sending" => Delivery::Sending,
            "sent" => Delivery::Sent,
            "failed" => Delivery::Failed,
            _ => return None,
        })
    }
}

impl Message {
    /// The id the backend stores this message under, `{at}-{hash of the text}`: the same on
    /// every retry and after a reload, and unlike `id` kept when a clash with another tab
    /// moves the message (`Widget::sync_message`), so a retry is never stored twice. Two
    /// tabs' messages differ in time or text, or they are the same message.
    pub fn wire_id(&self) -> String {
        // FNV-1a, 32 bits: enough to tell apart two messages of the same millisecond.
        let hash = self.text.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
        [&crate::json::int_text(self.at), "-", &crate::json::int_text(i64::from(hash))].cat()
    }

    /// Reads a stored message record (the form `encode::message` writes); `None` if unreadable.
    pub fn from_json(v: &Value) -> Option<Message> {
        // Every check before any copy: a record that fails one then has no copied text to
        // drop (a drop at each of the checks after the first copy, in the wasm).
        let bot = v.get("bot");
        let confidence = match bot {
            Some(b) => Some(b.get("confidence").and_then(Value::as_f64)?),
            None => None,
        };
        let id = v.count("id")?;
        let role = Role::parse(v.get("role")?.as_str()?)?;
        let text = v.get("text")?.as_str()?;
        let at = v.int("at")?;
        let delivery = Delivery::parse(v.get("delivery")?.as_str()?)?;
        Some(Message {
            id,
            role,
            text: text.to_owned(),
            at,
            author: v.text("author"),
            delivery,
            bot: match (bot, confidence) {
                (Some(b), Some(confidence)) => {
                    Some(BotMeta { confidence, intent: b.text("intent"), step: b.text("step"), resolved: b.flag("resolved") })
                }
                _ => None,
            },
        })
    }
}

/// `identify()` fields, as the host page writes them (space-separated).
pub const CUSTOMER_FIELDS: &str = "name email accountId accountStatus tier lifetimeValue customerSince previousInteractions";

impl Customer {
    /// Reads a customer from `identify()` or a snapshot; unknown fields are an error naming them.
    pub fn from_json(v: &Value, path: &str) -> Result<Customer, String> {
        let o = Obj::new(v, path)?;
        o.only(CUSTOMER_FIELDS)?;
        // Every field is read (borrowed) before anything is built: see `Obj::opt_text`.
        let email = o.opt_text("email")?;
        // The team writes to it (and the contact form is filled with it): an address, not any
        // text (QA: `identify({email: 'not-an-email'})` was taken).
        if email.is_some_and(|e| !crate::handoff::package::is_email(e.trim())) {
            return Err([&crate::json::describe(path, "email"), " must be an email address"].cat());
        }
        let name = o.opt_text("name")?;
        let account_id = o.opt_text("accountId")?;
        let account_status = o.opt_text("accountStatus")?;
        let tier = o.opt_text("tier")?;
        let lifetime_value = o.opt_int("lifetimeValue", i64::MIN, i64::MAX)?;
        let customer_since = o.opt_text("customerSince")?;
        let previous_interactions = o.opt_int("previousInteractions", 0, i64::from(u32::MAX))?.map(|n| n as u32);
        Ok(Customer {
            name: name.map(str::to_owned),
            email: email.map(str::to_owned),
            account_id: account_id.map(str::to_owned),
            account_status: account_status.map(str::to_owned),
            tier: tier.map(str::to_owned),
            lifetime_value,
            customer_since: customer_since.map(str::to_owned),
            previous_interactions,
        })
    }
}

#[cfg(test)]
mod name_tests {
    use super::{Delivery, Role, DELIVERIES, ROLES};

    #[test]
    fn names_parse_back_and_match_serde() {
        for r in ROLES {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        for d in DELIVERIES {
            assert_eq!(Delivery::parse(d.as_str()), Some(d));
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
        }
        assert_eq!(Role::parse("bot"), None);
    }
}

#[cfg(test)]
mod customer_tests {
    use super::Customer;

    /// QA: `identify({email: 'not-an-email'})` was taken, and the team would write to it.
    #[test]
    fn an_email_that_is_no_address_is_refused_naming_the_field() {
        let read = |json: &str| crate::json::parse(json).and_then(|v| Customer::from_json(&v, "customer"));
        assert_eq!(read(r#"{"email": "not-an-email"}"#).err().as_deref(), Some("field `customer.email` must be an email address"));
        assert_eq!(read(r#"{"email": "ana@example.com"}"#).ok().and_then(|c| c.email).as_deref(), Some("ana@example.com"));
        // A header stored by an older build with such an email keeps its conversation.
        let header = r#"{"v":1,"conversation_id":"c","created_at":1,"saved_at":1,"messages":0,"customer":{"email":"x"}}"#;
        let decoded = crate::snapshot::Header::decode(header);
        assert!(decoded.as_ref().is_ok_and(|h| h.customer.is_none()), "{decoded:?}");
    }
}
