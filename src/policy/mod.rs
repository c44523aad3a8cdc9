//! The escalation policy: after every customer message and bot reply, decide whether a human
//! should take over, following the playbook. Pure and incremental: `decide` costs time
//! proportional to the new message, never to the conversation (`PolicyState` is bounded).
//!
//! INTERFACE CONTRACT (the widget core calls exactly this; keep these signatures):
//! `decide(&PolicyConfig, &mut PolicyState, &Turn, &Facts) -> Decision`.
//!
//! Layout: `text` tokenises and matches phrase patterns, `money` finds amounts, `rules/` holds
//! one file per rule, and this file keeps the state and turns the rules' reasons into one
//! decision (the table is in `combine`, and in docs/policy.md).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Words, sorted, in one string: `words!["a", "b"]` is `"a b"` (searched by `text::in_sorted`,
/// no table of pointers beside the text).
macro_rules! words {
    ($first:expr $(, $rest:expr)* $(,)?) => {
        concat!($first $(, " ", $rest)*)
    };
}

pub mod money;
mod rules;
mod text;

use rules::{Class, Ctx, RULES};
use text::Tokens;
use crate::table::Cat;

/// What the site owner can tune. Parsed from the host page's `policy` option and from
/// `baton replay --policy FILE` (camelCase in JSON). Call `validate` after parsing.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct PolicyConfig {
    /// Money above this many minor units of `currency` escalates (default 10000: 100.00).
    pub money_threshold_minor: u64,
    /// The site's currency (ISO 4217); bare amounts ("charged me 250") are in it.
    pub currency: String,
    /// Bot replies below this confidence escalate (default 0.40).
    pub low_confidence: f64,
    /// The same question this many times escalates (default 3).
    pub repeat_threshold: u32,
    /// This many failed troubleshooting steps escalate (default 2).
    pub failed_attempts_threshold: u32,
    /// Token-set Jaccard similarity from which two questions are the same (default 0.6).
    pub similarity: f64,
    /// Customer tiers that always get a human, case-insensitive (default vip, enterprise).
    pub vip_tiers: Vec<String>,
    /// Extra phrases per rule, in the pattern language of `text` (other languages come here).
    pub phrases: PhraseMap,
    /// Extra phrases per rule that cancel an overlapping match ("no need for an agent").
    pub negative_phrases: PhraseMap,
    /// Extra words `~` may skip, besides the built-in English ones: a site writing phrases in
    /// another language lists its articles and the like (`["un", "una", "el", "la", "con"]`).
    pub filler_words: Vec<String>,
}

/// The site's phrase lists by rule. A handful of entries at most, so a plain list: a `BTreeMap`
/// brings its node code into the wasm (about 3 KB) for lookups a short scan does as well. In
/// JSON it is an object keyed by reason code, as a map would be.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(from = "BTreeMap<ReasonCode, Vec<String>>", into = "BTreeMap<ReasonCode, Vec<String>>")]
pub struct PhraseMap(Vec<(ReasonCode, Vec<String>)>);

impl PhraseMap {
    pub fn get(&self, code: ReasonCode) -> Option<&[String]> {
        self.0.iter().find(|(c, _)| *c == code).map(|(_, list)| list.as_slice())
    }

    /// Sets the list for `code`, replacing any earlier one.
    pub fn insert(&mut self, code: ReasonCode, list: Vec<String>) {
        self.0.retain(|(c, _)| *c != code);
        self.0.push((code, list));
    }

    pub fn iter(&self) -> impl Iterator<Item = (ReasonCode, &[String])> {
        self.0.iter().map(|(c, list)| (*c, list.as_slice()))
    }
}

impl From<BTreeMap<ReasonCode, Vec<String>>> for PhraseMap {
    fn from(map: BTreeMap<ReasonCode, Vec<String>>) -> Self {
        PhraseMap(map.into_iter().collect())
    }
}

