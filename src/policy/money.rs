//! Finding amounts of money in customer text, in integer minor units.
//!
//! Only money counts: a number needs a currency marker beside it (`$250`, `250 EUR`,
//! `USD 1,250.00`, `1.250,00 €`, `480 dollars`, `200 bucks`, `$2k`) or a money verb right
//! before it (`charged me 250`, `refund of 250`); `order 12345` and `2 weeks` are not money.
//! Amounts in another currency are compared nominally: the browser has no exchange rates.
//! A repeated charge counts in full: `$60 three times`, `billed twice, 89.99 each`.

use crate::table::{has, pairs, trim_end, trim_start, words};

/// One amount found in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money<'a> {
    /// In minor units of the currency (cents; whole units for zero-decimal currencies).
    pub minor: u64,
    /// ISO code when the text says which currency; `None` means the site's own currency.
    pub currency: Option<&'static str>,
    /// The slice of the text that states it (number and marker).
    pub evidence: &'a str,
}

/// ISO codes recognised as words beside a number, with their symbols and names.
const CODES: &str = "USD EUR GBP JPY CAD AUD CHF CNY INR SEK NOK DKK PLN NZD MXN BRL ZAR SGD HKD KRW CZK HUF ILS TRY";
const SYMBOLS: &[(char, &str)] = &[('$', "USD"), ('€', "EUR"), ('£', "GBP"), ('¥', "JPY"), ('₹', "INR"), ('₩', "KRW")];
const NAMES: &str = concat!(
    "dollar|USD\ndollars|USD\nbuck|USD\nbucks|USD\neuro|EUR\neuros|EUR\n",
    "pound|GBP\npounds|GBP\nquid|GBP\nyen|JPY\nrupees|INR\nfrancs|CHF\n",
);
/// Words that make the next bare number an amount in the site's currency.
const MONEY_VERBS: &str = words![
    "charged", "charge", "paid", "pay", "refund", "refunded", "cost", "costs", "spent", "owe", "owed", "billed",
    "debited", "withdrew", "withdrawn", "price", "fee", "fees", "deducted", "took",
];
/// Words allowed between a money verb and the number ("charged me 250", "refund of 250").
const VERB_FILLER: &str = "me us of about around over nearly almost was is";
/// Words after a bare number that make it a count, not money ("paid 3 times").
const UNITS: &str = words![
    "times", "time", "days", "day", "weeks", "week", "months", "month", "years", "year", "hours", "hour", "minutes",
    "minute", "items", "item", "orders", "order", "percent", "pieces", "units", "people", "installments", "x",
];

/// Minor-unit exponent of a currency: whole units for the zero-decimal ones.
pub fn exponent(code: &str) -> u32 {
    if has("JPY KRW ISK CLP VND", code) {
        0
    } else {
        2
    }
}

/// Every amount of money in `text`; bare amounts are in `site_currency`.
pub fn find_money<'a>(text: &'a str, site_currency: &str) -> Vec<Money<'a>> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        // The byte before: an ASCII letter or digit is one byte, and no byte of another
        // character is one.
        let prev_alnum = i > 0 && bytes.get(i - 1).is_some_and(u8::is_ascii_alphanumeric);
        if !b.is_ascii_digit() || prev_alnum {
            i += 1;
            continue;
        }
        let (end, number) = scan_number(bytes, i);
        if let Some(m) = classify(text, i, end, number, site_currency).or_else(|| each(text, i, end, number, site_currency)) {
            found.push(repeated(text, m));
        }
        i = end.max(i + 1);
    }
    found
}

/// A parsed number: whole units and up to two decimals (as hundredths), `k` multiplier applied.
#[derive(Clone, Copy, Debug)]
struct Number {
    units: u64,
    hundredths: u64,
}

