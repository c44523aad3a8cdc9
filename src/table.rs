//! Short constant tables, each written as one string: word lists space-separated, pairs one
//! `key|value` per line. A slice of `&str` is a table of pointers in the wasm, which barely
//! compresses; the same text as one string costs a fraction of that. Also [`Cat`], string
//! joining without std's generic routine, and [`find`] with the splits built on it.

/// The words of a space-separated list, in order.
pub fn words(list: &'static str) -> Split<'static> {
    split(list, " ")
}

/// Whether `word` is one of the words of `list`, ignoring ASCII case.
pub fn has(list: &str, word: &str) -> bool {
    split(list, " ").any(|w| w.eq_ignore_ascii_case(word))
}

/// The `key|value` lines of a table, in order.
pub fn pairs(table: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    // The empty part after the last line has no `|`, as `split_terminator` would not give it.
    split(table, "\n").filter_map(|line| split_once(line, "|"))
}

/// Whether `bytes` holds `byte`. `<[u8]>::contains` is std's memchr in the wasm (0.5 KB, word
/// at a time), for inputs of a few dozen bytes.
pub fn has_byte(bytes: &[u8], byte: u8) -> bool {
    bytes.iter().any(|&b| b == byte)
}

/// Whether every byte of `text` is an ASCII digit, a letter (only a lowercase one with
/// `lower`) or one of `extra`. One loop for the crate's character checks: `bytes().all(…)` is
/// a `try_fold` of its own in the wasm for every closure it is given.
pub fn all_word_bytes(text: &str, lower: bool, extra: &[u8]) -> bool {
    for b in text.bytes() {
        let letter = if lower { b.is_ascii_lowercase() } else { b.is_ascii_alphabetic() };
        if !(letter || b.is_ascii_digit() || has_byte(extra, b)) {
            return false;
        }
    }
    true
}

/// The byte index of the first `needle` in `hay` at or after `from`; with `ci`, ASCII
/// case-insensitively (`needle` given in lower case). A plain loop: the inputs are short.
///
/// The crate's one substring search, under every split below: std's `find`, `split`,
/// `split_once` and `contains` are generic over the pattern, and each pattern type is a
/// searcher of its own in the wasm (`char`'s with memchr, 0.7 KB). A character's whole UTF-8
/// found in valid UTF-8 starts and ends at character boundaries, so searching for a `char`'s
/// encoding finds what `str::find(char)` finds.
pub fn find(hay: &str, needle: &str, from: usize, ci: bool) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let mut i = from;
    while i + n.len() <= h.len() {
        let w = &h[i..i + n.len()];
        if if ci { w.eq_ignore_ascii_case(n) } else { w == n } {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `text` around the first `sep`, as `str::split_once` gives it.
pub fn split_once<'a>(text: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    let at = find(text, sep, 0, false)?;
    Some((text.get(..at)?, text.get(at + sep.len()..)?))
}

/// The parts of `text` between occurrences of `sep`, as `str::split` gives them.
pub fn split<'a>(text: &'a str, sep: &'static str) -> Split<'a> {
    Split { rest: Some(text), sep }
}

/// The parts of `text` each ended by `sep` (the last may lack it), as `str::split_terminator`
/// gives them: [`split`] without a trailing `sep`, and nothing at all for an empty text.
pub fn split_terminator<'a>(text: &'a str, sep: &'static str) -> Split<'a> {
    let rest = (!text.is_empty()).then(|| text.strip_suffix(sep).unwrap_or(text));
    Split { rest, sep }
}

/// See [`split`]: one iterator type for every separator.
#[derive(Clone, Debug)]
pub struct Split<'a> {
    /// What is left to split; `None` once the last part is given.
    rest: Option<&'a str>,
    sep: &'static str,
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match split_once(rest, self.sep) {
            Some((part, tail)) => {
                self.rest = Some(tail);
                Some(part)
            }
            None => self.rest.take(),
        }
    }
}

/// The words of `text` between runs of whitespace (`char::is_whitespace`), as
/// `str::split_whitespace` gives them. That one is a searcher of its own in the wasm (with
/// its copy of the whitespace test); this one reuses [`trim_start_whitespace`] and
/// [`find_whitespace`].
pub fn split_whitespace(text: &str) -> Words<'_> {
    Words { rest: text }
}

/// See [`split_whitespace`].
#[derive(Clone, Debug)]
pub struct Words<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = trim_start_whitespace(self.rest);
        let end = find_whitespace(rest).unwrap_or(rest.len());
        self.rest = rest.get(end..)?;
        rest.get(..end).filter(|word| !word.is_empty())
    }
}

/// The byte index of the first whitespace character (`char::is_whitespace`) in `text`.
pub fn find_whitespace(text: &str) -> Option<usize> {
    find_space(text, true)
}

