//! The handoff package's `summary_text`: the playbook's ESCALATION SUMMARY block, plain text an
//! agent reads in 30 seconds in any helpdesk, then the whole conversation. Says "not provided"
//! for whatever the widget does not know; never invents. Also the UTC date formatting it uses
//! (integer arithmetic, no date library in the wasm).

use super::package::{reason_text, type_words, Package};
use super::scan;
use crate::conversation::{Message, Role};
use crate::json::write_int;

const NOT_PROVIDED: &str = "not provided";
/// The first customer message is quoted up to this many characters.
const MAX_QUOTE: usize = 160;

/// Appends `label` then the value, or "not provided" when absent or blank.
fn field(s: &mut String, label: &str, v: &Option<String>) {
    s.push_str(label);
    s.push_str(or_np(v));
}

/// The value, or "not provided" when absent or blank.
fn or_np(v: &Option<String>) -> &str {
    given(v).unwrap_or(NOT_PROVIDED)
}

/// Whether any of `values` is given.
fn any_given(values: &[&Option<String>]) -> bool {
    values.iter().any(|v| given(v).is_some())
}

/// The value, unless absent or blank.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|v| !v.trim().is_empty())
}

/// Writes the summary for an assembled package (everything but `summary_text` filled).
pub fn text(p: &Package, messages: &[Message]) -> String {
    let mut s = String::from("ESCALATION SUMMARY\nReason: ");
    let a = &p.assessment;

    // Reason and priority.
    for (i, r) in a.reasons.iter().enumerate() {
        s.push_str(if i > 0 { ", " } else { "" });
        s.push_str(reason_text(r.code).0);
    }
    match a.reasons.first() {
        Some(first) => {
            s.push_str(" — \"");
            s.push_str(&first.evidence);
            s.push_str("\"\n");
        }
        None => {
            s.push_str(NOT_PROVIDED);
            s.push('\n');
        }
    }
    s.push_str("Priority: ");
    for b in crate::encode::priority_name(a.urgency).bytes() {
        s.push(char::from(b.to_ascii_uppercase()));
    }
    s.push_str(" (");
    s.push_str(type_words(a.kind));
    if let Some(first) = a.reasons.first() {
        s.push_str(": ");
        s.push_str(reason_text(first.code).0);
    }

    let c = &p.customer;
    // Nothing known is said once, not once per field ("not provided (not provided)").
    if any_given(&[&c.name, &c.email]) {
        field(&mut s, ")\nCustomer: ", &c.name);
        field(&mut s, " (", &c.email);
        s.push(')');
    } else {
        s.push_str(")\nCustomer: not provided");
    }
    if any_given(&[&c.tier, &c.account_status, &c.customer_since, &c.account_id]) {
        field(&mut s, "\nAccount: ", &c.tier);
        field(&mut s, ", ", &c.account_status);
        field(&mut s, ", customer since ", &c.customer_since);
        if let Some(id) = given(&c.account_id) {
            s.push_str(" (id ");
            s.push_str(id);
            s.push(')');
        }
    } else {
        s.push_str("\nAccount: not provided");
    }
    // Left while nobody could take the case (or during a long wait): how the team replies.
    match &p.contact {
        Some(super::package::Contact::Email(email)) => {
            s.push_str("\nReply by email to: ");
            s.push_str(email);
        }
        Some(super::package::Contact::Callback { phone }) => {
            s.push_str("\nCall back on: ");
            s.push_str(phone);
        }
        None => {}
    }
    s.push_str("\nPrevious tickets: ");
    match c.previous_interactions {
        Some(n) => write_int(&mut s, i64::from(n)),
        None => s.push_str(NOT_PROVIDED),
    }

    s.push_str("\nIssue details:\n- What failed: ");
    match messages.iter().find(|m| m.role == Role::Customer) {
        Some(m) => {
            let text = m.text.trim();
            let quote = scan::clip(text, MAX_QUOTE);
            s.push('"');
            s.push_str(quote);
            s.push_str(if quote.len() < text.len() { "…" } else { "" });
            s.push_str("\"\n- When: ");
            utc_into(&mut s, m.at);
            s.push_str(" UTC");
        }
        None => {
            s.push_str(NOT_PROVIDED);
            s.push_str("\n- When: ");
            s.push_str(NOT_PROVIDED);
        }
    }
    let t = &p.technical;
    s.push_str("\n- Errors: ");
    if t.errors.is_empty() {
        s.push_str("none mentioned");
    }
    for (i, e) in t.errors.iter().enumerate() {
        s.push_str(if i > 0 { ", " } else { "" });
        s.push_str(e.code.as_deref().unwrap_or(&e.message));
    }
    if let Some(card) = scan::card(messages) {
        s.push_str("\n- Card: ");
        s.push_str(card);
    }
    if let Some(order) = scan::order(messages) {
        s.push_str("\n- Order: ");
        s.push_str(&order);
    }
    field(&mut s, "\n- Page: ", &t.page_url);
    if any_given(&[&t.browser, &t.os, &t.device]) {
        field(&mut s, "\n- Browser: ", &t.browser);
        field(&mut s, " on ", &t.os);
        field(&mut s, " (", &t.device);
        s.push(')');
    } else {
        s.push_str("\n- Browser: not provided");
    }
    s.push_str("\nWhat the AI attempted:\n");
    if t.attempts.is_empty() {
        // QA: "nothing yet" after three answers to a repeated question.
        let mut answers = 0;
        for m in messages {
            answers += usize::from(m.role == Role::Ai);
        }
        if answers == 0 {
            s.push_str("- nothing yet\n");
        } else {
            s.push_str("- answered ");
            write_int(&mut s, answers as i64);
            s.push_str(if answers == 1 { " time" } else { " times" });
            s.push_str(", no troubleshooting steps (see the conversation below)\n");
        }
    }
    for (i, at) in t.attempts.iter().enumerate() {
        let result = match at.worked {
            Some(true) => "worked",
            Some(false) => "did not work",
            None => "no feedback",
        };
        numbered(&mut s, i, &at.step);
        s.push_str(" — ");
        s.push_str(result);
        s.push('\n');
    }
    s.push_str("Next steps:\n");
    for (i, step) in a.next_steps.iter().enumerate() {
        numbered(&mut s, i, step);
        s.push('\n');
    }

    s.push_str("\nConversation:\n");
    for m in messages {
        let who = match m.role {
            Role::Customer => "Customer",
            Role::Ai => "AI",
            Role::Agent => m.author.as_deref().unwrap_or("Agent"),
            Role::System => "System",
        };
        s.push('[');
        hh_mm_into(&mut s, m.at);
        s.push_str("] ");
        s.push_str(who);
        s.push_str(": ");
        // Continuation lines are indented so each message still starts with its time.
        for c in m.text.trim().chars() {
            if c == '\n' {
                s.push_str("\n    ");
            } else {
                s.push(c);
            }
        }
        s.push('\n');
    }
    s
}

