//! Short constant tables, each written as one string: word lists space-separated, pairs one
//! `key|value` per line. A slice of `&str` is a table of pointers in the wasm, which barely
//! compresses; the same text as one string costs a fraction of that. Also [`Cat`], string
//! joining without std's generic routine.

/// The words of a space-separated list, in order.
pub fn words(list: &'static str) -> std::str::Split<'static, char> {
    list.split(' ')
}

/// Whether `word` is one of the words of `list`, ignoring ASCII case.
pub fn has(list: &str, word: &str) -> bool {
    list.split(' ').any(|w| w.eq_ignore_ascii_case(word))
}

/// The `key|value` lines of a table, in order.
pub fn pairs(table: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    table
        .split_terminator('\n')
        .filter_map(|line| line.split_once('|'))
}

/// `text` without any of `set` at its end. Every trim takes its set as a slice: each pattern
/// type (a `char`, a `[char; N]` per N) is its own copy of std's searcher in the wasm.
pub fn trim_end<'a>(text: &'a str, set: &[char]) -> &'a str {
    text.trim_end_matches(set)
}

/// `text` without any of `set` at its start (see [`trim_end`]).
pub fn trim_start<'a>(text: &'a str, set: &[char]) -> &'a str {
    text.trim_start_matches(set)
}

/// A space-separated list as error messages name its words: `a, b, c` (a space ending the
/// list is not a word). One loop for every such message, instead of `str::replace` here and
/// a vector of words joined there.
pub fn listed(list: &str) -> String {
    let mut out = String::new();
    for (i, word) in list.split_terminator(' ').enumerate() {
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
