//! What the handoff package reads out of the conversation's words: error codes and messages,
//! the troubleshooting steps and whether the customer said they worked, the customer's mood,
//! and the card or order involved. Word lists and small scanners, no regex: this ships in the
//! wasm. The texts are already redacted.

use super::package::{Attempt, ErrorMention, Sentiment};
use crate::conversation::{Message, Role};

/// At most this many error mentions go into the package.
pub const MAX_ERRORS: usize = 10;
/// An error's sentence is cut to this many characters.
const MAX_SENTENCE: usize = 200;

/// Words after which the next token with a digit is an error code ("error 502", "HTTP 404",
/// "Error: E1234", "code 0x80070005", "status 500").
const CODE_WORDS: &[&str] = &["error", "err", "errno", "code", "http", "status", "exception"];
/// Phrases followed by a quoted error message: failed with 'Payment declined'.
const QUOTE_LEADS: &[&str] = &["failed with ", "error: ", "error message ", "says ", "said ", "saying "];

/// The customer says the step did not help. Checked before `WORKED` ("didn't work" ⊃ "work").
const FAILED: &[&str] = &[
    "didn't", "didnt", "did not", "doesn't", "doesnt", "does not", "not work", "still", "no luck",
    "same error", "same problem", "same issue", "nothing changed", "no change", "nope", "not fixed", "won't",
    "failed", "no difference", "not help",
];
const WORKED: &[&str] = &["worked", "it works", "works now", "working now", "fixed", "solved", "resolved", "that did it", "all good"];
/// Clearly negative and clearly positive words (matched at word starts, so "frustrat" covers
/// "frustrated" and "frustrating" but "hate" does not match "whatever").
const NEGATIVE: &[&str] = &[
    "angry", "furious", "frustrat", "upset", "ridiculous", "unacceptable", "terrible", "awful", "horrible", "worst",
    "useless", "hate", "annoy", "disappoint", "scam", "fed up", "wtf", "pathetic", "outrageous", "livid",
];
const POSITIVE: &[&str] = &["thank", "great", "perfect", "awesome", "appreciate", "excellent", "wonderful", "love", "brilliant"];

/// ASCII-lowercased (the word lists are ASCII; full Unicode case tables would cost wasm bytes),
/// with typographic apostrophes made plain.
fn fold(text: &str) -> String {
    text.to_ascii_lowercase().replace('\u{2019}', "'")
}

/// Whether `needle` occurs in `hay` at the start of a word.
pub fn has_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle)
        .any(|(i, _)| !hay[..i].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric()))
}

fn any_word(hay: &str, list: &[&str]) -> bool {
    list.iter().any(|w| has_word(hay, w))
}

/// Error codes and messages in customer and AI messages, deduplicated, at most `MAX_ERRORS`.
pub fn errors(messages: &[Message]) -> Vec<ErrorMention> {
    let mut found: Vec<ErrorMention> = Vec::new();
    let texts = messages.iter().filter(|m| matches!(m.role, Role::Customer | Role::Ai)).map(|m| m.text.as_str());
    for sentence in texts.flat_map(sentences) {
        let mut add = |code: Option<&str>, message: &str| {
            let dup = found.iter().any(|e| match (code, &e.code) {
                (Some(c), Some(old)) => c.eq_ignore_ascii_case(old),
                (None, None) => e.message == message,
                _ => false,
            });
            if !dup && found.len() < MAX_ERRORS {
                found.push(ErrorMention { code: code.map(String::from), message: String::from(message) });
            }
        };
        let clipped = clip(sentence, MAX_SENTENCE);
        for code in codes(sentence) {
            add(Some(code), clipped);
        }
        if let Some(quoted) = quoted_error(sentence) {
            add(None, quoted);
        }
    }
    found
}

/// Sentences of a message: split after `.`, `!` or `?` followed by a space, and at line ends.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || loop {
        if rest.is_empty() {
            return None;
        }
        let mut chars = rest.char_indices().peekable();
        let mut end = rest.len();
        while let Some((i, c)) = chars.next() {
            let next_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
            if c == '\n' || (matches!(c, '.' | '!' | '?') && next_space) {
                end = i + c.len_utf8();
                break;
            }
        }
        let (head, tail) = rest.split_at(end);
        rest = tail;
        let head = head.trim();
        if !head.is_empty() {
            return Some(head);
        }
    })
}

