//! Emotional language: anger, frustration, upset; shouting (mostly uppercase words); a run
//! of exclamation marks ("!!!").
//!
//! The strongly negative words are a hand-pruned subset (valence <= -2 and plausible in a
//! support chat, domain words like "fraud" or "stolen" left to their own rules) of the
//! VADER sentiment lexicon, cjhutto/vaderSentiment, MIT licence, (c) C.J. Hutto, plus a few
//! milder words that mean frustration in this setting ("annoyed", "useless", "ridiculous").

use super::{Class, Ctx, Detect, Rule};
use crate::policy::text::in_sorted;
use crate::policy::ReasonCode;
use crate::table;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::Emotion, class: Class::Always, takes_phrases: true, detect: Detect::Custom(detect) };

/// Single words that carry the emotion on their own (sorted: binary search). Words too common
/// alone in support questions ("sick", "joke", "hell", "fed") only count in a phrase; polite
/// regret ("unfortunately", "sadly") is not anger.
const WORDS: &str = words![
    "absurd", "aggravated", "aggravating", "anger", "angered", "angrier", "angriest", "angry", "annoyed",
    "annoying", "appalled", "appalling", "atrocious", "awful", "bs", "bullshit", "clueless", "crap",
    "crappy", "dammit", "damn", "damnit", "despise", "devastated", "disappointed", "disappointing",
    "disappointment", "disgrace", "disgraceful", "disgust", "disgusted", "disgusting", "dislike",
    "disrespectful", "dissatisfied", "distraught", "dreadful", "dumb", "enraged", "exasperated",
    "exasperating", "ffs", "frustrate", "frustrated", "frustrates", "frustrating", "frustration", "fuck",
    "fucked", "fucking", "fuming", "furious", "fury", "garbage", "goddamn", "hate", "hated", "hating",
    "heartbroken", "hopeless", "horrendous", "horrible", "idiot", "idiotic", "idiots", "incompetence",
    "incompetent", "infuriated", "infuriates", "infuriating", "insulted", "insulting", "irate", "irritated",
    "irritating", "lame", "livid", "loathe", "lousy", "maddening", "meh", "miserable", "moron", "morons",
    "nightmare", "nonsense", "omfg", "outrage", "outraged", "outrageous", "pathetic", "pissed", "pointless",
    "rage", "raging", "ridiculous", "ripoff", "robbery", "rubbish", "rude", "sad", "scam",
    "scammed", "shame", "shameful", "shit", "shitty", "stressed", "stupid", "suck", "sucked", "sucks",
    "terrible", "unacceptable", "unhappy", "unhelpful", "unprofessional", "upset",
    "upsetting", "useless", "worst", "worthless", "wtf", "wth",
];