impl From<PhraseMap> for BTreeMap<ReasonCode, Vec<String>> {
    fn from(map: PhraseMap) -> Self {
        map.0.into_iter().collect()
    }
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            money_threshold_minor: 10_000,
            currency: String::from("USD"),
            low_confidence: 0.40,
            repeat_threshold: 3,
            failed_attempts_threshold: 2,
            similarity: 0.6,
            vip_tiers: vec![String::from("vip"), String::from("enterprise")],
            phrases: PhraseMap::default(),
            negative_phrases: PhraseMap::default(),
            filler_words: Vec::new(),
        }
    }
}

/// Bounds on the site's phrase lists: they are matched against every message.
/// (The error messages in `validate` spell these numbers out; a test checks they agree.)
const MAX_PHRASES_PER_RULE: usize = 200;
const MAX_PHRASE_ITEMS: usize = 12;
const MAX_PHRASE_BYTES: usize = 200;
/// Gaps and optional words per phrase: each multiplies the ways a phrase is tried at a word.
const MAX_PHRASE_CHOICES: usize = 4;
/// Bounds on `fillerWords`: every word of every message is compared with them.
const MAX_FILLER_WORDS: usize = 100;
const MAX_FILLER_BYTES: usize = 40;

impl PolicyConfig {
    /// Check the values serde cannot: the error names the field (in its JSON spelling).
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.low_confidence) {
            return Err(String::from("lowConfidence: must be a number from 0 to 1"));
        }
        if !(self.similarity > 0.0 && self.similarity <= 1.0) {
            return Err(String::from("similarity: must be a number above 0 and at most 1"));
        }
        if self.repeat_threshold < 2 {
            return Err(String::from("repeatThreshold: must be at least 2 (a question asked twice)"));
        }
        if self.failed_attempts_threshold < 1 {
            return Err(String::from("failedAttemptsThreshold: must be at least 1"));
        }
        if self.currency.len() != 3 || !self.currency.as_bytes().iter().all(u8::is_ascii_alphabetic) {
            return Err(String::from("currency: must be a three-letter ISO 4217 code such as \"USD\""));
        }
        if self.vip_tiers.iter().any(|t| t.trim().is_empty()) {
            return Err(String::from("vipTiers: tiers must not be empty"));
        }
        // Each one word as the tokenizer cuts them: letters and digits, no spaces or pattern signs.
        let word = |w: &String| (1..=MAX_FILLER_BYTES).contains(&w.len()) && w.chars().all(|c| text::is_word_char(c) && !text::is_apostrophe(c));
        if self.filler_words.len() > MAX_FILLER_WORDS || !self.filler_words.iter().all(word) {
            return Err(String::from("fillerWords: at most 100 words, each of 1 to 40 bytes of letters and digits"));
        }
        for &(field, map) in &[("phrases", &self.phrases), ("negativePhrases", &self.negative_phrases)] {
            for (code, list) in map.iter() {
                let at = [field, ".", code.as_str(), ": "].cat();
                if !RULES.iter().any(|r| r.code == code && r.takes_phrases) {
                    return Err(at + "this rule does not use phrases");
                }
                if list.len() > MAX_PHRASES_PER_RULE {
                    return Err(at + "at most 200 phrases");
                }
                for phrase in list {
                    let (mut items, mut words, mut choices) = (0, 0, 0);
                    for item in crate::table::split_whitespace(phrase) {
                        items += 1;
                        words += usize::from(!matches!(item, "_" | "~"));
                        choices += usize::from(matches!(item, "_" | "~") || item.ends_with('?'));
                    }
                    if words == 0 || items > MAX_PHRASE_ITEMS || phrase.len() > MAX_PHRASE_BYTES {
                        return Err([&at, "`", phrase, "` must have 1 to 12 words and at most 200 bytes"].cat());
                    }
                    // Each gap or optional word multiplies the ways a phrase is tried at a word.
                    if choices > MAX_PHRASE_CHOICES {
                        return Err([&at, "`", phrase, "` may have at most 4 gaps (`_`, `~`) and optional words (`?`)"].cat());
                    }
                    if crate::table::split_whitespace(phrase).next().is_some_and(|i| matches!(i, "_" | "~")) {
                        return Err([&at, "`", phrase, "` must not start with a gap"].cat());
                    }
                }
            }
        }
        Ok(())
    }
}

