//! What the handoff package reads out of the conversation's words: error codes and messages,
//! the troubleshooting steps and whether the customer said they worked, the customer's mood,
//! and the card or order involved. Word lists and small scanners, no regex: this ships in the
//! wasm. The texts are already redacted.
//!
//! Written for size: plain loops over bytes (iterator chains and the standard library's
//! two-way substring search cost kilobytes of wasm), word lists as one `|`-separated string
//! read with `table::split` (the crate's one splitter).
//! Every list word is ASCII, so a byte match is always at a character boundary.

use super::package::{Attempt, ErrorMention, Sentiment};
use crate::conversation::{Message, Role};

/// At most this many error mentions go into the package.
pub const MAX_ERRORS: usize = 10;
/// An error's sentence is cut to this many characters.
const MAX_SENTENCE: usize = 200;

/// Words after which the next token with a digit is an error code ("error 502", "HTTP 404",
/// "Error: E1234", "code 0x80070005", "status 500").
/// Space-separated, for `table::has`.
const CODE_WORDS: &str = "error err errno code http status exception";
/// Phrases followed by a quoted error message: failed with 'Payment declined'.
const QUOTE_LEADS: &str = "failed with |error: |error message |says |said |saying ";

/// The customer says the step did not help. Checked before `WORKED` ("didn't work" ⊃ "work").
const FAILED: &str = "didn't|didnt|did not|doesn't|doesnt|does not|not work|still|no luck|same error|same problem|\
same issue|nothing changed|no change|nope|not fixed|won't|failed|no difference|not help";
const WORKED: &str = "worked|it works|works now|working now|fixed|solved|resolved|that did it|all good";
/// Clearly negative and clearly positive words (matched at word starts, so "frustrat" covers
/// "frustrated" and "frustrating" but "hate" does not match "whatever").
const NEGATIVE: &str = "angry|furious|frustrat|upset|ridiculous|unacceptable|terrible|awful|horrible|worst|\
useless|hate|annoy|disappoint|scam|fed up|wtf|pathetic|outrageous|livid";
const POSITIVE: &str = "thank|great|perfect|awesome|appreciate|excellent|wonderful|love|brilliant";

pub use crate::table::find;

/// The text after the first `token`.
pub fn after<'a>(s: &'a str, token: &str) -> Option<&'a str> {
    Some(&s[find(s, token, 0, false)? + token.len()..])
}

/// ASCII-lowercased (the word lists are ASCII; full Unicode case tables would cost wasm bytes),
/// with typographic apostrophes made plain, appended to `out`.
fn fold_into(out: &mut String, text: &str) {
    for c in text.chars() {
        out.push(if c == '\u{2019}' { '\'' } else { c.to_ascii_lowercase() });
    }
}

/// Whether `needle` occurs in `hay` at the start of a word.
pub fn has_word(hay: &str, needle: &str) -> bool {
    let mut i = 0;
    while let Some(at) = find(hay, needle, i, false) {
        // A byte of a multi-byte character is never ASCII alphanumeric, as the character isn't.
        if at == 0 || !hay.as_bytes()[at - 1].is_ascii_alphanumeric() {
            return true;
        }
        i = at + 1;
    }
    false
}

/// How many words of the `|`-separated `list` occur in `hay` at word starts (`stop` at one).
fn count_words(hay: &str, list: &'static str, stop: bool) -> usize {
    let mut n = 0;
    for w in crate::table::split(list, "|") {
        n += usize::from(has_word(hay, w));
        if stop && n > 0 {
            break;
        }
    }
    n
}

/// Error codes and messages in customer and AI messages, deduplicated, at most `MAX_ERRORS`.
pub fn errors(messages: &[Message]) -> Vec<ErrorMention> {
    let mut found: Vec<ErrorMention> = Vec::new();
    for m in messages {
        if !matches!(m.role, Role::Customer | Role::Ai) {
            continue;
        }
        for &sentence in &sentences(&m.text) {
            let clipped = clip(sentence, MAX_SENTENCE);
            for &code in &codes(sentence) {
                add_error(&mut found, Some(code), clipped);
            }
            if let Some(quoted) = quoted_error(sentence) {
                add_error(&mut found, None, quoted);
            }
        }
    }
    found
}

