//! The handoff package: the full transcript, the customer, the technical context and the AI's
//! assessment, plus a plain-text summary an agent reads in 30 seconds. Assembled once, at
//! escalation, from what the core already holds; written as JSON by hand (no serde in the
//! wasm) in the shape of `docs/handoff-package.schema.json`.

use super::environment::Environment;
use super::{scan, summary, ua};
use crate::conversation::{Customer, Message, Role};
use crate::policy::{Decision, EscalationType, Priority, Reason, ReasonCode};

/// Version tag of the package format, in the package as `schema`.
pub const PACKAGE_SCHEMA: &str = "baton.handoff/1";

/// How an offline customer wants to be reached (support closed or the wait too long).
#[derive(Clone, PartialEq, Eq)]
pub enum Contact {
    Email(String),
    Callback { phone: String },
}

impl Contact {
    /// The address or the number.
    pub fn value(&self) -> &str {
        match self {
            Contact::Email(v) | Contact::Callback { phone: v } => v,
        }
    }

    /// Whether anyone could reply to it: an address with a domain, or a number of 6 to 15
    /// digits written with the usual `+ ( ) - . /` and spaces.
    pub fn is_valid(&self) -> bool {
        let v = self.value().trim();
        match self {
            Contact::Email(_) => is_email(v),
            Contact::Callback { .. } => {
                // Digits counted and the other characters checked in one pass.
                let (mut digits, mut others_ok) = (0, true);
                for b in v.bytes() {
                    if b.is_ascii_digit() {
                        digits += 1;
                    } else {
                        others_ok &= crate::table::has_byte(b" +()-./", b);
                    }
                }
                others_ok && (6..=15).contains(&digits)
            }
        }
    }
}

/// Whether `v` reads as an email address: the contact form's check, and `identify()`'s.
pub fn is_email(v: &str) -> bool {
    v.len() <= 254 && crate::table::find_whitespace(v).is_none() && crate::table::split_once(v, "@").is_some_and(|(local, domain)| !local.is_empty() && crate::table::find(domain, ".", 0, false).is_some())
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

#[derive(Clone, PartialEq)]
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
#[derive(Clone, PartialEq)]
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

#[derive(Clone, Default, PartialEq)]
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

#[derive(Clone, PartialEq, Eq)]
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

#[derive(Clone, PartialEq)]
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

// Debug output never shows personal data: customer text, names, contact details, URLs and the
// policy's evidence (the customer's words) print as their size only.

/// Stands in for personal text in `Debug` output.
struct Hidden(usize);

impl std::fmt::Debug for Hidden {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{REDACTED, {} bytes}}", self.0)
    }
}

impl std::fmt::Debug for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Contact::Email(_) => "Contact::Email {REDACTED}",
            Contact::Callback { .. } => "Contact::Callback {REDACTED}",
        })
    }
}

impl std::fmt::Debug for Package {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Package")
            .field("idempotency_key", &self.idempotency_key)
            .field("conversation_id", &self.conversation_id)
            .field("widget_version", &self.widget_version)
            .field("created_at", &self.created_at)
            .field("transcript", &self.transcript)
            .field("customer", &self.customer)
            .field("technical", &self.technical)
            .field("assessment", &self.assessment)
            .field("contact", &self.contact)
            .field("summary_text", &Hidden(self.summary_text.len()))
            .field("completeness", &self.completeness)
            .finish()
    }
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("role", &self.role)
            .field("text", &Hidden(self.text.len()))
            .field("at", &self.at)
            .field("confidence", &self.confidence)
            .field("intent", &self.intent)
            .field("step", &self.step)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Technical {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Technical")
            .field("browser", &self.browser)
            .field("os", &self.os)
            .field("device", &self.device)
            .field("locale", &self.locale)
            .field("time_zone", &self.time_zone)
            .field("product_version", &self.product_version)
            .field("errors", &self.errors)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ErrorMention {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErrorMention").field("code", &self.code).field("message", &Hidden(self.message.len())).finish()
    }
}

impl std::fmt::Debug for Assessment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let codes: Vec<&str> = self.reasons.iter().map(|r| code_name(r.code)).collect();
        f.debug_struct("Assessment")
            .field("kind", &self.kind)
            .field("reasons", &codes)
            .field("confidence", &self.confidence)
            .field("sentiment", &self.sentiment)
            .field("urgency", &self.urgency)
            .field("next_steps", &self.next_steps)
            .field("failed_attempts", &self.failed_attempts)
            .finish()
    }
}

