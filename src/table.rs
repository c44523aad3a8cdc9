//! Short constant tables, each written as one string: word lists space-separated, pairs one
//! `key|value` per line. A slice of `&str` is a table of pointers in the wasm, which barely
//! compresses; the same text as one string costs a fraction of that.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_pairs_read_back() {
        assert_eq!(words("a bc d").collect::<Vec<_>>(), ["a", "bc", "d"]);
        assert!(has("USD EUR", "eur") && !has("USD EUR", "EU") && !has("USD EUR", ""));
        assert_eq!(
            pairs("Edg/|Edge\nChrome OS|ChromeOS\n").collect::<Vec<_>>(),
            [("Edg/", "Edge"), ("Chrome OS", "ChromeOS")]
        );
    }
}
