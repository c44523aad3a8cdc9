//! Basic how-to questions ("how do I…", "where can I find…", "is it possible to…"). Simple:
//! the knowledge base covers them (a request for a human becomes a choice).

use super::{Class, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::HowTo, class: Class::Simple, takes_phrases: true, detect: Detect::CustomerPhrases { positive: POSITIVE, negative: NEGATIVE } };

const POSITIVE: &str = lines![
    "how|hw ~ do|can|could|should|would|to|does|would ~ i|we|one|you ~ _",
    "how to",
    "where|how ~ can|do ~ i|we ~ find|get|see|set|change|add|turn|enable|download",
    "is|it|its ~ possible ~ to",
    "can|could ~ i|we ~ use|get|add|change|set|pay|order|link|cancel|transfer|send|buy",
    "steps|instructions|guide|tutorial ~ for|to|on",
    "what do i|we ~ need|do|have"
];

const NEGATIVE: &str = lines![
    "how ~ _ _ talk|speak|chat|contact|reach|call ~ to|with|your|the ~ human|person|agent|someone|somebody|representative|customer|support|service|team"
];

examples![
    ("How do I change my address?", Some("How do I")),
    ("how to export a report", Some("how to")),
    ("where can I find my invoices", Some("where can I find")),
    ("my account was hacked", None),
    ("the app is broken", None),
];
