//! Tokenising customer text and matching the policy's tiny phrase patterns against it.
//!
//! No regex crate: the widget ships to every visitor, so matching is hand-written and
//! linear in the message. Tokens keep byte offsets into the original text so evidence is
//! always a slice of what the customer wrote, cut on char boundaries.
//!
//! Pattern language (also used by the site's extra phrases in the configuration):
//! items separated by spaces, each matching one token, except the gaps.
//! - `word` matches the token exactly (lowercase, apostrophes and accents dropped: "didn't"
//!   is `didnt`, "pásame" `pasame`); `no` does not match a "No" set off by punctuation ("No,
//!   quiero un agente" answers the bot, it negates nothing);
//! - `word*` matches any token starting with `word`;
//! - `a|b|c` matches any of the alternatives (each may end with `*`);
//! - `@name` among the alternatives stands for a shared list (`rules::LISTS`: `@person`,
//!   `@strong`, `@machine`, `@payment`, `@account`, `@es` for a person in Spanish), stored
//!   once however many patterns use it;
//! - `item?` (one word or alternatives, then `?`) may also be left out;
//! - `_` skips zero to two tokens of any kind;
//! - `$` matches only at the end of the message (after its last word);
//! - `~` skips zero to three filler tokens ("a", "the", "to", "real", "live", ...), and the
//!   site's own `fillerWords`.

use crate::table::{split_whitespace, Words};

/// One word of the customer's text: byte range in the original, and in the normalised buffer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    norm_start: usize,
    norm_end: usize,
    /// Punctuation follows at once ("No," "no."): see `match_here` on `no`.
    set_off: bool,
}

/// The words of one message, lowercased with apostrophes and accents dropped, in one buffer.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    norm: String,
    toks: Vec<Tok>,
    /// Which two-letter word beginnings occur (a 1024-bit filter): most patterns are ruled
    /// out by one bit test per alternative of their first item, before looking at any word.
    heads: [u64; 16],
    /// Which tokens are filler words (`~` may skip them).
    filler: Vec<bool>,
}

fn head_bit(word: &[u8]) -> Option<usize> {
    match word {
        [a, b, ..] => Some((usize::from(*a) * 31 + usize::from(*b)) % 1024),
        _ => None,
    }
}

/// Longest gap `_` may skip.
const GAP: usize = 2;
/// Longest run of filler words `~` may skip.
const FILLER_GAP: usize = 3;
/// Words `~` may skip: articles, prepositions and the adjectives people put before "person".
/// Sorted: looked up by binary search (a unit test checks the order).
const FILLER: &str = words![
    "a", "actual", "am", "an", "another", "any", "be", "been", "being", "billing", "bloody", "chat", "customer",
    "damn", "for", "freaking", "from", "fucking", "genuine", "goddamn", "has", "have", "human", "i", "im", "in",
    "is", "it", "just", "live", "me", "my",
    "now", "of", "one", "please", "proper", "real", "really", "sales", "service", "so", "some", "someone",
    "speak", "support", "talk", "tech", "technical", "that", "the", "this", "to", "us", "very", "was",
    "with", "your",
];

/// Greetings, thanks and goodbyes (English and Spanish): a message of only these is small
/// talk, not an issue. Sorted, like `FILLER`.
const SMALL_TALK: &str = words![
    "adios", "afternoon", "all", "are", "buenas", "buenos", "bye", "cheers", "cool", "day", "dias", "evening",
    "everyone", "good", "goodbye", "gracias", "great", "hello", "hey", "hi", "hiya", "hola", "how", "howdy",
    "morning", "noches", "ok", "okay", "tardes", "thank", "thanks", "there", "thx", "ty", "yo", "you",
];

/// A letter or digit, by arithmetic rather than the Unicode tables (tens of KB in the wasm):
/// ASCII exactly; outside ASCII, the punctuation, symbol and currency blocks are not word
/// characters and everything else (letters of every script) is.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !matches!(c as u32,
        0x80..=0xBF | 0xD7 | 0xF7 | 0x2000..=0x2BFF | 0x3000..=0x303F | 0xFE30..=0xFE6F
        | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 | 0x1F000..=0x1FAFF)
}