const POSITIVE: &str = lines![
    "fed up",
    // QA: having to come back again and again.
    "third|fourth|fifth|3rd|4th|5th|umpteenth|nth time",
    "asked|told|called|contacted|written|emailed|messaged|explained ~ you|this|that? ~ three|four|five|3|4|5|several|multiple|many|countless times",
    "sick|tired of",
    "is|this|what|such a joke",
    "what the hell|heck",
    "the worst",
    "worst service|experience|bank|company|app|support|customer",
    "so|very|really|too sad|mad",
    "shame on you",
    "makes|making me mad|sick|crazy|angry",
    "cant|cannot|couldnt|unable|wont ~ help|understand|solve|fix ~ me|anything|my",
    "cant|cannot|couldnt|unable|wont ~ help",
    "you|your|this|bot|its|chatbot ~ not|never ~ help|helping|helpful|useful",
    "not|never|nt ~ helpful|helping|useful|good|happy|satisfied|pleased|impressed|acceptable|okay|ok|fair",
    "no|zero|little help|use",
    "waste|wasting|wasted ~ of ~ time|my",
    "give|gave up",
    "had enough",
    "this|that|it|you sucks|suck|stinks",
    "are|r you ~ kidding|joking|serious|stupid|dumb|useless",
    "how many times do|must|have|should|did i",
    "i|ive already|repeatedly told|said|explained",
    "bad service|experience|support|bot|app|company",
    "service|experience|support|bot|chatbot|app|company|answer|answers|help|assistant ~ is|are|was|were ~ bad",
    "so|very|really|too bad",
    "not ~ happy|satisfied|pleased",
    "doesnt|dont|didnt|not|never ~ understand ~ me",
    "nobody|no one ~ helps|helping|cares|listens|answers",
    "ugh|argh|grr|omg",
    "oh no",
    "not|no ~ what|wat ~ i ~ asked|meant|wanted|said|need|needed|want",
    "wrong answer|answers|reply",
    "thats|that|this|its ~ wrong|nonsense|rubbish|useless|pointless|terrible|awful|horrible|bad",
    "that|this|it is|was ~ so|very|really? ~ wrong|useless|pointless|terrible|awful|horrible|bad",
    "you|u ~ suck|stink|are|re|r ~ stupid|dumb|useless|terrible|bad|awful|annoying|hopeless|incompetent|clueless",
    "stupid|dumb|useless|worthless|terrible|bad|awful|crappy|lame|pathetic bot|robot|machine|ai|chatbot|assistant|app|service|company",
    "shut up",
    "go away",
    "listen|listening ~ to ~ me",
    // (Review: multi-word alternatives such as "do not" split into items and matched nothing;
    // each phrase has its own line.)
    "you|u ~ dont|arent|not ~ understand|understanding|listening",
    "you|u ~ do|are not ~ understand|understanding|listening",
    "you|u ~ dont|not ~ get it",
    "you|u ~ do not ~ get it",
    "dont|doubt ~ think? ~ you|u ~ can|could ~ help",
    "isnt|wasnt|arent|not|never ~ helpful|helping|useful|good|satisfying",
    "not ~ satisfied|happy|pleased|impressed",
    "unsatisfied|dissatisfied|unhappy|disappointing",
    "cant ~ believe",
    "can not ~ believe",
    "taking|takes|took ~ forever|ages|so long",
    "dont ~ like ~ this|you|it|that",
    "do not ~ like ~ this|you|it|that",
    "dont|not ~ want|like ~ to? ~ talk|talking|speak|chat ~ to|with ~ you",
    "seriously|unbelievable|ridiculous|nonsense|rubbish|lame|meh",
    "too bad",
    "no way",
    "what a shame",
    "i|im|am|feel|feeling|so|very ~ sad|bad|awful|terrible|angry|mad|upset",
];

const NEGATIVE: &str = lines![
    "not|never|isnt|wasnt|arent|no|nt ~ angry|upset|frustrated|annoyed|mad|disappointed|unhappy|stressed",
    "not|no too bad",
    "not ~ bad|sad",
    "no worries|problem",
    "hate ~ to ~ bother|ask|say|interrupt|trouble|lose|see|think|miss|imagine|have",
];

/// Words that are a complaint as the gist of a short reply ("bad", "bad answer", "bad bot")
/// but describe a thing in a longer message ("is it bad to reset my password often?") or
/// after a linking verb ("my connection is bad"); the phrases above catch "that's bad", "so
/// bad", "bad service", "you are bad".
const SHORT_WORDS: &str = "bad";
/// The most words a message may have for a [`SHORT_WORDS`] word to count alone.
const SHORT_MAX_WORDS: usize = 4;
/// Before a [`SHORT_WORDS`] word, these make it a description of something.
const LINKING: &str = "is are was were be been being looks look seems seem feels gets got";

/// How many uppercase words (2+ letters) make a message shouting, and what share of words.
const SHOUT_MIN_WORDS: usize = 3;
const SHOUT_PERCENT: usize = 60;

fn detect<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    if !ctx.is_customer() {
        return None;
    }
    if let Some(evidence) = ctx.phrases(ReasonCode::Emotion, POSITIVE, NEGATIVE) {
        return Some(evidence);
    }
    if let Some(evidence) = strong_word(ctx) {
        return Some(evidence);
    }
    shouting(ctx).or_else(|| exclamations(ctx.text))
}