/// Confidence when no AI message gave one: neither sure nor unsure.
const UNKNOWN_CONFIDENCE: f64 = 0.5;

/// Every reason code, in the order an agent should act on them: the words the summary uses and
/// the next step it suggests. (Its JSON name is `ReasonCode::as_str`, shared with the events.)
const REASON_ORDER: [ReasonCode; 19] = {
    use ReasonCode::*;
    [
        Emotion, HumanRequest, AccountSecurity, LegalCompliance, MoneyOverThreshold, PolicyException, VipCustomer,
        LowConfidence, RepeatedQuestion, FailedAttempts, TechnicalBeyondSteps, BugReport, ProductComplaint,
        CustomRequest, RoadmapRequest, SimpleFaq, PasswordReset, OrderStatus, HowTo,
    ]
};

/// For each code of `REASON_ORDER`, in turn: `words for the summary|next step`.
const REASON_TEXTS: &str = concat!(
    "customer is upset|Acknowledge the frustration first\n",
    "customer asked for a human|Greet the customer (by name, if known) and confirm the issue in one sentence\n",
    "account security concern|Verify the customer's identity, then freeze the card/account and review recent activity\n",
    "legal or compliance matter|Route the case to legal/compliance; make no commitments in the meantime\n",
    "money over the refund threshold|Review the charge and decide on the refund\n",
    "policy exception requested|Decide on the policy exception (the AI cannot grant one)\n",
    "VIP customer|Handle with priority: VIP customer\n",
    "AI was unsure|Confirm the issue, the AI was unsure\n",
    "customer repeated the question|Answer the repeated question directly; the AI's answers did not land\n",
    "troubleshooting steps failed|Skip the steps already tried (listed above); escalate to tier 2 if the issue persists\n",
    "technical issue beyond the standard steps|Investigate with the technical details above; involve engineering if needed\n",
    "possible bug|Reproduce on the browser and page above, then file a bug\n",
    "complaint about the product|Log the product feedback and tell the customer what happens next\n",
    "custom request|Decide on the custom request\n",
    "roadmap or feature request|Record the feature request; promise no dates\n",
    "simple question|Answer from the knowledge base; the customer preferred a person\n",
    "password reset|Walk the customer through the password reset\n",
    "order status|Look up the order and give its status\n",
    "how-to question|Walk the customer through it step by step\n",
);

/// Always the last next step.
const FINAL_STEP: &str = "Resolve the issue, then confirm with the customer before closing the case";

/// A reason code's (words for the summary, next step).
pub fn reason_text(code: ReasonCode) -> (&'static str, &'static str) {
    // The line at the code's place in the order, read in step with it by plain loop (a zip of
    // the two, or `position` then `nth`, are iterator routines of their own in the wasm).
    let mut lines = crate::table::pairs(REASON_TEXTS);
    for &c in &REASON_ORDER {
        let line = lines.next();
        if c == code {
            if let Some(line) = line {
                return line;
            }
        }
    }
    ("other", FINAL_STEP)
}

/// A reason code's JSON name, e.g. `money_over_threshold`.
pub fn code_name(code: ReasonCode) -> &'static str {
    code.as_str()
}

/// Why a handoff of this type happened, for the summary's priority line.
pub fn type_words(kind: EscalationType) -> &'static str {
    match kind {
        EscalationType::Proactive => "the AI could not resolve it",
        EscalationType::CustomerRequested => "customer asked for a person",
        EscalationType::Emergency => "emergency",
    }
}

pub fn sentiment_name(s: Sentiment) -> &'static str {
    ["negative", "neutral", "positive"][s as usize]
}

/// The fields completeness tracks, as `missing` names them: what an agent needs so the customer
/// never repeats themselves. See docs/handoff-package.md.
pub const TRACKED: [&str; 12] = [
    "conversation.messages",
    "customer.name",
    "customer.email",
    "customer.account_id",
    "customer.tier",
    "technical.page_url",
    "technical.browser",
    "technical.os",
    "technical.locale",
    "technical.time_zone",
    "technical.product_version",
    "assessment.reasons",
];