/// Lowercases the capitals of ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic by offset,
/// and drops the accents of Latin-1's vowels and `ç` ("Pásame" is `pasame`, "adiós" `adios`:
/// customers write Spanish with and without them, and patterns stay ASCII); `ñ` stays. Other
/// characters are matched as written.
pub fn fold(c: char) -> char {
    let u = c as u32;
    let lower = match u {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3A9 | 0x410..=0x42F => u + 0x20,
        0x400..=0x40F => u + 0x50,
        0x178 => 0xFF,
        0x100..=0x137 | 0x14A..=0x177 if u % 2 == 0 => u + 1,
        0x139..=0x148 | 0x179..=0x17E if u % 2 == 1 => u + 1,
        _ => u,
    };
    let plain = match lower {
        0xE0..=0xE5 => 'a' as u32,
        0xE7 => 'c' as u32,
        0xE8..=0xEB => 'e' as u32,
        0xEC..=0xEF => 'i' as u32,
        0xF2..=0xF6 => 'o' as u32,
        0xF9..=0xFC => 'u' as u32,
        _ => lower,
    };
    char::from_u32(plain).unwrap_or(c)
}

/// Whether `text`, folded character by character, is `word`: `chars().map(fold).eq(…)` in a
/// plain loop (that chain is two generic routines of std's in the wasm).
fn folds_to(text: &str, word: &str) -> bool {
    let mut want = word.chars();
    for c in text.chars() {
        if want.next() != Some(fold(c)) {
            return false;
        }
    }
    want.next().is_none()
}

pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02bc}')
}

/// The patterns of a built-in list (one per line, as `rules::lines!` writes them) and then the
/// site's own, in that order; stops at the first `f` that returns true.
fn each_pattern(list: &str, extra: &[String], f: &mut dyn FnMut(&str) -> bool) -> bool {
    for p in crate::table::split(list, "\n") {
        if !p.is_empty() && f(p) {
            return true;
        }
    }
    for p in extra {
        if f(p) {
            return true;
        }
    }
    false
}