/// Read digits with `,` `.` separators from `start`; returns the end byte and the value.
fn scan_number(bytes: &[u8], start: usize) -> (usize, Option<Number>) {
    let mut end = start;
    while let Some(&b) = bytes.get(end) {
        let sep_then_digit = matches!(b, b',' | b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        if b.is_ascii_digit() || sep_then_digit {
            end += 1;
        } else {
            break;
        }
    }
    let raw = bytes.get(start..end).unwrap_or(&[]);
    let mut number = parse_number(raw);
    // `2k` / `2.5k`: thousands, only when the k ends the word.
    if matches!(bytes.get(end), Some(b'k' | b'K')) && !bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric) {
        end += 1;
        number = number.map(|n| {
            let total = n.units.saturating_mul(100).saturating_add(n.hundredths).saturating_mul(1000);
            Number { units: total / 100, hundredths: total % 100 }
        });
    }
    (end, number)
}

/// Decide which separator is the decimal point: `1,250.00`, `1.250,00`, `1,250`, `12,5`.
fn parse_number(raw: &[u8]) -> Option<Number> {
    if raw.is_empty() || raw.len() > 40 {
        return None;
    }
    let last_sep = raw.iter().rposition(|b| matches!(b, b',' | b'.'));
    let decimal_at = last_sep.and_then(|p| {
        let sep = raw.get(p).copied()?;
        let after = raw.len() - p - 1;
        let other = if sep == b',' { b'.' } else { b',' };
        let both_kinds = crate::table::has_byte(raw, other);
        // `p` is the last separator: another of its kind can only come before it.
        let repeated = raw.get(..p).is_some_and(|head| crate::table::has_byte(head, sep));
        if both_kinds || (!repeated && after != 3) {
            Some(p)
        } else {
            None // thousands separators only
        }
    });
    let (int_part, frac_part) = match decimal_at {
        Some(p) => (raw.get(..p)?, raw.get(p + 1..)?),
        None => (raw, &[][..]),
    };
    // Plain loops over the digits (no filter adapters, each a copy of its own in the wasm).
    let mut units: u64 = 0;
    for &b in int_part {
        if b.is_ascii_digit() {
            units = units.saturating_mul(10).saturating_add(u64::from(b - b'0'));
        }
    }
    // The first two decimals, as hundredths: `.5` is 50, `.05` is 5.
    let (mut hundredths, mut scale) = (0, 10);
    for &b in frac_part {
        if b.is_ascii_digit() && scale > 0 {
            hundredths += u64::from(b - b'0') * scale;
            scale /= 10;
        }
    }
    Some(Number { units, hundredths })
}

fn to_minor(n: Number, currency: &str) -> u64 {
    match exponent(currency) {
        0 => n.units,
        _ => n.units.saturating_mul(100).saturating_add(n.hundredths),
    }
}

/// The word (letters) ending just before `byte`, skipping spaces: (word, its start).
fn word_before(text: &str, byte: usize) -> (&str, usize) {
    let head = text.get(..byte).unwrap_or("");
    let trimmed = trim_end(head, &[' ', '\u{a0}']);
    // Back over the letters one character at a time (`chars().next_back()`, which the wasm
    // has anyway, rather than a reversed `char_indices` searched by `find`).
    let mut start = trimmed.len();
    while let Some(c) = trimmed.get(..start).and_then(|head| head.chars().next_back()).filter(|&c| is_letter(c)) {
        start -= c.len_utf8();
    }
    (trimmed.get(start..).unwrap_or(""), start)
}

/// The word (letters) starting just after `byte`, skipping spaces: (word, its end).
fn word_after(text: &str, byte: usize) -> (&str, usize) {
    let tail = text.get(byte..).unwrap_or("");
    let skipped = tail.len() - trim_start(tail, &[' ', '\u{a0}']).len();
    let rest = tail.get(skipped..).unwrap_or("");
    let len = rest.find(|c: char| !is_letter(c)).unwrap_or(rest.len());
    (rest.get(..len).unwrap_or(""), byte + skipped + len)
}

fn code_of(word: &str) -> Option<&'static str> {
    words(CODES).find(|c| c.eq_ignore_ascii_case(word))
}

