//! The same question asked again and again: each customer message becomes a fingerprint (a
//! small sorted set of hashed content words); `decide` keeps the last few in the state and
//! counts near-duplicates (token-set Jaccard >= `similarity`). This rule fires when the
//! message plus its repeats reach `repeatThreshold` (default 3).

use super::{Class, Ctx, Detect, Rule};
use crate::policy::text::{clip, in_sorted, Tokens};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::RepeatedQuestion, class: Class::Always, takes_phrases: false, detect: Detect::Custom(detect) };

/// Content words kept per fingerprint: bounds the state and the cost of a comparison.
pub(crate) const MAX_WORDS: usize = 24;
/// A message with fewer content words than this ("ok", "yes please") is not a question.
const MIN_WORDS: usize = 1;

/// Words that carry no topic (question words, contractions as tokenised: "where's" is
/// "wheres", acknowledgements). Sorted: looked up by binary search.
const STOP: &str = words![
    "a", "about", "again", "ah", "all", "alright", "alrighty", "also", "am", "an", "and", "any", "are",
    "as", "at", "awesome", "be", "been", "being", "but", "by", "bye", "can", "cant", "cheers", "cool",
    "could", "did", "didnt", "do", "does", "doing", "dont", "excellent", "fine", "for", "from", "get",
    "good", "got", "gotcha", "great", "had", "has", "have", "having", "hello", "heres", "hey", "hi",
    "hmm", "how", "hows", "i", "id", "if", "ill", "im", "in", "into", "is", "isnt", "it", "its", "ive",
    "just", "lets", "may", "me", "might", "mine", "must", "my", "nah", "nice", "no", "nope", "not",
    "noted", "now", "of", "oh", "ok", "okay", "okey", "on", "or", "our", "perfect", "please", "pls",
    "really", "right", "shall", "should", "so", "some", "sorry", "still", "sure", "thank", "thanks",
    "that", "thats", "the", "then", "there", "theres", "these", "this", "those", "to", "too",
    "understood", "us", "very", "was", "we", "well", "were", "what", "whats", "when", "whens", "where",
    "wheres", "which", "who", "whom", "whos", "whose", "why", "whys", "will", "with", "wont", "would",
    "yeah", "yep", "yes", "you", "your", "youre", "yours", "yup",
];

/// FNV-1a over the word with a plural `s` dropped, so "cards" and "card" agree.
fn hash(word: &str) -> u32 {
    let word = match word.strip_suffix('s') {
        Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem,
        _ => word,
    };
    word.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// The fingerprint of a message; empty when it is too short to be a question.
pub(crate) fn fingerprint(tokens: &Tokens) -> Vec<u32> {
    // The first 2 * MAX_WORDS content words, kept sorted and distinct as they come (an
    // insertion into at most 48 numbers: no sort routine in the wasm for this).
    let mut set: Vec<u32> = Vec::new();
    let mut taken = 0;
    for i in 0..tokens.len() {
        if taken == MAX_WORDS * 2 {
            break;
        }
        let word = tokens.word(i);
        if in_sorted(STOP, word) {
            continue;
        }
        taken += 1;
        let h = hash(word);
        let at = set.iter().position(|&x| x >= h).unwrap_or(set.len());
        if set.get(at) != Some(&h) {
            set.insert(at, h);
        }
    }
    set.truncate(MAX_WORDS);
    if set.len() < MIN_WORDS {
        set.clear();
    }
    set
}

/// Token-set Jaccard similarity of two sorted fingerprints, compared without floats' help.
pub(crate) fn similar(a: &[u32], b: &[u32], similarity: f64) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    union > 0 && common as f64 >= similarity * union as f64
}

fn detect<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    let asked = ctx.repeats.saturating_add(1);
    (ctx.is_customer() && asked >= ctx.config.repeat_threshold).then(|| clip(ctx.text.trim(), 120))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> bool {
        similar(&fingerprint(&Tokens::new(a, &[])), &fingerprint(&Tokens::new(b, &[])), 0.6)
    }

    #[test]
    fn near_duplicates() {
        let table: &[(&str, &str, bool)] = &[
            ("Where is my refund?", "where is my refund??", true),
            ("when will my refund arrive", "my refund, when will it arrive", true),
            ("How do I change my card PIN", "how can I change the PIN on my card?", true),
            ("where is my refund", "how do I change my PIN", false),
            ("ok", "ok", false),
            ("yes please", "yes please", false),
            ("great, thanks", "great thanks!", false),
            // Regression (review of issue 3): contractions and acknowledgements.
            ("Where is my refund?", "Where's my refund?", true),
            ("perfect", "Perfect, thanks!", false),
        ];
        for (a, b, want) in table {
            assert_eq!(sim(a, b), *want, "{a:?} ~ {b:?}");
        }
    }

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP.split(' ').is_sorted_by(|a, b| a < b));
    }

    #[test]
    fn fingerprints_are_bounded() {
        let long = (0..500).map(|i| format!("word{i}")).collect::<Vec<_>>().join(" ");
        assert_eq!(fingerprint(&Tokens::new(&long, &[])).len(), MAX_WORDS);
    }
}