impl Tokens {
    /// `filler`: the site's extra words `~` may skip (`PolicyConfig::filler_words`), compared
    /// case-insensitively like every word.
    pub fn new(text: &str, filler: &[String]) -> Tokens {
        let mut out = Tokens::default();
        let mut current: Option<(usize, usize)> = None; // (byte start in text, start in norm)
        let mut last_end = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next_is_word = chars.peek().is_some_and(|&(_, n)| is_word_char(n));
            if (0x300..=0x36F).contains(&(c as u32)) {
                // A combining accent ("a" then U+0301, as some keyboards write "á"): part of
                // the word's text, left out of its normal form like a precomposed one.
                if current.is_some() {
                    last_end = i + c.len_utf8();
                }
            } else if is_word_char(c) && !is_apostrophe(c) {
                if current.is_none() {
                    current = Some((i, out.norm.len()));
                }
                out.norm.push(fold(c));
                last_end = i + c.len_utf8();
            } else if is_apostrophe(c) && current.is_some() && next_is_word {
                // "didn't" stays one word, written "didnt"; the apostrophe is dropped.
            } else if let Some((start, norm_start)) = current.take() {
                let set_off = matches!(c, ',' | '.' | ';' | ':' | '!' | '?');
                out.toks.push(Tok { start, end: last_end, norm_start, norm_end: out.norm.len(), set_off });
            }
        }
        if let Some((start, norm_start)) = current {
            out.toks.push(Tok { start, end: last_end, norm_start, norm_end: out.norm.len(), set_off: false });
        }
        for i in 0..out.toks.len() {
            let word = out.word(i);
            let is_filler = in_sorted(FILLER, word) || filler.iter().any(|w| folds_to(w, word));
            // One-letter words set no bit; `starts` looks at the words for one-letter stems.
            if let Some(bit) = head_bit(word.as_bytes()) {
                if let Some(slot) = out.heads.get_mut(bit / 64) {
                    *slot |= 1 << (bit % 64);
                }
            }
            out.filler.push(is_filler);
        }
        out
    }

    /// Marks in `out` the tokens where `item` (a pattern's first item: lowercase ASCII
    /// alternatives and `@lists`) may match. An alternative the two-letter filter rules out for the
    /// whole message costs one bit test; the others one pass over the words. May add a token
    /// the item does not match (`match_here` decides), never leaves out one it does.
    fn starts(&self, item: &str, out: &mut [bool]) {
        for alt in crate::table::split(item, "|") {
            if let Some(name) = alt.strip_prefix('@') {
                match list(name) {
                    Some(list) => self.starts(list, out),
                    // The site's "@word" is compared normalised: every word may match.
                    None => out.fill(true),
                }
                continue;
            }
            let (stem, prefix) = match alt.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (alt, false),
            };
            let possible = match head_bit(stem.as_bytes()) {
                Some(bit) => self.heads.get(bit / 64).is_some_and(|slot| slot & (1 << (bit % 64)) != 0),
                None => !stem.is_empty(),
            };
            if possible {
                for (i, mark) in out.iter_mut().enumerate() {
                    let w = self.word(i);
                    *mark |= w == stem || (prefix && w.starts_with(stem));
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// "Hi", "good morning", "thanks!": words, and every one of them small talk.
    pub fn small_talk(&self) -> bool {
        self.len() > 0 && (0..self.len()).all(|i| in_sorted(SMALL_TALK, self.word(i)))
    }

    /// The normalised form of token `i` ("" past the end).
    pub fn word(&self, i: usize) -> &str {
        self.toks.get(i).and_then(|t| self.norm.get(t.norm_start..t.norm_end)).unwrap_or("")
    }

    /// The original text covered by tokens `from..to` (a slice of `text`, never panics).
    pub fn span<'a>(&self, text: &'a str, from: usize, to: usize) -> &'a str {
        match (self.toks.get(from), to.checked_sub(1).and_then(|last| self.toks.get(last))) {
            (Some(a), Some(b)) if a.start <= b.end => text.get(a.start..b.end).unwrap_or(""),
            _ => "",
        }
    }

    /// Calls `f` with each match of `pattern` as a token range (the first one from each start
    /// token, leftmost first) until it returns true; returns whether it did. One pass over the
    /// words: the cost grows with the message, never with its square.
    fn each_match(&self, pattern: &str, mut f: impl FnMut(usize, usize) -> bool) -> bool {
        let first = split_whitespace(pattern).next().unwrap_or("");
        // Gaps, optional items and the site's own spellings: try every position.
        let simple = !first.is_empty()
            && crate::table::all_word_bytes(first, true, b"|*@");
        // Which words may start a match (no sort needed: the positions are marked, then read
        // in order). Pushed one by one: `vec![x; n]` is std's `from_elem` and `extend_with` in
        // the wasm, for this one vector.
        let mut may = Vec::with_capacity(self.toks.len());
        for _ in 0..self.toks.len() {
            may.push(!simple);
        }
        if simple {
            self.starts(first, &mut may);
        }
        // A plain loop that skips, not `filter`: the adapter was code of its own in the wasm.
        for at in 0..may.len() {
            if !may[at] {
                continue;
            }
            if let Some(end) = match_here(self, split_whitespace(pattern), at) {
                if f(at, end) {
                    return true;
                }
            }
        }
        false
    }

    /// The leftmost match of `pattern`, as a token range.
    #[cfg(test)]
    pub fn first_match(&self, pattern: &str) -> Option<(usize, usize)> {
        let mut found = None;
        self.each_match(pattern, |a, b| {
            found = Some((a, b));
            true
        });
        found
    }

    /// Every match of every pattern of a list (one per start position of each pattern).
    pub fn spans(&self, list: &str, extra: &[String]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        each_pattern(list, extra, &mut |p| {
            self.each_match(p, |a, b| {
                out.push((a, b));
                false
            })
        });
        out
    }

    /// The first match of any pattern of `list` (then of `extra`) that does not overlap a
    /// match of a negative one.
    pub fn find(&self, list: &str, extra: &[String], negative: &str, extra_neg: &[String]) -> Option<(usize, usize)> {
        // The negative spans are found once, and only if some positive phrase matched.
        let mut blocked: Option<Vec<(usize, usize)>> = None;
        let mut found = None;
        each_pattern(list, extra, &mut |p| {
            self.each_match(p, |a, b| {
                let spans = blocked.get_or_insert_with(|| self.spans(negative, extra_neg));
                let clear = !spans.iter().any(|&(x, y)| x < b && a < y);
                if clear {
                    found = Some((a, b));
                }
                clear
            })
        });
        found
    }
}

