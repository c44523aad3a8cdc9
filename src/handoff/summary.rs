//! The handoff package's `summary_text`: the playbook's ESCALATION SUMMARY block, plain text an
//! agent reads in 30 seconds in any helpdesk, then the whole conversation. Says "not provided"
//! for whatever the widget does not know; never invents. Also the UTC date formatting it uses
//! (integer arithmetic, no date library in the wasm).

use super::package::{describe, priority_name, type_words, Package};
use super::scan;
use crate::conversation::{Message, Role};
use std::fmt::Write;

const NOT_PROVIDED: &str = "not provided";
/// The first customer message is quoted up to this many characters.
const MAX_QUOTE: usize = 160;

/// Writes the summary for an assembled package (everything but `summary_text` filled).
pub fn text(p: &Package, messages: &[Message]) -> String {
    let mut s = String::from("ESCALATION SUMMARY\n");
    let or_np = |v: &Option<String>| v.as_deref().filter(|v| !v.trim().is_empty()).unwrap_or(NOT_PROVIDED).to_owned();
    let a = &p.assessment;
    let words: Vec<&str> = a.reasons.iter().map(|r| describe(r.code).1).collect();

    // Reason and priority. `write!` to a String cannot fail.
    let _ = match a.reasons.first() {
        Some(first) => writeln!(s, "Reason: {} — \"{}\"", words.join(", "), first.evidence),
        None => writeln!(s, "Reason: {NOT_PROVIDED}"),
    };
    let mut why = String::from(type_words(a.kind));
    if let Some(w) = words.first() {
        why.push_str(": ");
        why.push_str(w);
    }
    let _ = writeln!(s, "Priority: {} ({why})", priority_name(a.urgency).to_ascii_uppercase());

    let c = &p.customer;
    let _ = writeln!(s, "Customer: {} ({})", or_np(&c.name), or_np(&c.email));
    let mut account = format!("Account: {}, {}, customer since {}", or_np(&c.tier), or_np(&c.account_status), or_np(&c.customer_since));
    if let Some(id) = c.account_id.as_deref().filter(|v| !v.trim().is_empty()) {
        let _ = write!(account, " (id {id})");
    }
    let _ = writeln!(s, "{account}");
    let _ = match c.previous_interactions {
        Some(n) => writeln!(s, "Previous tickets: {n}"),
        None => writeln!(s, "Previous tickets: {NOT_PROVIDED}"),
    };

    s.push_str("Issue details:\n");
    let first = messages.iter().find(|m| m.role == Role::Customer);
    match first {
        Some(m) => {
            let quote = scan::clip(m.text.trim(), MAX_QUOTE);
            let more = if quote.len() < m.text.trim().len() { "…" } else { "" };
            let _ = writeln!(s, "- What failed: \"{quote}{more}\"\n- When: {}", utc(m.at));
        }
        None => {
            let _ = writeln!(s, "- What failed: {NOT_PROVIDED}\n- When: {NOT_PROVIDED}");
        }
    }
    let t = &p.technical;
    let codes: Vec<&str> = t.errors.iter().map(|e| e.code.as_deref().unwrap_or(&e.message)).collect();
    let _ = writeln!(s, "- Errors: {}", if codes.is_empty() { "none mentioned".into() } else { codes.join(", ") });
    if let Some(card) = scan::card(messages) {
        let _ = writeln!(s, "- Card: {card}");
    }
    if let Some(order) = scan::order(messages) {
        let _ = writeln!(s, "- Order: {order}");
    }
    let _ = writeln!(s, "- Page: {}", or_np(&t.page_url));
    let _ = writeln!(s, "- Browser: {} on {} ({})", or_np(&t.browser), or_np(&t.os), or_np(&t.device));

    s.push_str("What the AI attempted:\n");
    if t.attempts.is_empty() {
        s.push_str("- nothing yet\n");
    }
    for (i, at) in t.attempts.iter().enumerate() {
        let result = match at.worked {
            Some(true) => "worked",
            Some(false) => "did not work",
            None => "no feedback",
        };
        let _ = writeln!(s, "{}. {} — {result}", i + 1, at.step);
    }
    s.push_str("Next steps:\n");
    for (i, step) in a.next_steps.iter().enumerate() {
        let _ = writeln!(s, "{}. {step}", i + 1);
    }

    s.push_str("\nConversation:\n");
    for m in messages {
        let who = match m.role {
            Role::Customer => "Customer",
            Role::Ai => "AI",
            Role::Agent => m.author.as_deref().unwrap_or("Agent"),
            Role::System => "System",
        };
        // Continuation lines are indented so each message still starts with its time.
        let _ = writeln!(s, "[{}] {who}: {}", hh_mm(m.at), m.text.trim().replace('\n', "\n    "));
    }
    s
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

/// "2026-11-22 03:15 UTC" for milliseconds since the Unix epoch.
pub fn utc(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02} {} UTC", hh_mm(ms))
}

/// "03:15", the UTC time of day.
pub fn hh_mm(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(1_440);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::days_from_civil;

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