/// `text` without its leading whitespace, as `str::trim_start` gives it: that one is std's
/// generic searcher for the whitespace test in the wasm, besides the loop here.
pub fn trim_start_whitespace(text: &str) -> &str {
    text.get(find_space(text, false).unwrap_or(text.len())..).unwrap_or_default()
}

/// The byte index of the first character that is whitespace (`space`), or that is not.
fn find_space(text: &str, space: bool) -> Option<usize> {
    text.char_indices().find(|(_, c)| c.is_whitespace() == space).map(|(i, _)| i)
}

/// `text` without any of `set` at its end. Every trim takes its set as a slice, and is a plain
/// loop over characters: std's `trim_end_matches` and `trim_start_matches` are its generic
/// searcher (with a multi-character matcher) in the wasm, 0.5 KB for sets of one to nine.
pub fn trim_end<'a>(text: &'a str, set: &[char]) -> &'a str {
    let mut rest = text;
    while let Some(c) = rest.chars().next_back().filter(|c| set.contains(c)) {
        rest = rest.get(..rest.len() - c.len_utf8()).unwrap_or_default();
    }
    rest
}

/// `text` without any of `set` at its start (see [`trim_end`]).
pub fn trim_start<'a>(text: &'a str, set: &[char]) -> &'a str {
    let mut rest = text;
    while let Some(c) = rest.chars().next().filter(|c| set.contains(c)) {
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    rest
}

/// A space-separated list as error messages name its words: `a, b, c` (a space ending the
/// list is not a word). One loop for every such message, instead of `str::replace` here and
/// a vector of words joined there.
pub fn listed(list: &str) -> String {
    let mut out = String::new();
    for (i, word) in split_terminator(list, " ").enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(word);
    }
    out
}

/// Joins strings: `[a, b, c].cat()`. Std's `concat` and `join` are one generic routine
/// (`join_generic_copy`, 0.9 KB of wasm); this loop is a fraction of that.
pub trait Cat {
    fn cat(&self) -> String;
    /// The strings with `sep` between them.
    fn join_with(&self, sep: &str) -> String;
}

impl<S: AsRef<str>> Cat for [S] {
    fn cat(&self) -> String {
        self.join_with("")
    }

    fn join_with(&self, sep: &str) -> String {
        let mut out = String::new();
        for (i, part) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(part.as_ref());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_match_std() {
        for text in ["", " ", "a", "a b", " a  b ", "a b  ", "é|ü||x|", "\u{1f}a\u{1f}", "key|value\n", "\u{a0}x\u{3000}y z\t\n"] {
            assert_eq!(split_whitespace(text).collect::<Vec<_>>(), text.split_whitespace().collect::<Vec<_>>());
            assert_eq!(find_whitespace(text), text.find(char::is_whitespace));
            assert_eq!(trim_start_whitespace(text), text.trim_start());
            for (sep, c) in [(" ", ' '), ("|", '|'), ("\u{1f}", '\u{1f}'), ("\n", '\n'), ("ü", 'ü')] {
                assert_eq!(split(text, sep).collect::<Vec<_>>(), text.split(c).collect::<Vec<_>>(), "{text:?} {sep:?}");
                assert_eq!(split_terminator(text, sep).collect::<Vec<_>>(), text.split_terminator(c).collect::<Vec<_>>());
                assert_eq!(split_once(text, sep), text.split_once(c));
                assert_eq!(find(text, sep, 0, false), text.find(c));
            }
        }
    }

    #[test]
    fn trims_match_std() {
        for text in ["", "/", "a//", "//a", " \u{a0}x \u{a0}", "é·· ", "·é", "x"] {
            for set in [&['/'][..], &[' ', '\u{a0}'], &[' ', '·'], &['é']] {
                assert_eq!(trim_end(text, set), text.trim_end_matches(set), "{text:?} {set:?}");
                assert_eq!(trim_start(text, set), text.trim_start_matches(set), "{text:?} {set:?}");
            }
        }
    }

    #[test]
    fn lists_and_pairs_read_back() {
        assert_eq!(words("a bc d").collect::<Vec<_>>(), ["a", "bc", "d"]);
        assert_eq!((listed("a bc d"), listed("a bc "), listed("a")), ("a, bc, d".into(), "a, bc".into(), "a".into()));
        assert!(has("USD EUR", "eur") && !has("USD EUR", "EU") && !has("USD EUR", ""));
        assert_eq!(
            pairs("Edg/|Edge\nChrome OS|ChromeOS\n").collect::<Vec<_>>(),
            [("Edg/", "Edge"), ("Chrome OS", "ChromeOS")]
        );
    }

    #[test]
    fn cat_and_join_with() {
        assert_eq!(["a", "", "bc"].cat(), "abc");
        assert_eq!(["a", "b"].join_with(", "), "a, b");
        assert_eq!(Vec::<String>::new().join_with(", "), "");
        assert_eq!([String::from("x")].join_with("-"), "x");
    }
}