/// The error codes in one sentence.
fn codes(sentence: &str) -> Vec<&str> {
    let tokens: Vec<&str> = sentence
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .map(|t| t.trim_matches('-'))
        .filter(|t| !t.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut after_word = false;
    for (i, t) in tokens.iter().enumerate() {
        let digits = t.chars().filter(char::is_ascii_digit).count();
        let hex = t.len() >= 6
            && (t.starts_with("0x") || t.starts_with("0X"))
            && t.get(2..).is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
        // ERR_SSL_PROTOCOL_ERROR, NET_ERR_CERT_DATE_INVALID: an upper-case identifier with `_`.
        let constant = t.len() >= 5
            && t.contains('_')
            && t.chars().any(|c| c.is_ascii_uppercase())
            && t.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        // "502", "E1234": after a code word, or a number right before "error" ("a 404 error").
        let numberish = t.len() <= 32 && (if digits == t.len() { (3..=6).contains(&digits) } else { digits > 0 });
        let before_word = tokens.get(i + 1).is_some_and(|n| n.eq_ignore_ascii_case("error"));
        if hex || constant || (numberish && (after_word || (before_word && digits == t.len()))) {
            out.push(*t);
        }
        after_word = CODE_WORDS.iter().any(|w| t.eq_ignore_ascii_case(w)) || (after_word && !numberish && t.len() <= 2);
    }
    out
}

/// A quoted message after "failed with", "error:", "says": `failed with 'Payment declined'`.
fn quoted_error(sentence: &str) -> Option<&str> {
    let lower = sentence.to_ascii_lowercase(); // same byte offsets as `sentence`
    QUOTE_LEADS.iter().find_map(|lead| {
        let start = lower.find(lead)? + lead.len();
        let rest = sentence.get(start..)?;
        let open = rest.chars().next()?;
        let close = match open {
            '\'' | '"' | '`' => open,
            '\u{201c}' => '\u{201d}',
            '\u{2018}' => '\u{2019}',
            _ => return None,
        };
        let body = rest.get(open.len_utf8()..)?;
        let quoted = body.get(..body.find(close)?)?.trim();
        (!quoted.is_empty() && quoted.chars().count() <= 120).then_some(quoted)
    })
}

/// Each distinct step the AI tried, in order, with what the next customer message said about
/// it; a step tried twice takes the latest feedback.
pub fn attempts(messages: &[Message]) -> Vec<Attempt> {
    let mut out: Vec<Attempt> = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        let Some(step) = step_of(m) else { continue };
        // The customer's next message, unless the AI moved on to another step first.
        let reply = messages.get(i + 1..).unwrap_or(&[]).iter().take_while(|n| step_of(n).is_none()).find(|n| n.role == Role::Customer);
        let worked = reply.and_then(|r| feedback(&r.text));
        match out.iter_mut().find(|a| a.step == step) {
            Some(a) => a.worked = worked.or(a.worked),
            None => out.push(Attempt { step: String::from(step), worked }),
        }
    }
    out
}

/// The troubleshooting step an AI message tried.
fn step_of(m: &Message) -> Option<&str> {
    let step = m.bot.as_ref()?.step.as_deref()?.trim();
    (m.role == Role::Ai && !step.is_empty()).then_some(step)
}

/// Whether a customer's reply says the last step worked.
pub fn feedback(text: &str) -> Option<bool> {
    let t = fold(text);
    if any_word(&t, FAILED) {
        Some(false)
    } else if any_word(&t, WORKED) {
        Some(true)
    } else {
        None
    }
}

/// The customer's mood over their messages: negative if any clearly negative word (or the
/// policy saw emotion), positive only with two or more clearly positive words and no negative.
pub fn sentiment(messages: &[Message], emotion: bool) -> Sentiment {
    let text = fold(&messages.iter().filter(|m| m.role == Role::Customer).map(|m| m.text.as_str()).collect::<Vec<_>>().join("\n"));
    if emotion || any_word(&text, NEGATIVE) {
        Sentiment::Negative
    } else if POSITIVE.iter().filter(|w| has_word(&text, w)).count() >= 2 {
        Sentiment::Positive
    } else {
        Sentiment::Neutral
    }
}