/// How many recent customer questions are kept for the repeated-question rule.
pub const RECENT_QUESTIONS: usize = 6;

/// What the policy remembers between turns (serialised in the widget's snapshot). Bounded:
/// a few counters and the fingerprints of the last `RECENT_QUESTIONS` customer questions.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct PolicyState {
    /// Fingerprints of recent customer questions, oldest first.
    pub recent_questions: Vec<Vec<u32>>,
    /// Bot steps the customer said did not work.
    pub failed_attempts: u32,
    /// The last bot turn had a troubleshooting step not yet reported as failed.
    pub step_pending: bool,
    /// Troubleshooting steps the bot has tried in this conversation.
    pub steps_tried: u32,
    /// The last customer turn was small talk ("hi", "thanks"): the bot's reply to it says
    /// nothing about an issue it failed to understand.
    pub small_talk: bool,
}

impl PolicyState {
    /// Restore the bounds after a snapshot from elsewhere (it may have been edited).
    fn bound(&mut self) {
        // One at a time, as `decide` drops the oldest: the same `remove` serves both (a
        // `drain` would be more code in the wasm for a list that is rarely too long).
        while self.recent_questions.len() > RECENT_QUESTIONS {
            self.recent_questions.remove(0);
        }
        for fp in &mut self.recent_questions {
            fp.truncate(rules::repeated_question::MAX_WORDS);
        }
    }
}

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

impl Priority {
    /// In declaration order: stored records name a priority by its index.
    pub const ALL: [Priority; 4] = [Priority::Low, Priority::Medium, Priority::High, Priority::Critical];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
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

    /// Adds a reason after those at least as urgent, so the first reason is the one that set
    /// the priority: the summary and the agent console lead with it (QA: "Reason: asked for a
    /// human" headed a critical hacked-account case).
    pub fn add(&mut self, reason: Reason) {
        let p = reason.code.priority();
        let at = self.reasons.iter().position(|r| r.code.priority() < p).unwrap_or(self.reasons.len());
        self.reasons.insert(at, reason);
    }
}

impl ReasonCode {
    /// Every code, in declaration order (the order of `as_str`'s names).
    pub const ALL: [ReasonCode; 19] = [
        ReasonCode::HumanRequest,
        ReasonCode::Emotion,
        ReasonCode::MoneyOverThreshold,
        ReasonCode::AccountSecurity,
        ReasonCode::PolicyException,
        ReasonCode::VipCustomer,
        ReasonCode::LegalCompliance,
        ReasonCode::LowConfidence,
        ReasonCode::RepeatedQuestion,
        ReasonCode::FailedAttempts,
        ReasonCode::TechnicalBeyondSteps,
        ReasonCode::CustomRequest,
        ReasonCode::ProductComplaint,
        ReasonCode::RoadmapRequest,
        ReasonCode::BugReport,
        ReasonCode::SimpleFaq,
        ReasonCode::PasswordReset,
        ReasonCode::OrderStatus,
        ReasonCode::HowTo,
    ];