fn match_here(toks: &Tokens, mut items: Words<'_>, pos: usize) -> Option<usize> {
    match items.next() {
        None => Some(pos),
        Some("_") => {
            // `..GAP + 1`, not `..=GAP`: an inclusive range's iterator is code of its own.
            for skip in 0..GAP + 1 {
                if pos + skip > toks.len() {
                    return None;
                }
                if let Some(end) = match_here(toks, items.clone(), pos + skip) {
                    return Some(end);
                }
            }
            None
        }
        // The end of the message: "please call me" asks for a call, "please call me Dana" does not.
        Some("$") => {
            if pos == toks.len() {
                match_here(toks, items, pos)
            } else {
                None
            }
        }
        Some("~") => {
            let mut skip = 0;
            loop {
                if let Some(end) = match_here(toks, items.clone(), pos + skip) {
                    return Some(end);
                }
                if skip >= FILLER_GAP || !toks.filler.get(pos + skip).copied().unwrap_or(false) {
                    return None;
                }
                skip += 1;
            }
        }
        Some(item) => {
            let (item, optional) = match item.strip_suffix('?') {
                Some(rest) if !rest.is_empty() => (rest, true),
                _ => (item, false),
            };
            // A "No," set off by punctuation answers the bot; it does not negate what follows
            // ("No, quiero un agente" is a request).
            let answer = item == "no" && toks.toks.get(pos).is_some_and(|t| t.set_off);
            if pos < toks.len() && item_matches(item, toks.word(pos)) && !answer {
                if let Some(end) = match_here(toks, items.clone(), pos + 1) {
                    return Some(end);
                }
            }
            if optional {
                match_here(toks, items, pos)
            } else {
                None
            }
        }
    }
}

/// A shared list of alternatives, written `@name` in a pattern.
fn list(name: &str) -> Option<&'static str> {
    super::rules::LISTS.iter().find(|(n, _)| *n == name).map(|(_, l)| *l)
}

/// Does one pattern item (`a|b*|@list|c`) match the normalised word?
pub(crate) fn item_matches(item: &str, word: &str) -> bool {
    for alt in crate::table::split(item, "|") {
        if let Some(list) = alt.strip_prefix('@').and_then(list) {
            if item_matches(list, word) {
                return true;
            }
            continue;
        }
        let (alt, prefix) = match alt.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (alt, false),
        };
        if word_eq(alt, word, prefix) {
            return true;
        }
    }
    false
}

/// Compare a pattern word with a normalised token, normalising the pattern on the fly
/// (lowercase, apostrophes and punctuation dropped) so site phrases need no preprocessing.
fn word_eq(alt: &str, word: &str, prefix: bool) -> bool {
    // Fast path: the built-in patterns are already lowercase ASCII.
    if crate::table::all_word_bytes(alt, true, b"") {
        return !alt.is_empty() && if prefix { word.starts_with(alt) } else { alt == word };
    }
    let mut want = alt.chars().filter(|&c| is_word_char(c) && !is_apostrophe(c)).map(fold);
    let mut have = word.chars();
    let mut any = false;
    loop {
        match (want.next(), have.next()) {
            (None, None) => return any,
            (None, Some(_)) => return prefix && any,
            (Some(_), None) => return false,
            (Some(a), Some(b)) if a == b => any = true,
            _ => return false,
        }
    }
}