fn classify<'a>(text: &'a str, start: usize, end: usize, number: Option<Number>, site: &str) -> Option<Money<'a>> {
    let number = number?;
    let slice = |a: usize, b: usize| text.get(a..b).unwrap_or("");
    let mk = |currency: Option<&'static str>, a: usize, b: usize| {
        let minor = to_minor(number, currency.unwrap_or(site));
        Some(Money { minor, currency, evidence: slice(a, b) })
    };
    // A symbol just before, maybe after a space: `$250`, `€ 250`, `US$250`, `-$250`.
    let head = text.get(..start).unwrap_or("");
    let head_trim = trim_end(head, &[' ']);
    if let Some(c) = head_trim.chars().next_back() {
        if let Some(&(_, code)) = SYMBOLS.iter().find(|(s, _)| *s == c) {
            return mk(Some(code), head_trim.len() - c.len_utf8(), end);
        }
    }
    // A symbol just after: `250€`, `500£`, `250 €`.
    let tail = text.get(end..).unwrap_or("");
    let tail_trim = trim_start(tail, &[' ']);
    if let Some(c) = tail_trim.chars().next() {
        if let Some(&(_, code)) = SYMBOLS.iter().find(|(s, _)| *s == c) {
            return mk(Some(code), start, end + (tail.len() - tail_trim.len()) + c.len_utf8());
        }
    }
    // An ISO code or a currency name after: `250 EUR`, `480 dollars`.
    let (after, after_end) = word_after(text, end);
    if let Some(code) = code_of(after).or_else(|| pairs(NAMES).find(|(n, _)| n.eq_ignore_ascii_case(after)).map(|(_, c)| c)) {
        return mk(Some(code), start, after_end);
    }
    // An ISO code before: `USD 250`.
    let (before, before_start) = word_before(text, start);
    if let Some(code) = code_of(before) {
        return mk(Some(code), before_start, end);
    }
    // A money verb before a bare number: `charged me 250`, `refund of 250.00`.
    let is_unit = has(UNITS, after) || tail_trim.starts_with('%');
    if is_unit {
        return None;
    }
    let verb = |w: &str| has(MONEY_VERBS, w);
    if verb(before) {
        return mk(None, before_start, end);
    }
    if has(VERB_FILLER, before) {
        let (before2, start2) = word_before(text, before_start);
        if verb(before2) {
            return mk(None, start2, end);
        }
    }
    None
}

/// Counts of repeats: "twice" and "thrice", then the number words from two ("three times").
const COUNTS: &str = "twice thrice two three four five six seven eight nine ten";
/// Words allowed between a count and the amount it repeats ("twice for $45 each").
const COUNT_FILLER: &str = "for at of";

/// A bare number after a count and before `each`, in a message about a charge: `billed twice,
/// 89.99 each`. In the site's currency.
fn each<'a>(text: &'a str, start: usize, end: usize, number: Option<Number>, site_currency: &str) -> Option<Money<'a>> {
    let number = number?;
    let (after, _) = token_after(text, end);
    // A money verb earlier in the same clause ("billed twice, 89.99 each").
    let (mut word, mut at) = token_before(text, start);
    while !word.is_empty() && !has(MONEY_VERBS, word) {
        (word, at) = token_before(text, at);
    }
    if word.is_empty() || !has(EACH, after) || count_before(text, start).is_none() {
        return None;
    }
    Some(Money { minor: to_minor(number, site_currency), currency: None, evidence: text.get(start..end)? })
}

const EACH: &str = "each apiece";

