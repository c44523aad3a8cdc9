//! The handoff package: the full transcript, the customer, the technical context and the AI's
//! assessment, plus a plain-text summary an agent reads in 30 seconds. Assembled once, at
//! escalation, from what the core already holds; written as JSON by hand (no serde in the
//! wasm) in the shape of `docs/handoff-package.schema.json`.

use super::environment::Environment;
use crate::conversation::{Customer, Message, Role};
use crate::policy::{Decision, EscalationType, Priority, Reason};

/// Version tag of the package format, in the package as `schema`.
pub const PACKAGE_SCHEMA: &str = "baton.handoff/1";

/// How an offline customer wants to be reached (support closed or the wait too long).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contact {
    Email(String),
    Callback { phone: String },
}

/// Everything `assemble` reads. Borrowed: assembly copies only what goes into the package.
pub struct Input<'a> {
    pub idempotency_key: &'a str,
    pub conversation_id: &'a str,
    pub widget_version: &'a str,
    pub product_version: Option<&'a str>,
    /// Wall-clock milliseconds when the escalation was decided.
    pub now_wall_ms: i64,
    pub messages: &'a [Message],
    pub customer: Option<&'a Customer>,
    pub environment: &'a Environment,
    /// Why: the policy's decision (for a button press, `customer_requested` + `human_request`).
    pub decision: &'a Decision,
    pub contact: Option<&'a Contact>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    pub idempotency_key: String,
    pub conversation_id: String,
    pub widget_version: String,
    pub created_at: i64,
    pub transcript: Vec<Entry>,
    pub customer: Customer,
    pub technical: Technical,
    pub assessment: Assessment,
    pub contact: Option<Contact>,
    pub summary_text: String,
    pub completeness: Completeness,
}

/// One transcript line.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub role: Role,
    pub text: String,
    pub at: i64,
    pub author: Option<String>,
    /// For AI messages: the bot's confidence, intent and the step it tried.
    pub confidence: Option<f64>,
    pub intent: Option<String>,
    pub step: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Technical {
    pub page_url: Option<String>,
    pub page_title: Option<String>,
    pub referrer: Option<String>,
    /// "Chrome 126", parsed from client hints or the user agent.
    pub browser: Option<String>,
    /// "macOS", "Windows 10/11", "Android 14", "iOS 17.5", …
    pub os: Option<String>,
    /// "desktop", "mobile" or "tablet".
    pub device: Option<String>,
    pub user_agent: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub product_version: Option<String>,
    /// Error messages and codes the customer or the AI mentioned.
    pub errors: Vec<ErrorMention>,
    /// What the AI tried and whether it worked.
    pub attempts: Vec<Attempt>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorMention {
    pub code: Option<String>,
    /// The sentence it appeared in (already redacted).
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub step: String,
    /// `None`: the customer never said.
    pub worked: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sentiment {
    Negative,
    Neutral,
    Positive,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    pub kind: EscalationType,
    pub reasons: Vec<Reason>,
    /// Confidence in the identification of the issue, 0..1.
    pub confidence: f64,
    pub sentiment: Sentiment,
    pub urgency: Priority,
    pub next_steps: Vec<String>,
    /// Troubleshooting steps that did not work.
    pub failed_attempts: u32,
}

/// Which of the package's context fields were filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completeness {
    /// Percentage of `filled` over all tracked fields, 0..=100.
    pub score: u8,
    pub missing: Vec<&'static str>,
}

// TEMPORARY until the package assembly lands: the minimum the reference server reads.
pub fn assemble(input: &Input) -> Package {
    let transcript = input
        .messages
        .iter()
        .map(|m| Entry { role: m.role, text: m.text.clone(), at: m.at, author: m.author.clone(), confidence: None, intent: None, step: None })
        .collect();
    Package {
        idempotency_key: input.idempotency_key.to_owned(),
        conversation_id: input.conversation_id.to_owned(),
        widget_version: input.widget_version.to_owned(),
        created_at: input.now_wall_ms,
        transcript,
        customer: input.customer.cloned().unwrap_or_default(),
        technical: Technical::default(),
        assessment: Assessment {
            kind: input.decision.kind,
            reasons: input.decision.reasons.clone(),
            confidence: 0.5,
            sentiment: Sentiment::Neutral,
            urgency: input.decision.priority,
            next_steps: Vec::new(),
            failed_attempts: 0,
        },
        contact: input.contact.cloned(),
        summary_text: String::new(),
        completeness: Completeness { score: 0, missing: Vec::new() },
    }
}

impl Package {
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"conversation_id\":");
        crate::json::write_str(&mut out, &self.conversation_id);
        out.push_str(",\"assessment\":{\"urgency\":\"");
        out.push_str(match self.assessment.urgency {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Critical => "critical",
        });
        out.push_str("\"},\"conversation\":{\"messages\":[");
        for (i, e) in self.transcript.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"text\":");
            crate::json::write_str(&mut out, &e.text);
            out.push('}');
        }
        out.push_str("]}}");
        out
    }
}
