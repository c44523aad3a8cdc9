//! Redaction of personal data in free text, applied when a message enters the core, before it
//! is stored, shown or sent: payment card numbers become their last four digits.
//!
//! A card number is 12 to 19 digits, optionally grouped by single spaces, dashes, dots, tabs or
//! line breaks, that passes the Luhn check. Runs of digits that fail Luhn (order numbers, phone
//! numbers) are left alone, and so are dotted runs of groups of at most three digits (an IP
//! address).

/// What a masked card number looks like: the last four digits stay so the agent can match it.
const MASK: &str = "**** ";

/// Returns `text` with every Luhn-valid card number masked to its last four digits.
/// Borrows (no allocation) when there is nothing to mask.
pub fn redact_cards(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `text` already copied into `out`
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let groups = digit_groups(bytes, i);
        // Every window of whole groups that is a card, longest first from each group; windows
        // that overlap are masked as one (review: "2024 4111 1111 1111 1111" masked the first
        // valid window, "2024 4111 1111 1111", and showed twelve digits of the card after it).
        let mut span: Option<(usize, usize)> = None;
        for start in 0..groups.len() {
            // The windows from `start` that could be a card: at most 19 digits, ending before
            // group `widest`. Plain loops: `take_while().count()` and `rev().find()` were
            // iterator routines of their own in the wasm.
            let (mut digits, mut widest) = (0, start);
            while widest < groups.len() {
                digits += groups[widest].1 - groups[widest].0;
                if digits > 19 {
                    break;
                }
                widest += 1;
            }
            // The longest of them that is a card.
            let mut end = widest;
            while end > start && !is_card(bytes, &groups[start..end]) {
                end -= 1;
            }
            if end == start {
                continue;
            }
            let end = end - 1;
            let (first, last) = (groups[start].0, groups[end].1);
            span = match span {
                Some((from, to)) if first < to => Some((from, to.max(last))),
                done => {
                    if let Some(done) = done {
                        mask(text, done, &mut out, &mut copied);
                    }
                    Some((first, last))
                }
            };
        }
        if let Some(done) = span {
            mask(text, done, &mut out, &mut copied);
        }
        i = groups.last().map_or(i + 1, |g| g.1.max(i + 1));
    }
    match out {
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            std::borrow::Cow::Owned(buf)
        }
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Whether the digits of `groups` (whole groups, in one run) make a card number: 12 to 19 of
/// them, Luhn-valid, and not a dotted run of short groups (an IP address).
fn is_card(bytes: &[u8], groups: &[(usize, usize)]) -> bool {
    let (Some(&(first, _)), Some(&(_, last))) = (groups.first(), groups.last()) else { return false };
    let digits = digits_in(&bytes[first..last]);
    let dotted_short = crate::table::has_byte(&bytes[first..last], b'.') && groups.iter().all(|g| g.1 - g.0 <= 3);
    (12..=19).contains(&digits.len()) && !dotted_short && luhn_ok(&digits)
}

/// The ASCII digits of `bytes`, in order. Pushed one by one: `collect` is two generic routines
/// of std's in the wasm (`from_iter` and `extend`) for this one use.
fn digits_in(bytes: &[u8]) -> Vec<u8> {
    let mut digits = Vec::new();
    for &b in bytes {
        if b.is_ascii_digit() {
            digits.push(b);
        }
    }
    digits
}

/// Copies `text` up to the span into `out`, then the span masked to its last four digits.
fn mask(text: &str, (first, last): (usize, usize), out: &mut Option<String>, copied: &mut usize) {
    let buf = out.get_or_insert_with(|| String::with_capacity(text.len()));
    buf.push_str(&text[*copied..first]);
    buf.push_str(MASK);
    let digits = digits_in(&text.as_bytes()[first..last]);
    // Pushed one by one: `extend` with a `map` is a generic routine of std's in the wasm.
    for &d in &digits[digits.len().saturating_sub(4)..] {
        buf.push(char::from(d));
    }
    *copied = last;
}