/// The first strongly negative word that is not negated ("not angry"), or a short reply's
/// [`SHORT_WORDS`] word.
fn strong_word<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    let short = ctx.tokens.len() <= SHORT_MAX_WORDS;
    let mut negated = None;
    for i in 0..ctx.tokens.len() {
        let word = ctx.tokens.word(i);
        let linked = || i > 0 && table::has(LINKING, ctx.tokens.word(i - 1));
        if in_sorted(WORDS, word) || (short && table::has(SHORT_WORDS, word) && !linked()) {
            let site = ctx.config.negative_phrases.get(ReasonCode::Emotion).unwrap_or_default();
            let spans = negated.get_or_insert_with(|| ctx.tokens.spans(NEGATIVE, site));
            if !spans.iter().any(|&(a, b)| a <= i && i < b) {
                return Some(ctx.tokens.span(ctx.text, i, i + 1));
            }
        }
    }
    None
}

/// Mostly uppercase words: the span from the first to the last shouted word.
fn shouting<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    let mut words = 0;
    let mut upper = Vec::new();
    for i in 0..ctx.tokens.len() {
        let raw = ctx.tokens.span(ctx.text, i, i + 1);
        // Its letters counted, and any lower case seen, in one pass (no iterator adapters).
        let (mut letters, mut lower) = (0, false);
        for c in raw.chars() {
            if c.is_ascii_alphabetic() {
                letters += 1;
                lower |= c.is_ascii_lowercase();
            }
        }
        if letters < 2 {
            continue;
        }
        words += 1;
        if !lower {
            upper.push(i);
        }
    }
    let (first, last) = (upper.first()?, upper.last()?);
    (upper.len() >= SHOUT_MIN_WORDS && upper.len() * 100 >= words * SHOUT_PERCENT)
        .then(|| super::super::text::clip(ctx.tokens.span(ctx.text, *first, last + 1), 80))
}

/// A run of three or more `!` (question marks may be mixed in: "?!!").
fn exclamations(text: &str) -> Option<&str> {
    let mut start = None;
    let mut bangs = 0;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match c {
            '!' | '?' | '！' => {
                start.get_or_insert(i);
                bangs += usize::from(c != '?');
            }
            _ => {
                if let (Some(s), true) = (start, bangs >= 3) {
                    return text.get(s..i);
                }
                start = None;
                bangs = 0;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::{RULE, WORDS};

    #[test]
    fn words_are_sorted() {
        assert!(WORDS.split(' ').is_sorted_by(|a, b| a < b));
    }

    #[test]
    fn emotion_and_calm() {
        assert_table(
            &RULE,
            &[
                ("I'm so frustrated with this", Some("frustrated")),
                ("this is ridiculous", Some("ridiculous")),
                ("WHY IS MY REFUND NOT HERE", Some("WHY IS MY REFUND NOT HERE")),
                ("where is my money!!!", Some("!!!")),
                ("you can't help me", Some("can't help me")),
                ("I'm fed up", Some("fed up")),
                ("that was not helpful", Some("not helpful")),
                ("what a waste of time", Some("waste of time")),
                // Calm, or negated.
                ("I'm not angry, just curious", None),
                ("How do I change my PIN?", None),
                ("My ATM card PIN is blocked", None),
                ("Thanks! Great!", None),
                ("I need a new card", None),
                // Regression (review of issue 3): polite or mild words read as anger.
                ("Unfortunately I can't make the delivery window, can I change it?", None),
                ("sadly the colour doesn't match, how do I return it?", None),
                ("I'd hate to bother you but how do I export?", None),
                ("I hate this app", Some("hate")),
                ("I'd hate to lose my data", None),
                // "Bad" is a complaint as a short reply, not as a description in a question.
                ("bad", Some("bad")),
                ("Bad answer.", Some("Bad")),
                ("that's bad", Some("that's bad")),
                ("not bad", None),
                ("bad bot", Some("bad bot")),
                ("not bad, bad answer", Some("bad")),
                ("my connection is bad", None),
                ("wifi is bad", None),
                ("that was bad", Some("that was bad")),
                ("your support is bad", Some("support is bad")),
                ("my internet connection is bad", None),
                ("is it bad to reset my password often?", None),
                ("the signal here is really bad", Some("really bad")),
                // QA.
                ("this is the third time I'm contacting you about this", Some("third time")),
                ("I have asked three times already!!", Some("asked three times")),
                ("you don't understand what I'm saying", Some("you don't understand")),
                ("you just don't get it", Some("you just don't get it")),
                ("I can't believe this", Some("can't believe")),
                ("I don't like this at all", Some("don't like this")),
            ],
        );
    }
}