/// Adds a mention unless the same code (or, without one, the same message) is already there.
fn add_error(found: &mut Vec<ErrorMention>, code: Option<&str>, message: &str) {
    for e in found.iter() {
        let dup = match (code, &e.code) {
            (Some(c), Some(old)) => c.eq_ignore_ascii_case(old),
            (None, None) => e.message == message,
            _ => false,
        };
        if dup {
            return;
        }
    }
    if found.len() < MAX_ERRORS {
        found.push(ErrorMention { code: code.map(String::from), message: String::from(message) });
    }
}

/// Sentences of a message: split after `.`, `!` or `?` followed by a space, and at line ends.
fn sentences(text: &str) -> Vec<&str> {
    let (b, mut out, mut start, mut i) = (text.as_bytes(), Vec::new(), 0, 0);
    while i <= b.len() {
        // `i + 1` is a character boundary: the byte at `i` is ASCII.
        if i == b.len()
            || b[i] == b'\n'
            || (matches!(b[i], b'.' | b'!' | b'?') && text[i + 1..].chars().next().is_none_or(char::is_whitespace))
        {
            let s = text[start..(i + 1).min(b.len())].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + 1;
        }
        i += 1;
    }
    out
}

/// The error codes in one sentence.
fn codes(sentence: &str) -> Vec<&str> {
    // Tokens: runs of ASCII letters, digits, `_` and `-`, with `-` trimmed from both ends.
    let mut tokens: Vec<&str> = Vec::new();
    let (s, mut start, mut i) = (sentence.as_bytes(), 0, 0);
    while i <= s.len() {
        if i == s.len() || !(s[i].is_ascii_alphanumeric() || s[i] == b'_' || s[i] == b'-') {
            let (mut a, mut z) = (start, i);
            while a < z && s[a] == b'-' {
                a += 1;
            }
            while z > a && s[z - 1] == b'-' {
                z -= 1;
            }
            // Only a non-empty run is sliced: `start` may sit inside a multi-byte separator.
            if z > a {
                tokens.push(&sentence[a..z]);
            }
            start = i + 1;
        }
        i += 1;
    }
    let mut out = Vec::new();
    let mut after_word = false;
    for (i, t) in tokens.iter().enumerate() {
        let b = t.as_bytes();
        let (mut digits, mut upper, mut lower, mut other, mut under, mut nonhex) = (0, 0, 0, 0, 0, 0);
        let mut k = 0;
        while k < b.len() {
            let c = b[k];
            match c {
                b'0'..=b'9' => digits += 1,
                b'A'..=b'Z' => upper += 1,
                b'a'..=b'z' => lower += 1,
                b'_' => under += 1,
                _ => other += 1,
            }
            if k >= 2 && !c.is_ascii_hexdigit() {
                nonhex += 1;
            }
            k += 1;
        }
        let len = b.len();
        let hex = len >= 6 && b[0] == b'0' && (b[1] | 0x20) == b'x' && nonhex == 0;
        // ERR_SSL_PROTOCOL_ERROR, NET_ERR_CERT_DATE_INVALID: an upper-case identifier with `_`.
        let constant = len >= 5 && under > 0 && upper > 0 && lower == 0 && other == 0;
        // "502", "E1234": after a code word, or a number right before "error" ("a 404 error").
        let numberish = len <= 32 && (if digits == len { (3..=6).contains(&digits) } else { digits > 0 });
        let before_word = tokens.get(i + 1).is_some_and(|n| n.eq_ignore_ascii_case("error"));
        if hex || constant || (numberish && (after_word || (before_word && digits == len))) {
            out.push(*t);
        }
        after_word = crate::table::has(CODE_WORDS, t) || (after_word && !numberish && len <= 2);
    }
    out
}

/// A quoted message after "failed with", "error:", "says": `failed with 'Payment declined'`.
fn quoted_error(sentence: &str) -> Option<&str> {
    for lead in crate::table::split(QUOTE_LEADS, "|") {
        if let Some(found) = quoted_after(sentence, lead) {
            return Some(found);
        }
    }
    None
}

/// The quoted text right after the first `lead` (ASCII, any case) in `sentence`.
fn quoted_after<'a>(sentence: &'a str, lead: &str) -> Option<&'a str> {
    let rest = &sentence[find(sentence, lead, 0, true)? + lead.len()..];
    let open = rest.chars().next()?;
    let close = match open {
        '\'' | '"' | '`' => open,
        '\u{201c}' => '\u{201d}',
        '\u{2018}' => '\u{2019}',
        _ => return None,
    };
    let body = &rest[open.len_utf8()..];
    let quoted = body[..find(body, close.encode_utf8(&mut [0; 4]), 0, false)?].trim();
    (!quoted.is_empty() && clip(quoted, 120).len() == quoted.len()).then_some(quoted)
}