/// Is `word` one of the words of `list` (sorted, separated by single spaces)? A binary search
/// on byte offsets: one string instead of a table of pointers, still log(n) comparisons.
pub(crate) fn in_sorted(list: &str, word: &str) -> bool {
    let bytes = list.as_bytes();
    // Invariant: `lo` starts a word; the words starting in lo..hi are left to look at.
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let mut mid = lo + (hi - lo) / 2;
        while mid > lo && bytes.get(mid - 1) != Some(&b' ') {
            mid -= 1;
        }
        let end = bytes.get(mid..).and_then(|rest| rest.iter().position(|&b| b == b' ')).map_or(bytes.len(), |p| mid + p);
        match list.get(mid..end).unwrap_or("").cmp(word) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = mid,
        }
    }
    false
}

/// A prefix of `s` at most `max` bytes long, cut on a char boundary.
pub(crate) fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first<'a>(text: &'a str, pattern: &str) -> Option<&'a str> {
        let t = Tokens::new(text, &[]);
        let m = t.first_match(pattern);
        m.map(|(a, b)| t.span(text, a, b))
    }

    #[test]
    fn tokens_keep_offsets_and_drop_apostrophes() {
        let t = Tokens::new("I didn't — Ça va? ÉTÉ!", &[]);
        let words: Vec<&str> = (0..t.len()).map(|i| t.word(i)).collect();
        assert_eq!(words, ["i", "didnt", "ca", "va", "ete"], "lowercase, accents dropped");
        assert_eq!(t.span("I didn't — Ça va? ÉTÉ!", 1, 3), "didn't — Ça");
    }

    #[test]
    fn patterns() {
        let table: &[(&str, &str, Option<&str>)] = &[
            ("please let me talk to a real person", "talk ~ person", Some("talk to a real person")),
            ("talk about a person", "talk ~ person", None),
            ("I want to add a person", "want ~ person", None),
            ("it was hacked yesterday", "hack*", Some("hacked")),
            ("money money", "cash|money", Some("money")),
            ("order never came", "order _ came", Some("order never came")),
            ("hablar con una persona", "Hablar con una persona", Some("hablar con una persona")),
            ("didn't work", "didn't work", Some("didn't work")),
            ("", "anything", None),
            ("x", "_", Some("")),
            ("account blocked", "account is|was? blocked", Some("account blocked")),
            ("account was blocked", "account is|was? blocked", Some("account was blocked")),
        ];
        for (text, pattern, want) in table {
            assert_eq!(first(text, pattern), *want, "{pattern:?} on {text:?}");
        }
    }

    #[test]
    fn negatives_block_only_overlapping_matches() {
        let text = "Are you a human? I want a human";
        let t = Tokens::new(text, &[]);
        let m = t.find("human", &[], "are you ~ human", &[]).map(|(a, b)| t.span(text, a, b));
        assert_eq!(m, Some("human"));
        let (a, _) = t.find("human", &[], "are you ~ human", &[]).unwrap_or((0, 0));
        assert_eq!(a, 7);
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        assert!(FILLER.split(' ').is_sorted_by(|a, b| a < b));
        assert!(SMALL_TALK.split(' ').is_sorted_by(|a, b| a < b));
    }

    #[test]
    fn sorted_word_lists_find_exactly_their_words() {
        let list = "a an and b be been zebra";
        for w in list.split(' ') {
            assert!(in_sorted(list, w), "{w:?}");
        }
        for w in ["", "aa", "ann", "bee", "c", "zebras", "zebr", "A", "été"] {
            assert!(!in_sorted(list, w), "{w:?}");
        }
        assert!(!in_sorted("", "a"));
        for w in FILLER.split(' ') {
            assert!(in_sorted(FILLER, w), "{w:?}");
        }
    }

    #[test]
    fn clip_respects_char_boundaries() {
        assert_eq!(clip("héllo", 2), "h");
        assert_eq!(clip("abc", 10), "abc");
    }
}