/// "3. text" for item `i` (from 0).
fn numbered(s: &mut String, i: usize, text: &str) {
    write_int(s, i as i64 + 1);
    s.push_str(". ");
    s.push_str(text);
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, the inverse of `protocol::days_from_civil`).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Appends `v` zero-padded to `width` characters, sign included (as `{:0width$}` would).
fn pad(out: &mut String, v: i64, width: usize) {
    let n = v.abs(); // never i64::MIN: a year or a minute count
    let (mut len, mut t) = (usize::from(v < 0) + 1, n);
    while t >= 10 {
        t /= 10;
        len += 1;
    }
    if v < 0 {
        out.push('-');
    }
    for _ in len..width {
        out.push('0');
    }
    write_int(out, n);
}

/// Appends "2026-11-22 03:15" for milliseconds since the Unix epoch (UTC).
fn utc_into(out: &mut String, ms: i64) {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    pad(out, y, 4);
    out.push('-');
    pad(out, i64::from(m), 2);
    out.push('-');
    pad(out, i64::from(d), 2);
    out.push(' ');
    hh_mm_into(out, ms);
}

/// Appends "03:15", the UTC time of day.
fn hh_mm_into(out: &mut String, ms: i64) {
    let minutes = ms.div_euclid(60_000).rem_euclid(1_440);
    pad(out, minutes / 60, 2);
    out.push(':');
    pad(out, minutes % 60, 2);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::days_from_civil;

    fn utc(ms: i64) -> String {
        let mut s = String::new();
        utc_into(&mut s, ms);
        s.push_str(" UTC");
        s
    }

    fn hh_mm(ms: i64) -> String {
        let mut s = String::new();
        hh_mm_into(&mut s, ms);
        s
    }

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        let at = (days_from_civil(2026, 11, 22) * 86_400 + 3 * 3_600 + 15 * 60 + 59) * 1_000 + 999;
        assert_eq!(utc(at), "2026-11-22 03:15 UTC");
        assert_eq!(utc((days_from_civil(2024, 2, 29) * 86_400) * 1_000), "2024-02-29 00:00 UTC");
        assert_eq!(utc(-1), "1969-12-31 23:59 UTC");
        assert_eq!(hh_mm(86_400_000 - 60_000), "23:59");
    }

    #[test]
    fn padding_matches_the_standard_formatter() {
        for v in [-123_456, -1_000, -123, -5, 0, 7, 42, 999, 2026, 12_345, 292_277_026] {
            let mut s = String::new();
            pad(&mut s, v, 4);
            assert_eq!(s, format!("{v:04}"));
        }
    }

    #[test]
    fn civil_from_days_inverts_days_from_civil() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, i64::from(m), i64::from(d)), days);
        }
        // Extremes do not panic.
        let _ = utc(i64::MIN);
        let _ = utc(i64::MAX);
    }
}
