//! Custom requests that need human judgement: bespoke orders, bulk or wholesale quotes,
//! special arrangements. Offer a human.

use super::{Class, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::CustomRequest, class: Class::Consider, takes_phrases: true, detect: Detect::CustomerPhrases { positive: POSITIVE, negative: NEGATIVE } };

const POSITIVE: &str = lines![
    "custom|customized|customised|customise|customize|customization|customisation|bespoke|tailored|tailor|personalized|personalised|engraving|engraved|monogram",
    "bulk|wholesale|volume|large|corporate|special ~ order|orders|ordering|pricing|discount|purchase|quote|deal",
    "quote ~ for|on",
    "special ~ request|arrangement|requirements|needs",
    "can|could ~ you ~ make|build|design|create ~ a|one|something ~ for|specific|specifically|that",
    "non standard",
    "nonstandard",
    "one off",
    "partnership|reseller|resell|sponsorship",
    "partner with",
    "white label"
];

const NEGATIVE: &str = lines![
    "customer|customers|custom fields",
    "customs"
];

examples![
    ("can I get a custom size?", Some("custom")),
    ("we need a bulk order of 500 units", Some("bulk order")),
    ("can you send a quote for 40 seats", Some("quote for")),
    ("I have a special request", Some("special request")),
    ("who is your customer service", None),
    ("how long does customs take", None),
];
