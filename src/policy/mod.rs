//! The escalation policy: after every customer message and bot reply, decide whether a human
//! should take over, following the playbook. Pure and incremental: `decide` costs time
//! proportional to the new message, never to the conversation (`PolicyState` is bounded).
//!
//! INTERFACE CONTRACT (the widget core calls exactly this; keep these signatures):
//! `decide(&PolicyConfig, &mut PolicyState, &Turn, &Facts) -> Decision`.

use serde::{Deserialize, Serialize};

/// What the site owner can tune. Parsed from the host page's `policy` option and from
/// `baton replay --policy FILE` (camelCase in JSON).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct PolicyConfig {}

/// What the policy remembers between turns (serialised in the widget's snapshot). Bounded.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct PolicyState {}

/// One turn the policy looks at.
#[derive(Clone, Debug)]
pub enum Turn<'a> {
    Customer { text: &'a str },
    Bot { text: &'a str, confidence: f64, intent: Option<&'a str>, step: Option<&'a str>, resolved: bool },
}

/// Facts about the customer from the host page (`identify()`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Facts<'a> {
    pub tier: Option<&'a str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    None,
    Offer,
    Escalate,
    DeclineWithChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationType {
    Proactive,
    CustomerRequested,
    Emergency,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    HumanRequest,
    Emotion,
    MoneyOverThreshold,
    AccountSecurity,
    PolicyException,
    VipCustomer,
    LegalCompliance,
    LowConfidence,
    RepeatedQuestion,
    FailedAttempts,
    TechnicalBeyondSteps,
    CustomRequest,
    ProductComplaint,
    RoadmapRequest,
    BugReport,
    SimpleFaq,
    PasswordReset,
    OrderStatus,
    HowTo,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Decision {
    pub action: Action,
    #[serde(rename = "type")]
    pub kind: EscalationType,
    pub priority: Priority,
    pub reasons: Vec<Reason>,
}

impl Decision {
    pub fn none() -> Self {
        Decision { action: Action::None, kind: EscalationType::Proactive, priority: Priority::Low, reasons: Vec::new() }
    }
}

/// Decide on one turn. Stub: only low confidence, until the rules land.
pub fn decide(_config: &PolicyConfig, _state: &mut PolicyState, turn: &Turn, _facts: &Facts) -> Decision {
    match turn {
        Turn::Bot { confidence, .. } if *confidence < 0.4 => Decision {
            action: Action::Escalate,
            kind: EscalationType::Proactive,
            priority: Priority::Medium,
            reasons: vec![Reason { code: ReasonCode::LowConfidence, evidence: String::from("confidence below 0.40") }],
        },
        _ => Decision::none(),
    }
}
