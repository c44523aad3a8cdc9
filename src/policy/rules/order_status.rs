//! Order status: where an order, parcel, delivery or card is, and when it arrives. Simple:
//! the bot answers from the order system.

use super::{Class, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::OrderStatus, class: Class::Simple, takes_phrases: true, detect: Detect::CustomerPhrases { positive: POSITIVE, negative: NEGATIVE } };

const POSITIVE: &str = lines![
    "where|wheres|status|track|tracking|trace ~ is|of|my|the ~ order|orders|package|parcel|delivery|shipment|card|item|items|purchase|refund|application|transfer",
    "order|orders|package|parcel|delivery|shipment|card|item|application ~ status|tracking|number",
    "order|orders|package|parcel|delivery|shipment|card|item|items ~ hasnt|havent|not|still|didnt|never|yet ~ arrived|come|came|shipped|received|delivered|here|showed",
    "when|long ~ will|does|do|until|till|before ~ _ _ arrive|arrives|ship|ships|shipped|deliver|delivered|come|receive|expect|get",
    "havent|hasnt|not|never|didnt ~ received|receive|got|gotten",
    "estimated ~ delivery|arrival|shipping",
    "delivery|shipping ~ time|times|date|estimate"
];

const NEGATIVE: &str = lines![

];

examples![
    ("Where is my order?", Some("Where is my order")),
    ("my package hasn't arrived", Some("package hasn't arrived")),
    ("when will my card arrive", Some("when will my card arrive")),
    ("track my parcel", Some("track my parcel")),
    ("I want to cancel my order", None),
    ("how do I reset my password", None),
];
