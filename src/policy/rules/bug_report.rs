//! Bug reports: the customer says the product misbehaves ("found a bug", "it crashes when",
//! "glitch"). Offer a human: someone has to reproduce and file it.

use super::{Class, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::BugReport, class: Class::Consider, takes_phrases: true, detect: Detect::CustomerPhrases { positive: POSITIVE, negative: NEGATIVE } };

const POSITIVE: &str = lines![
    "bug|bugs|buggy|glitch|glitches|glitchy",
    "crash|crashes|crashed|crashing",
    "keeps ~ crashing|freezing|closing|failing|logging|restarting|erroring",
    "error|errors ~ when|whenever|every|each|after|if",
    "broken ~ link|page|button|feature|form|checkout",
    "button|link|page|form|checkout|app|site|website ~ doesnt|dont|wont|isnt|not ~ work|working|load|loading|respond|responding|open|opening"
];

const NEGATIVE: &str = lines![
    "not a bug",
    "bug spray",
    "debug|debugging"
];

examples![
    ("I found a bug in the checkout", Some("bug")),
    ("the app crashes when I open settings", Some("crashes")),
    ("the pay button doesn't work", Some("button doesn't work")),
    ("it keeps freezing", Some("keeps freezing")),
    ("how do I pay by card", None),
    ("is it a bug or a feature? just kidding, how do I export", Some("bug")),
    ("where is my order", None),
];