/// Builds the package from what the core holds at escalation.
pub fn assemble(input: &Input) -> Package {
    let env = input.environment;
    let client = ua::client(env);
    let attempts = scan::attempts(input.messages);
    let assessment = assess(input.decision, input.messages, &attempts);
    let mut transcript = Vec::new();
    for m in input.messages {
        let (confidence, intent, step) = match &m.bot {
            Some(b) if m.role == Role::Ai => (Some(unit(b.confidence)), b.intent.clone(), b.step.clone()),
            _ => (None, None, None),
        };
        transcript.push(Entry { role: m.role, text: m.text.clone(), at: m.at, author: m.author.clone(), confidence, intent, step });
    }
    // Copied with `if let`, not `Option::map`/`filter` closures (code of their own in the wasm).
    let mut product_version = None;
    if let Some(v) = input.product_version.map(str::trim) {
        if !v.is_empty() {
            product_version = Some(String::from(v));
        }
    }
    let mut p = Package {
        idempotency_key: input.idempotency_key.into(),
        conversation_id: input.conversation_id.into(),
        widget_version: input.widget_version.into(),
        created_at: input.now_wall_ms,
        transcript,
        // A match, not `cloned().unwrap_or_default()` (an `Option::cloned` of its own in the wasm).
        customer: match input.customer {
            Some(c) => c.clone(),
            None => Customer::default(),
        },
        technical: Technical {
            page_url: env.page_url.clone(),
            page_title: env.page_title.clone(),
            referrer: env.referrer.clone(),
            browser: client.browser,
            os: client.os,
            device: client.device.map(String::from),
            user_agent: env.user_agent.clone(),
            locale: env.locale.clone(),
            time_zone: env.time_zone.clone(),
            product_version,
            errors: scan::errors(input.messages),
            attempts,
        },
        assessment,
        contact: input.contact.cloned(),
        summary_text: String::new(),
        completeness: Completeness { score: 0, missing: Vec::new() },
    };
    p.completeness = completeness(&p);
    p.summary_text = summary::text(&p, input.messages);
    p
}

/// A 0..1 value from the bot, clamped; NaN (a broken backend) counts as unknown.
fn unit(v: f64) -> f64 {
    if v.is_nan() { UNKNOWN_CONFIDENCE } else { v.clamp(0.0, 1.0) }
}

fn assess(decision: &Decision, messages: &[Message], attempts: &[Attempt]) -> Assessment {
    let has = |code| decision.reasons.iter().any(|r| r.code == code);
    let mut failed_attempts = 0;
    for a in attempts {
        failed_attempts += u32::from(a.worked == Some(false));
    }
    let mut next_steps = Vec::new();
    for &code in &REASON_ORDER {
        if has(code) || (code == ReasonCode::FailedAttempts && failed_attempts > 0) {
            next_steps.push(String::from(reason_text(code).1));
        }
    }
    next_steps.push(String::from(FINAL_STEP));
    // The last AI message's confidence.
    let mut confidence = UNKNOWN_CONFIDENCE;
    for m in messages {
        if let Some(b) = m.bot.as_ref().filter(|_| m.role == Role::Ai) {
            confidence = b.confidence;
        }
    }
    Assessment {
        kind: decision.kind,
        reasons: decision.reasons.clone(),
        confidence: unit(confidence),
        sentiment: scan::sentiment(messages, has(ReasonCode::Emotion)),
        urgency: decision.priority,
        next_steps,
        failed_attempts,
    }
}

fn completeness(p: &Package) -> Completeness {
    let set = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
    let (c, t) = (&p.customer, &p.technical);
    let filled = [
        !p.transcript.is_empty(),
        set(&c.name),
        set(&c.email),
        set(&c.account_id),
        set(&c.tier),
        set(&t.page_url),
        set(&t.browser),
        set(&t.os),
        set(&t.locale),
        set(&t.time_zone),
        set(&t.product_version),
        !p.assessment.reasons.is_empty(),
    ];
    let mut missing = Vec::new();
    for (i, f) in filled.iter().enumerate() {
        if !f {
            missing.push(TRACKED[i]);
        }
    }
    let total = TRACKED.len();
    Completeness { score: ((total - missing.len()) * 100 / total) as u8, missing }
}