/// The whole run of groups of digits starting at `start`, separated by exactly one space, dash,
/// dot, tab or line break (`\n` or `\r\n`), as byte ranges. The whole run, so a card anywhere
/// in it is tried as one window (review: cutting the run at 38 digits left the third of three
/// cards pasted one per line with twelve digits showing); the work stays linear because each
/// window is at most 19 digits long.
fn digit_groups(bytes: &[u8], start: usize) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    let mut i = start;
    loop {
        let begin = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        groups.push((begin, i));
        let sep = match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b'\r'), Some(b'\n')) => 2,
            (Some(b' ' | b'-' | b'.' | b'\t' | b'\n'), _) => 1,
            _ => 0,
        };
        let next_digit = sep > 0 && bytes.get(i + sep).is_some_and(u8::is_ascii_digit);
        if !next_digit {
            return groups;
        }
        i += sep;
    }
}

/// The Luhn checksum over ASCII digits. A plain loop from the last digit: `rev().enumerate()
/// .map().sum()` was an iterator chain of its own in the wasm.
fn luhn_ok(digits: &[u8]) -> bool {
    let (mut sum, mut k) = (0u32, digits.len());
    while k > 0 {
        k -= 1;
        let v = u32::from(digits[k] - b'0');
        // Every second digit from the right (the last one is not doubled) counts twice.
        sum += if (digits.len() - k) % 2 == 0 {
            let doubled = v * 2;
            if doubled > 9 { doubled - 9 } else { doubled }
        } else {
            v
        };
    }
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::redact_cards;

    /// Review: three cards one per line make one run of 48 digits; the run was cut at 38 digits
    /// and the third card, cut in two, showed twelve digits. Windows that happen to pass Luhn
    /// across two cards merge them into one mask: safe, if less tidy.
    #[test]
    fn cards_pasted_one_per_line_are_all_masked() {
        let masked = redact_cards("my cards:\n4111 1111 1111 1111\n5500 0055 5555 5559\n4012 8888 8888 1881");
        let digits = masked.bytes().filter(u8::is_ascii_digit).count();
        assert_eq!(digits, 4 * masked.matches("****").count(), "only last fours show: {masked}");
        assert!(masked.ends_with("**** 1881"), "{masked}");
    }

    #[test]
    fn masks_card_numbers_in_every_common_form() {
        let cases = [
            ("my card is 4111 1111 1111 1111 thanks", "my card is **** 1111 thanks"),
            ("4111-1111-1111-1111", "**** 1111"),
            ("4111111111111111", "**** 1111"),
            ("amex 3782 822463 10005.", "amex **** 0005."),
            ("two: 5500005555555559 and 4012888888881881", "two: **** 5559 and **** 1881"),
            // Review: pasted across lines, or written with dots.
            ("card:\n4111 1111\n1111 1111", "card:\n**** 1111"),
            ("4111 1111\r\n1111 1111 ok", "**** 1111 ok"),
            ("4111.1111.1111.1111", "**** 1111"),
            ("4111\t1111\t1111\t1111", "**** 1111"),
            // A card after a long run of grouped numbers (review: runs were cut at 38 digits).
            ("1357 1357 1357 1357 1357 1357 1357 1357 1357 4111 1111 1111 1111", "1357 1357 1357 1357 1357 1357 1357 1357 1357 **** 1111"),
        ];
        for (input, want) in cases {
            assert_eq!(redact_cards(input), want, "input: {input}");
        }
    }

    #[test]
    fn leaves_non_card_numbers_alone() {
        let cases = [
            "order 123456789012 is late",       // 12 digits, fails Luhn
            "call 555-123-4567",                 // too short
            "4111 1111 1111 1112",               // Luhn fails by one digit
            "version 1.2.3, 2 weeks, 100 euros", // small numbers
            "from 100.200.300.406 again",        // an IP-like dotted run (Luhn-valid digits)
            "4111 1111  1111 1111",              // two spaces: not one number
            "",
        ];
        for input in cases {
            assert_eq!(redact_cards(input), input);
        }
    }

    #[test]
    fn a_card_inside_a_longer_run_of_groups_is_still_found() {
        assert_eq!(redact_cards("ref 12 4111 1111 1111 1111"), "ref 12 **** 1111");
        // Review: a number before the card made a valid window of its own with the card's first
        // groups, and the rest of the card stayed visible. Overlapping windows are one mask.
        assert_eq!(redact_cards("2024 4111 1111 1111 1111"), "**** 1111");
        assert_eq!(redact_cards("exp 12/2008\n4111 1111 1111 1111 ok"), "exp 12/**** 1111 ok");
        for prefix in 1000..10_000 {
            let masked = redact_cards(&format!("{prefix} 4111 1111 1111 1111")).into_owned();
            assert!(!masked.contains("1111 1111"), "{prefix}: {masked}");
        }
    }

    #[test]
    fn non_ascii_text_around_cards_is_kept_intact() {
        assert_eq!(redact_cards("carte é 4111111111111111 ü"), "carte é **** 1111 ü");
    }
}