    /// The JSON spelling (`human_request`), without pulling a formatter into the wasm.
    pub fn as_str(self) -> &'static str {
        // One string indexed by the variant, in declaration order: a `match` of string
        // literals becomes a table of pointers in the wasm.
        const NAMES: &str = concat!(
            "human_request emotion money_over_threshold account_security policy_exception vip_customer legal_compliance ",
            "low_confidence repeated_question failed_attempts technical_beyond_steps custom_request product_complaint ",
            "roadmap_request bug_report simple_faq password_reset order_status how_to",
        );
        crate::table::words(NAMES).nth(self as usize).unwrap_or("")
    }

    /// The priority a reason asks for on its own (the decision takes the highest; VIP adds one).
    pub fn priority(self) -> Priority {
        match self {
            ReasonCode::AccountSecurity => Priority::Critical,
            ReasonCode::LegalCompliance | ReasonCode::Emotion | ReasonCode::MoneyOverThreshold => Priority::High,
            ReasonCode::HumanRequest
            | ReasonCode::PolicyException
            | ReasonCode::VipCustomer
            | ReasonCode::LowConfidence
            | ReasonCode::RepeatedQuestion
            | ReasonCode::FailedAttempts => Priority::Medium,
            _ => Priority::Low,
        }
    }
}

impl Priority {
    fn bump(self) -> Priority {
        match self {
            Priority::Low => Priority::Medium,
            Priority::Medium => Priority::High,
            Priority::High | Priority::Critical => Priority::Critical,
        }
    }
}

/// The words of `text` as the rules compare them (lowercased, apostrophes and punctuation
/// dropped), separated by single spaces: "Yes, please!" is "yes please".
pub fn words_of(text: &str) -> String {
    let tokens = Tokens::new(text, &[]);
    let mut out = String::with_capacity(text.len());
    for i in 0..tokens.len() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(tokens.word(i));
    }
    out
}

/// Whether a customer message is only small talk ("hi", "thanks!"), as `decide` judges it.
pub fn is_small_talk(text: &str) -> bool {
    Tokens::new(text, &[]).small_talk()
}

/// Decide on one turn, and remember what later turns need (bounded).
pub fn decide(config: &PolicyConfig, state: &mut PolicyState, turn: &Turn, facts: &Facts) -> Decision {
    state.bound();
    match *turn {
        Turn::Bot { confidence, step, .. } => {
            let tokens = Tokens::default();
            // Whatever a bot makes of "hi", no issue went unanswered.
            let confidence = if state.small_talk { 1.0 } else { confidence };
            let ctx = Ctx {
                text: "",
                tokens: &tokens,
                config,
                tier: facts.tier,
                bot_confidence: Some(confidence),
                failures: state.failed_attempts,
                failure_evidence: None,
                repeats: 0,
            };
            let decision = combine(fire(&ctx), rules::vip_customer::is_vip(&ctx));
            state.step_pending = step.is_some();
            if step.is_some() {
                state.steps_tried = state.steps_tried.saturating_add(1);
            }
            decision
        }
        Turn::Customer { text } => {
            let tokens = Tokens::new(text, &config.filler_words);
            state.small_talk = tokens.small_talk();
            let mut ctx = Ctx {
                text,
                tokens: &tokens,
                config,
                tier: facts.tier,
                bot_confidence: None,
                failures: state.failed_attempts,
                failure_evidence: None,
                repeats: 0,
            };
            if state.step_pending {
                ctx.failure_evidence = rules::failed_attempts::failure(&ctx);
                ctx.failures = ctx.failures.saturating_add(u32::from(ctx.failure_evidence.is_some()));
            }
            let fingerprint = rules::repeated_question::fingerprint(&tokens);
            // Counted in a plain loop (at most `RECENT_QUESTIONS`): `filter().count()` is a
            // fold of its own in the wasm.
            for old in &state.recent_questions {
                if rules::repeated_question::similar(old, &fingerprint, config.similarity) {
                    ctx.repeats += 1;
                }
            }
            let decision = combine(fire(&ctx), rules::vip_customer::is_vip(&ctx));
            let failed = ctx.failure_evidence.is_some();
            let failures = ctx.failures;
            if failed {
                state.failed_attempts = failures;
                state.step_pending = false;
            }
            if !fingerprint.is_empty() {
                if state.recent_questions.len() >= RECENT_QUESTIONS {
                    state.recent_questions.remove(0);
                }
                state.recent_questions.push(fingerprint);
            }
            decision
        }
    }
}