/// Each distinct step the AI tried, in order, with what the next customer message said about
/// it; a step tried twice takes the latest feedback.
pub fn attempts(messages: &[Message]) -> Vec<Attempt> {
    let mut out: Vec<Attempt> = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        let Some(step) = step_of(m) else { continue };
        // The customer's next message, unless the AI moved on to another step first.
        let mut worked = None;
        for n in &messages[i + 1..] {
            if step_of(n).is_some() {
                break;
            }
            if n.role == Role::Customer {
                worked = feedback(&n.text);
                break;
            }
        }
        // By index, not `iter_mut().find()` (a `try_fold` of its own in the wasm).
        let mut k = 0;
        while k < out.len() && out[k].step != step {
            k += 1;
        }
        match out.get_mut(k) {
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
    let mut t = String::new();
    fold_into(&mut t, text);
    if count_words(&t, FAILED, true) > 0 {
        Some(false)
    } else if count_words(&t, WORKED, true) > 0 {
        Some(true)
    } else {
        None
    }
}

/// The customer's mood over their messages: negative if any clearly negative word (or the
/// policy saw emotion), positive only with two or more clearly positive words and no negative.
pub fn sentiment(messages: &[Message], emotion: bool) -> Sentiment {
    let mut text = String::new();
    for m in messages {
        if m.role == Role::Customer {
            if !text.is_empty() {
                text.push('\n');
            }
            fold_into(&mut text, &m.text);
        }
    }
    if emotion || count_words(&text, NEGATIVE, true) > 0 {
        Sentiment::Negative
    } else if count_words(&text, POSITIVE, false) >= 2 {
        Sentiment::Positive
    } else {
        Sentiment::Neutral
    }
}

/// The first masked card ("**** 1111") in the conversation.
pub fn card(messages: &[Message]) -> Option<&str> {
    for m in messages {
        let (t, mut from) = (&m.text, 0);
        while let Some(i) = find(t, "**** ", from, false) {
            if t.as_bytes().get(i + 5..i + 9).is_some_and(|d| d.iter().all(u8::is_ascii_digit)) {
                return Some(&t[i..i + 9]);
            }
            from = i + 1;
        }
    }
    None
}

/// The first order number: "#12345", "order 12345", "order #12345", "order no. 12345".
pub fn order(messages: &[Message]) -> Option<String> {
    for m in messages {
        if m.role != Role::Customer {
            continue;
        }
        let mut since_order = usize::MAX; // words since the word "order"
        for w in crate::table::split_whitespace(&m.text) {
            // Trim ASCII punctuation (a character boundary on both sides), then one `#`.
            let (b, mut a, mut z) = (w.as_bytes(), 0, w.len());
            let punct = |c: u8| crate::table::has_byte(b"().,;:!?\"'", c);
            while a < z && punct(b[a]) {
                a += 1;
            }
            while z > a && punct(b[z - 1]) {
                z -= 1;
            }
            let hash = a < z && b[a] == b'#';
            let num = &b[a + usize::from(hash)..z];
            let is_num = (4..=20).contains(&num.len()) && num[0].is_ascii_digit() && num.iter().all(|&c| c.is_ascii_digit() || c == b'-');
            if is_num && (hash || since_order < 2) {
                let mut out = String::from("#");
                out.push_str(&w[z - num.len()..z]);
                return Some(out);
            }
            let is_order = z - a >= 5 && b[a..a + 5].eq_ignore_ascii_case(b"order");
            since_order = if is_order { 0 } else { since_order.saturating_add(1) };
        }
    }
    None
}

/// At most `max` characters of `s`, cut at a character boundary.
pub fn clip(s: &str, max: usize) -> &str {
    let (b, mut n, mut i) = (s.as_bytes(), 0, 0);
    while i < b.len() {
        // Each character starts with a byte that is not a continuation byte (0b10xx_xxxx).
        if b[i] & 0xC0 != 0x80 {
            if n == max {
                return &s[..i];
            }
            n += 1;
        }
        i += 1;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes_of(text: &str) -> Vec<String> {
        sentences(text).into_iter().flat_map(codes).map(String::from).collect()
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
        let s: Vec<&str> = sentences("First one. Version 1.2 is out!\nNext line?  ");
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
