//! Simple FAQs: hours, fees, limits, rates, supported countries and cards, contact details,
//! policies. Simple: the knowledge base answers them (a request for a human becomes a choice).

use super::{Class, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::SimpleFaq, class: Class::Simple, takes_phrases: true, detect: Detect::CustomerPhrases { positive: POSITIVE, negative: NEGATIVE } };

const POSITIVE: &str = lines![
    "opening|business|office|working|support|store|open ~ hours|times",
    "what ~ time ~ do|does|are ~ you|it|the ~ open|close",
    "fee|fees|charge|charges|cost|costs|price|prices|pricing|rate|rates|limit|limits|minimum|maximum|interest|apr",
    "exchange rate|rates",
    "which|what ~ countries|currencies|cards|methods|banks|languages|browsers|devices",
    "do|does|can ~ you|it|i ~ support|accept|ship|deliver|take|use|work ~ in|with|to|on|at",
    "return|refund|cancellation|privacy|shipping|delivery ~ policy",
    "balance|routing|statement|iban|swift|bic",
    "due date",
    "bill|payment due",
    "min|minimum payment",
    "payment methods|options",
    "how old",
    "age limit|requirement",
    "minimum age",
    "apple|google pay",
    "visa|mastercard|amex",
    "nearest|nearby ~ atm|branch|store|office",
    "top up|topup|top-up",
    "expiration|expiry ~ date",
    "activate|activation|activating ~ my|the|a|new ~ card",
    "spare|extra|additional|physical|virtual|second ~ card",
    "change|update|edit ~ my ~ name|address|email|phone|details|personal"
];

const NEGATIVE: &str = lines![
    // "someone in charge" is a person, not a fee (review: a request for one got a choice).
    "in charge",
    "charge of",
];

examples![
    ("What are your opening hours?", Some("opening hours")),
    ("Do you ship to Canada?", Some("Do you ship to")),
    ("what is the exchange rate", Some("rate")),
    ("what's my balance", Some("balance")),
    ("my account was hacked", None),
    ("I want to talk to someone", None),
    ("I want to speak to someone in charge", None),
    ("who is in charge of billing", None),
    ("is there a charge for this", Some("charge")),
];