/// The amount times the count beside it, with the count in the evidence: `$60 three times`,
/// `charged $75 twice`, `$40 x3`, `twice, 89.99 each`; `m` itself when nothing repeats it.
fn repeated<'a>(text: &'a str, m: Money<'a>) -> Money<'a> {
    let start = (m.evidence.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    let end = start + m.evidence.len();
    let (after, after_end) = token_after(text, end);
    let each = has(EACH, after);
    let later = if each { after_end } else { end };
    let (count, from, to) = match (count_at(text, later), count_before(text, start)) {
        (Some((n, to)), _) => (n, start, to),
        (None, Some((n, from))) if each => (n, from, after_end),
        _ => return m,
    };
    match text.get(from..to) {
        Some(evidence) => Money { minor: m.minor.saturating_mul(count), evidence, ..m },
        None => m,
    }
}

/// A count of times starting at `byte`: `twice`, `thrice`, `3 times`, `three times`, `x3`;
/// (count, end byte).
fn count_at(text: &str, byte: usize) -> Option<(u64, usize)> {
    let (word, end) = token_after(text, byte);
    if text.as_bytes().get(end) == Some(&b'-') {
        return None; // "twice-weekly"
    }
    let (n, needs_times) = count_word(word)?;
    let (times, times_end) = token_after(text, end);
    match needs_times {
        false => Some((n, end)),
        true => times.eq_ignore_ascii_case("times").then_some((n, times_end)),
    }
}

/// A count ending just before `byte`, perhaps with `for`/`at`/`of` between: (count, start).
fn count_before(text: &str, byte: usize) -> Option<(u64, usize)> {
    let (mut word, mut start) = token_before(text, byte);
    if has(COUNT_FILLER, word) {
        (word, start) = token_before(text, start);
    }
    let times = word.eq_ignore_ascii_case("times");
    if times {
        (word, start) = token_before(text, start);
    }
    let (n, needs_times) = count_word(word)?;
    (times == needs_times).then_some((n, start))
}

/// 2 to 20: `twice`, `thrice` and `x3` on their own; digits and number words before "times"
/// (the flag).
fn count_word(word: &str) -> Option<(u64, bool)> {
    let x = matches!(word.as_bytes().first(), Some(b'x' | b'X'));
    let (n, times) = match words(COUNTS).position(|w| w.eq_ignore_ascii_case(word)) {
        Some(p @ 0..=1) => (p + 2, false),
        Some(p) => (p, true),
        // The digit loop the protocol parser has (std's `u8` parser would add its own); a
        // number past 20 fails the range check below as it failed to parse before.
        None => (usize::try_from(crate::protocol::digits(word.get(usize::from(x)..)?.as_bytes())?).ok()?, !x),
    };
    (2..=20).contains(&n).then_some((n as u64, times))
}

/// The ASCII letters and digits after `byte`, skipping spaces and commas: (token, its end).
/// (Byte loops: std's pattern searches would add a generic instance each.)
fn token_after(text: &str, byte: usize) -> (&str, usize) {
    let b = text.as_bytes();
    let mut at = byte;
    while matches!(b.get(at), Some(b' ' | b',')) {
        at += 1;
    }
    let mut end = at;
    while b.get(end).is_some_and(u8::is_ascii_alphanumeric) {
        end += 1;
    }
    (text.get(at..end).unwrap_or(""), end)
}

/// The ASCII letters and digits before `byte`, skipping spaces and commas: (token, its start).
fn token_before(text: &str, byte: usize) -> (&str, usize) {
    let b = text.as_bytes();
    let mut end = byte;
    // Within a clause: "twice, 89.99 each", "twice: 89.99 each", "twice (89.99 each)".
    while end > 0 && matches!(b.get(end - 1), Some(b' ' | b',' | b':' | b'(')) {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && b.get(start - 1).is_some_and(u8::is_ascii_alphanumeric) {
        start -= 1;
    }
    (text.get(start..end).unwrap_or(""), start)
}

/// A letter, for currency words ("dollars", "euros"): ASCII exactly, any non-ASCII character
/// counts (no Unicode tables in the wasm).
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || !c.is_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(text: &str) -> Vec<(u64, Option<&'static str>, &str)> {
        find_money(text, "USD").into_iter().map(|m| (m.minor, m.currency, m.evidence)).collect()
    }

    type Found<'a> = (u64, Option<&'a str>, &'a str);

    #[test]
    fn money_forms() {
        let table: &[(&str, &[Found])] = &[
            ("I want my $250 back", &[(25000, Some("USD"), "$250")]),
            ("refund 1,250.00 USD", &[(125000, Some("USD"), "1,250.00 USD")]),
            ("das waren 1.250,00 € zu viel", &[(125000, Some("EUR"), "1.250,00 €")]),
            ("USD 250 missing", &[(25000, Some("USD"), "USD 250")]),
            ("250 EUR please", &[(25000, Some("EUR"), "250 EUR")]),
            ("I paid 480 dollars", &[(48000, Some("USD"), "480 dollars")]),
            ("200 bucks gone", &[(20000, Some("USD"), "200 bucks")]),
            ("300 euros", &[(30000, Some("EUR"), "300 euros")]),
            ("a 500£ cash withdrawal", &[(50000, Some("GBP"), "500£")]),
            ("£ 99.99", &[(9999, Some("GBP"), "£ 99.99")]),
            ("they took $2k", &[(200000, Some("USD"), "$2k")]),
            ("¥5000", &[(5000, Some("JPY"), "¥5000")]),
            ("charged me 250 twice", &[(50000, None, "charged me 250 twice")]),
            ("a refund of 120.50", &[(12050, None, "refund of 120.50")]),
            ("$12,5", &[(1250, Some("USD"), "$12,5")]),
            ("$1.250", &[(125000, Some("USD"), "$1.250")]),
            // Repeated charges count in full.
            ("charged $60 three times", &[(18000, Some("USD"), "$60 three times")]),
            ("they took $75 twice", &[(15000, Some("USD"), "$75 twice")]),
            ("$40 x3 on my statement", &[(12000, Some("USD"), "$40 x3")]),
            ("charged me 55 4 times", &[(22000, None, "charged me 55 4 times")]),
            ("I was billed twice, 89.99 each", &[(17998, None, "twice, 89.99 each")]),
            // Review: a colon or a bracket between them ended the clause.
            ("I was charged twice: 89.99 each", &[(17998, None, "twice: 89.99 each")]),
            ("billed twice (89.99 each)", &[(17998, None, "twice (89.99 each")]),
            ("charged three times for $45 each", &[(13500, Some("USD"), "three times for $45 each")]),
            ("$30 each, twice", &[(6000, Some("USD"), "$30 each, twice")]),
            ("$99 x 1", &[(9900, Some("USD"), "$99")]),
            ("$50 twice-weekly", &[(5000, Some("USD"), "$50")]),
        ];
        for (text, want) in table {
            assert_eq!(amounts(text), *want, "{text:?}");
        }
    }

    #[test]
    fn not_money() {
        for text in [
            "order 12345 hasn't arrived",
            "it has been 2 weeks",
            "I paid 3 times",
            "charged 20%",
            "my pin is 1234",
            "call 555-1234",
            "version 2.5.1",
            "I ordered twice, 2 each",
            "it broke twice, 150 each time",
            "a4 paper",
            "",
        ] {
            assert_eq!(amounts(text), [], "{text:?}");
        }
    }

    #[test]
    fn huge_numbers_saturate() {
        let m = find_money("$99999999999999999999999999", "USD");
        assert_eq!(m.first().map(|m| m.minor), Some(u64::MAX));
    }

    /// Review: a bare repeated amount was counted in cents whatever the site's currency, so
    /// "3000 each" in yen was 100 times too much and escalated a ¥6,000 charge.
    #[test]
    fn a_bare_repeated_amount_is_in_the_sites_currency() {
        for text in ["I was billed twice, 3000 each", "I was charged 3000 twice"] {
            let m = find_money(text, "JPY");
            assert_eq!(m.iter().map(|m| m.minor).collect::<Vec<_>>(), [6000], "{text}");
        }
    }
}