/// Every rule that fires on this turn, with its class, in rule-list order.
///
/// Simple-topic wording that is part of the request for a human ("*can I get* a human", "*is
/// it possible to* talk to a person") is not a simple topic: it overlaps the request's
/// evidence, or runs straight into it. (`human_request` comes before every simple rule.)
fn fire(ctx: &Ctx) -> Vec<(Class, Reason)> {
    let mut fired = Vec::new();
    let mut request = None;
    for rule in RULES {
        let Some(evidence) = rule.detect(ctx) else { continue };
        // Evidence quoted from elsewhere (the tier) lands far outside the text, touching nothing.
        let start = ctx.offset(evidence);
        let end = start.wrapping_add(evidence.len());
        if rule.code == ReasonCode::HumanRequest {
            request = Some((start, end));
        }
        let part_of_request = rule.class == Class::Simple
            && request.is_some_and(|(rs, re)| {
                (start < re && rs < end) || ctx.text.get(end..rs).is_some_and(|gap| gap.trim().is_empty())
            });
        if !part_of_request {
            fired.push((rule.class, Reason { code: rule.code, evidence: evidence.to_owned() }));
        }
    }
    fired
}

/// Turn the fired reasons into one decision.
///
/// - any always-escalate reason (a request for a human counts, unless it is only about
///   something simple) -> `escalate`, with the consider reasons as context;
/// - a request for a human about a simple thing only -> `decline_with_choice`, giving the
///   human-request and the simple reasons;
/// - consider reasons only -> `offer`;
/// - otherwise `none`, listing any simple reasons (why the bot keeps it).
///
/// Type: emotion or account security -> emergency; else a human request -> customer
/// requested; else proactive. Priority: the highest of the reasons' own (`ReasonCode::
/// priority`), one level up for a VIP customer, on every turn (a bot turn's low confidence
/// too, though `vip_customer` only fires on the customer's).
fn combine(fired: Vec<(Class, Reason)>, vip: bool) -> Decision {
    let (mut human, mut always, mut simple, mut consider) = (false, false, false, false);
    for (class, reason) in &fired {
        let is_human = reason.code == ReasonCode::HumanRequest;
        human |= is_human;
        always |= *class == Class::Always && !is_human;
        simple |= *class == Class::Simple;
        consider |= *class == Class::Consider;
    }
    // A request for a human about a simple thing gets a choice; about anything more (a bug,
    // a technical problem) it is honoured.
    let action = if always || (human && (!simple || consider)) {
        Action::Escalate
    } else if human {
        Action::DeclineWithChoice
    } else if consider {
        Action::Offer
    } else {
        Action::None
    };
    let mut decision = Decision { action, ..Decision::none() };
    let (mut emergency, mut priority) = (false, Priority::Low);
    // Walked by reference, the kept reasons copied: consuming the list was its `IntoIter` and
    // that one's drop in the wasm, for a handful of reasons.
    for &(class, ref reason) in &fired {
        let keep = match action {
            Action::Escalate => class != Class::Simple,
            Action::DeclineWithChoice => class == Class::Simple || reason.code == ReasonCode::HumanRequest,
            Action::Offer => class == Class::Consider,
            Action::None => class == Class::Simple,
        };
        if keep {
            emergency |= matches!(reason.code, ReasonCode::Emotion | ReasonCode::AccountSecurity);
            priority = priority.max(reason.code.priority());
            decision.add(reason.clone());
        }
    }
    let kind = if action == Action::Escalate && emergency {
        EscalationType::Emergency
    } else if matches!(action, Action::Escalate | Action::DeclineWithChoice) && human {
        EscalationType::CustomerRequested
    } else {
        EscalationType::Proactive
    };
    if matches!(action, Action::None | Action::DeclineWithChoice) {
        priority = Priority::Low;
    } else if vip {
        priority = priority.bump();
    }
    Decision { kind, priority, ..decision }
}

#[cfg(test)]
mod tests;
