//! Roadmap and feature requests: "will you add…", "any plans to support…", "feature request".
//! Offer a human: product people want to hear them, the bot cannot promise a roadmap.

use super::{Class, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::RoadmapRequest, class: Class::Consider, takes_phrases: true, detect: Detect::CustomerPhrases { positive: POSITIVE, negative: NEGATIVE } };

const POSITIVE: &str = lines![
    "feature|features ~ request|requests|suggestion|idea|wish",
    "roadmap|roadmaps",
    "any|you|there ~ plans|plan|planning ~ to|for|on",
    "will|would|could|can ~ you ~ ever|please|guys? ~ add|support|build|implement|introduce|release|offer|integrate",
    "you|it ~ going|gonna ~ to? ~ add|support|build|implement|offer",
    "please|pls ~ add|implement|build|support",
    "would|it ~ be ~ nice|great|cool|awesome|helpful|useful ~ if|to",
    "wish ~ you|it|there|the app ~ had|could|would|supported|was|were",
    "suggest|suggestion|suggestions ~ for|a|an ~ improvement|feature|new",
    "future|upcoming|next ~ release|version|update|feature|features",
];

const NEGATIVE: &str = lines![
    "is there a feature"
];

examples![
    ("feature request: dark mode", Some("feature request")),
    ("any plans to support Linux?", Some("any plans to")),
    ("will you add Apple Pay?", Some("will you add")),
    ("it would be nice if exports were faster", Some("would be nice if")),
    ("How do I use Apple Pay?", None),
    ("what features do you have", None),
    // Asking about a feature is not asking for one.
    ("does the app have a dark mode?", None),
    ("how do I turn on dark mode?", None),
];
