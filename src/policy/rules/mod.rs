//! The rule list: one small pure function per rule, each in its own file with its table of
//! examples. Adding a rule is one file here and one name in `rules!` below.
//!
//! A rule looks at one turn (`Ctx`) and returns its evidence (a slice of the customer's
//! text, or a fixed phrase) or nothing. Rules never touch `PolicyState`: `decide` does the
//! bookkeeping first (failed attempts, repeated questions) and hands the results in.

use super::text::Tokens;
use super::{PolicyConfig, ReasonCode};

/// How a rule's reason weighs in the decision (see the decision table in `decide`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// The playbook's "always escalate".
    Always,
    /// "Consider escalating": offer a human, don't force one.
    Consider,
    /// "Don't escalate": simple things the bot handles; a request for a human becomes a choice.
    Simple,
}

/// Everything a rule may look at for one turn.
pub(crate) struct Ctx<'a> {
    /// The customer's message ("" on a bot turn).
    pub text: &'a str,
    pub tokens: &'a Tokens,
    pub config: &'a PolicyConfig,
    pub tier: Option<&'a str>,
    /// Set on a bot turn: the bot's confidence in its reply.
    pub bot_confidence: Option<f64>,
    /// Failed attempts counted so far, including this turn's.
    pub failures: u32,
    /// This turn's "that didn't work" after a bot step, if any.
    pub failure_evidence: Option<&'a str>,
    /// How many of the recent customer questions this message repeats.
    pub repeats: u32,
}

/// How a rule finds its evidence.
pub(crate) enum Detect {
    /// A customer turn matching the rule's phrases and none of its negative phrases: most
    /// "consider" and "simple" rules are exactly this, so it is said once here.
    CustomerPhrases { positive: &'static str, negative: &'static str },
    /// Anything else: the rule's own function.
    Custom(for<'a> fn(&Ctx<'a>) -> Option<&'a str>),
}

impl Rule {
    /// The rule's evidence on this turn, if it fires.
    pub fn detect<'a>(&self, ctx: &Ctx<'a>) -> Option<&'a str> {
        match self.detect {
            Detect::CustomerPhrases { positive, negative } => {
                if !ctx.is_customer() {
                    return None;
                }
                ctx.phrases(self.code, positive, negative)
            }
            Detect::Custom(f) => f(ctx),
        }
    }
}

pub(crate) struct Rule {
    pub code: ReasonCode,
    pub class: Class,
    /// Whether the site's extra `phrases` / `negativePhrases` for this code are used.
    pub takes_phrases: bool,
    pub detect: Detect,
}

impl<'a> Ctx<'a> {
    pub fn is_customer(&self) -> bool {
        self.bot_confidence.is_none()
    }

    /// Where `part` (evidence quoted from the message) starts in the message, in bytes; a
    /// slice from anywhere else (the tier) gives a position far past its end.
    pub fn offset(&self, part: &str) -> usize {
        (part.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize)
    }

    /// The first match of the built-in or the site's phrases for `code` that no negative
    /// phrase overlaps, as a slice of the customer's text.
    pub fn phrases(&self, code: ReasonCode, positive: &str, negative: &str) -> Option<&'a str> {
        let extra = self.config.phrases.get(code).unwrap_or_default();
        let extra_neg = self.config.negative_phrases.get(code).unwrap_or_default();
        self.tokens.find(positive, extra, negative, extra_neg).map(|(a, b)| self.tokens.span(self.text, a, b))
    }

    /// Two kinds of phrase in the same message (in any order), neither cancelled by a negative
    /// phrase (built in, or the site's for `code`): the evidence runs from the first to the
    /// last of the two.
    pub fn both(&self, code: ReasonCode, first: &str, second: &str, negative: &str) -> Option<&'a str> {
        let extra_neg = self.config.negative_phrases.get(code).unwrap_or_default();
        let (a0, a1) = self.tokens.find(first, &[], negative, extra_neg)?;
        let (b0, b1) = self.tokens.find(second, &[], negative, extra_neg)?;
        Some(super::text::clip(self.tokens.span(self.text, a0.min(b0), a1.max(b1)), 160))
    }

    /// The first token that is one of `words` (a space-separated list), as evidence.
    pub fn any_word(&self, words: &str) -> Option<&'a str> {
        for i in 0..self.tokens.len() {
            if crate::table::split(words, " ").any(|w| w == self.tokens.word(i)) {
                return Some(self.tokens.span(self.text, i, i + 1));
            }
        }
        None
    }
}

/// Patterns, one per line, in one string: `lines!["a ~ b", "c"]` is `"a ~ b\nc\n"` (no table
/// of pointers beside the text).
macro_rules! lines {
    ($($p:expr),* $(,)?) => {
        concat!($($p, "\n"),*)
    };
}

/// The shared lists of alternatives patterns refer to as `@name` (each stored once).
pub(crate) const LISTS: &[(&str, &str)] = &[
    ("person", human_request::PERSON),
    ("strong", human_request::STRONG),
    ("machine", human_request::MACHINE),
    ("es", human_request::ES_PERSON),
    ("payment", account_security::PAYMENT),
    ("account", account_security::ACCOUNT),
];

/// The table of examples beside a rule, run as its test:
/// `examples![("text", Some("evidence")), ("hard negative", None)];`.
macro_rules! examples {
    ($($case:expr),* $(,)?) => {
        #[cfg(test)]
        #[test]
        fn examples() {
            super::assert_table(&RULE, &[$($case),*]);
        }
    };
}

macro_rules! rules {
    ($($name:ident),* $(,)?) => {
        $(pub(crate) mod $name;)*
        /// Every rule, in the order their reasons are listed in a decision.
        pub(crate) const RULES: &[Rule] = &[$($name::RULE),*];
    };
}

rules![
    account_security,
    legal_compliance,
    emotion,
    human_request,
    money_over_threshold,
    policy_exception,
    failed_attempts,
    repeated_question,
    low_confidence,
    vip_customer,
    technical_beyond_steps,
    bug_report,
    product_complaint,
    roadmap_request,
    custom_request,
    password_reset,
    order_status,
    simple_faq,
    how_to,
];

/// A test helper: a fresh conversation's context for `text`, adjusted by `tweak` (a tier, a bot
/// confidence, ...), handed to `f`.
#[cfg(test)]
pub(crate) fn on_fresh<T>(text: &str, tweak: impl for<'c> FnOnce(&mut Ctx<'c>), f: impl for<'c> FnOnce(&Ctx<'c>) -> T) -> T {
    let config = PolicyConfig::default();
    let tokens = Tokens::new(text, &[]);
    let mut ctx = Ctx {
        text,
        tokens: &tokens,
        config: &config,
        tier: None,
        bot_confidence: None,
        failures: 0,
        failure_evidence: None,
        repeats: 0,
    };
    tweak(&mut ctx);
    f(&ctx)
}

/// A test helper: run one rule on one customer message in a fresh conversation.
#[cfg(test)]
pub(crate) fn check(rule: &Rule, text: &str) -> Option<String> {
    on_fresh(text, |_| {}, |ctx| rule.detect(ctx).map(str::to_owned))
}

/// A test helper: assert a table of (message, expected evidence) for one rule.
#[cfg(test)]
pub(crate) fn assert_table(rule: &Rule, table: &[(&str, Option<&str>)]) {
    let mut failures = Vec::new();
    for (text, want) in table {
        let got = check(rule, text);
        if got.as_deref() != *want {
            failures.push(format!("{text:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{:?}:\n{}", rule.code, failures.join("\n"));
}