/// The first masked card ("**** 1111") in the conversation.
pub fn card(messages: &[Message]) -> Option<&str> {
    messages.iter().find_map(|m| {
        m.text.match_indices("**** ").find_map(|(i, _)| {
            let digits = m.text.get(i + 5..i + 9)?;
            digits.bytes().all(|b| b.is_ascii_digit()).then(|| m.text.get(i..i + 9)).flatten()
        })
    })
}

/// The first order number: "#12345", "order 12345", "order #12345", "order no. 12345".
pub fn order(messages: &[Message]) -> Option<String> {
    for m in messages.iter().filter(|m| m.role == Role::Customer) {
        let mut since_order = usize::MAX; // words since the word "order"
        for w in m.text.split_whitespace() {
            let w = w.trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\''));
            let num = w.strip_prefix('#').unwrap_or(w);
            let is_num = (4..=20).contains(&num.len())
                && num.starts_with(|c: char| c.is_ascii_digit())
                && num.bytes().all(|b| b.is_ascii_digit() || b == b'-');
            if is_num && (w.starts_with('#') || since_order < 2) {
                return Some(format!("#{num}"));
            }
            let is_order = w.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("order"));
            since_order = if is_order { 0 } else { since_order.saturating_add(1) };
        }
    }
    None
}

/// At most `max` characters of `s`, cut at a character boundary.
pub fn clip(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes_of(text: &str) -> Vec<String> {
        sentences(text).flat_map(codes).map(String::from).collect()
    }

    #[test]
    fn error_codes_in_the_ways_people_write_them() {
        let cases: &[(&str, &[&str])] = &[
            ("I get error 502 when I pay", &["502"]),
            ("It says Error: E1234.", &["E1234"]),
            ("Chrome shows code ERR_SSL_PROTOCOL_ERROR", &["ERR_SSL_PROTOCOL_ERROR"]),
            ("NET::ERR_CERT_DATE_INVALID on the login page", &["ERR_CERT_DATE_INVALID"]),
            ("Windows update fails with 0x80070005 again", &["0x80070005"]),
            ("HTTP 404 on the invoice link", &["404"]),
            ("a 500 error, then status 503", &["500", "503"]),
            ("error code 42 happened", &[]),
            ("I waited 2 hours and paid 300 dollars", &[]),
            ("error on line 3", &[]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(codes_of(text), *want, "{text}");
        }
    }

    #[test]
    fn quoted_messages_and_sentences() {
        assert_eq!(quoted_error("The payment failed with 'Payment declined' twice"), Some("Payment declined"));
        assert_eq!(quoted_error("It says \u{201c}Session expired\u{201d}"), Some("Session expired"));
        assert_eq!(quoted_error("It says hello"), None);
        assert_eq!(quoted_error("failed with 'unterminated"), None);
        let s: Vec<&str> = sentences("First one. Version 1.2 is out!\nNext line?  ").collect();
        assert_eq!(s, ["First one.", "Version 1.2 is out!", "Next line?"]);
    }

    #[test]
    fn feedback_on_a_step() {
        for no in ["That didn't work", "still the same error", "Nope.", "no luck", "it doesn\u{2019}t help", "Same error again"] {
            assert_eq!(feedback(no), Some(false), "{no}");
        }
        for yes in ["That worked, thanks!", "ok it's fixed", "thanks, it works"] {
            assert_eq!(feedback(yes), Some(true), "{yes}");
        }
        assert_eq!(feedback("What do you mean by cache?"), None);
    }

    #[test]
    fn words_match_at_word_starts() {
        assert!(has_word("i am frustrated", "frustrat"));
        assert!(!has_word("whatever you say", "hate"));
        assert!(has_word("é hate", "hate"));
        assert_eq!(clip("héllo", 2), "hé");
        assert_eq!(clip("hi", 5), "hi");
    }
}