/// What a match of a site's own pattern becomes.
pub const REDACTED: &str = "[redacted]";

/// Masks every match of the site's patterns (option `redact`): `#` is a digit, `@` a letter,
/// anything else itself, e.g. `###-##-####` for a US social security number. A match must not
/// touch another letter or digit on either side. Cost: the message length × the patterns.
pub fn redact_patterns(text: &str, patterns: &[String]) -> Option<String> {
    if patterns.is_empty() {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let hit = if boundary_before { patterns.iter().find_map(|p| match_at(bytes, i, p.as_bytes())) } else { None };
        match hit {
            Some(end) => {
                let buf = out.get_or_insert_with(|| String::with_capacity(text.len()));
                buf.push_str(&text[copied..i]);
                buf.push_str(REDACTED);
                copied = end;
                i = end;
            }
            None => i += 1,
        }
    }
    out.map(|mut buf| {
        buf.push_str(&text[copied..]);
        buf
    })
}

/// The end of `pattern` matched at `start`, if it matches there and ends at a boundary.
fn match_at(text: &[u8], start: usize, pattern: &[u8]) -> Option<usize> {
    let end = start + pattern.len();
    let window = text.get(start..end)?;
    // By index: `zip().all()` was a `Zip` iterator of its own in the wasm.
    let mut ok = true;
    for (k, &p) in pattern.iter().enumerate() {
        let c = window[k];
        ok &= match p {
            b'#' => c.is_ascii_digit(),
            b'@' => c.is_ascii_alphabetic(),
            _ => c == p,
        };
    }
    let boundary_after = text.get(end).is_none_or(|c| !c.is_ascii_alphanumeric());
    (ok && boundary_after).then_some(end)
}

/// Checks a site pattern: 3 to 40 ASCII characters with at least one `#` or `@`.
pub fn valid_pattern(p: &str) -> bool {
    let b = p.as_bytes();
    (3..=40).contains(&p.len()) && p.is_ascii() && (crate::table::has_byte(b, b'#') || crate::table::has_byte(b, b'@'))
}

#[cfg(test)]
mod pattern_tests {
    use super::{redact_patterns, valid_pattern};

    #[test]
    fn site_patterns_mask_matches_at_word_boundaries_only() {
        let ssn = vec![String::from("###-##-####")];
        assert_eq!(redact_patterns("my ssn is 123-45-6789, ok", &ssn).as_deref(), Some("my ssn is [redacted], ok"));
        assert_eq!(redact_patterns("ref 9123-45-67890", &ssn), None, "inside a longer number");
        assert_eq!(redact_patterns("no numbers here", &ssn), None);
        let two = vec![String::from("@@######"), String::from("###-##-####")];
        assert_eq!(redact_patterns("ids AB123456 and 111-22-3333é", &two).as_deref(), Some("ids [redacted] and [redacted]é"));
        assert!(valid_pattern("###-##-####") && !valid_pattern("abc") && !valid_pattern("#") && !valid_pattern("é#é"));
    }
}
