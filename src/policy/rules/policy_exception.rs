//! Requests for a policy exception: "make an exception", "outside the return window but…",
//! waiving a fee, bending a rule. A human decides those.

use super::{Class, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::PolicyException, class: Class::Always, takes_phrases: true, detect: Detect::CustomerPhrases { positive: POSITIVE, negative: NEGATIVE } };

const POSITIVE: &str = lines![
    "exception|exceptions",
    "outside|past|after|beyond|missed|over|passed|expired ~ return|refund|cancellation|warranty|trial|grace|exchange ~ window|period|deadline|policy|date|limit",
    "return|refund|warranty|cancellation|trial ~ window|period|deadline ~ has|had|is|was ~ passed|expired|ended|closed|over",
    "waive|waived|waiving|reverse|forgive|drop|remove|refund ~ the|this|that|my|a|late|these ~ fee|fees|charge|penalty|penalties",
    "bend|break|overlook|ignore ~ the|your|a ~ rule|rules|policy",
    "special case|consideration|treatment|circumstances",
    "one time",
    "just|only this once",
    "courtesy|goodwill ~ refund|credit|gesture|exception",
    // (Review: written as one line, "even though|although|despite|i know", the spaces made it
    // four items, and it matched nothing.)
    "even though ~ _ _ policy|expired|late|deadline|window|rules|terms|days|used|opened|worn",
    "although|despite ~ _ _ policy|expired|late|deadline|window|rules|terms|days|used|opened|worn",
    "i know ~ _ _ policy|expired|late|deadline|window|rules|terms|days|used|opened|worn",
    "return|exchange|refund ~ an|a|the|my|this? opened|used|worn|unsealed|open ~ item|product|one|box|package|it",
    "extend|extension ~ on|of|for|to? ~ the|my|a|this ~ deadline|return|trial|warranty|window|period",
];

/// Asking how to do it oneself is a how-to ("how do I extend my trial?"): the bot answers,
/// and if it cannot, its low confidence escalates anyway.
const NEGATIVE: &str = lines![
    "no exception|exceptions",
    "without exception",
    "how|where do|can|could|should i|we extend|renew",
    "how to extend|renew",
];

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::RULE;

    #[test]
    fn exceptions_and_not() {
        assert_table(
            &RULE,
            &[
                ("can you make an exception?", Some("exception")),
                ("it's outside the return window but it broke", Some("outside the return window")),
                ("please waive the late fee", Some("waive the late fee")),
                ("just this once", Some("just this once")),
                // Not exceptions.
                ("what is your return window?", None),
                ("how do I return an item", None),
                ("can you extend my trial?", Some("extend my trial")),
                ("can I get an extension on my trial?", Some("extension on my trial")),
                ("I need an extension of the deadline", Some("extension of the deadline")),
                ("how do I extend my trial?", None),
                ("how to extend the warranty", None),
                // QA.
                ("I know it's past 30 days but can I still return it?", Some("I know it's past 30 days")),
                ("Could you refund me even though I used it?", Some("even though I used")),
                ("can you let me return an opened item", Some("return an opened item")),
            ],
        );
    }
}
