//! The summary emailed to the customer when their case is created, through the site's mail
//! command (`--mail-command`, e.g. `sendmail -t -i`): a plain-text RFC 5322 message on its
//! standard input. The widget says "We've emailed a summary" only when this succeeded.

use serde_json::Value;
use std::collections::VecDeque;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long the mail command may take: the customer's escalation waits for it.
const MAIL_TIMEOUT: Duration = Duration::from_secs(5);

/// The customer's messages quoted in the email, at most; the agent has the whole transcript.
const MAX_QUOTED: usize = 20;

/// A mail command: the program and its arguments, split on whitespace (no shell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailer {
    pub argv: Vec<String>,
}

impl Mailer {
    pub fn parse(command: &str) -> Option<Mailer> {
        let argv: Vec<String> = command.split_whitespace().map(String::from).collect();
        (!argv.is_empty()).then_some(Mailer { argv })
    }

    /// Runs the command with `message` on its standard input; Ok when it exits 0 in time.
    pub fn send(&self, message: &str) -> Result<(), String> {
        let (program, args) = self.argv.split_first().ok_or("empty mail command")?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        let deadline = Instant::now() + MAIL_TIMEOUT;
        // Written from another thread: a command that does not read a message larger than the
        // pipe would block the write, and the deadline must hold all the same. The writer ends
        // when the command exits or is killed (a broken pipe).
        let writer = child.stdin.take().map(|mut stdin| {
            let message = message.to_owned();
            std::thread::spawn(move || stdin.write_all(message.as_bytes()))
        });
        loop {
            match child.try_wait().map_err(|e| format!("{program}: {e}"))? {
                // Sent only if the command also took the whole message.
                Some(status) if status.success() => return written(writer, deadline).map_err(|e| format!("{program}: {e}")),
                Some(status) => return Err(format!("{program} exited with {status}")),
                None if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("{program} took longer than {} s", MAIL_TIMEOUT.as_secs()));
                }
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
}

/// Whether the mail command took the whole message: the writer's result, waited for no
/// later than the deadline (a command that exited may have left a child holding its input).
fn written(writer: Option<JoinHandle<std::io::Result<()>>>, deadline: Instant) -> Result<(), String> {
    let Some(writer) = writer else { return Ok(()) };
    while !writer.is_finished() {
        if Instant::now() >= deadline {
            return Err(String::from("the message was not read"));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    match writer.join() {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err(String::from("the message writer failed")),
    }
}

/// One plain address, safe in a header: no spaces, quotes, brackets, commas or line breaks.
fn plain_address(email: &str) -> Option<&str> {
    let email = email.trim();
    let (local, domain) = email.split_once('@')?;
    let safe = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic() && !"<>()[]\\,;:\"@".contains(c));
    (email.len() <= 254 && safe(local) && safe(domain) && domain.contains('.')).then_some(email)
}

/// How many summaries one address, and all addresses together, get per [`LIMIT_WINDOW`]: the
/// escalation endpoint is open to anyone, and must not become a way to mail strangers or to
/// flood the site's mail relay.
pub const PER_ADDRESS: usize = 3;
pub const IN_TOTAL: usize = 100;
pub const LIMIT_WINDOW: Duration = Duration::from_secs(3600);

/// The summaries sent lately (bounded by [`IN_TOTAL`]), to keep within the limits above.
#[derive(Default)]
pub struct Limit {
    sent: Mutex<VecDeque<(Instant, String)>>,
}

impl Limit {
    /// Whether a summary to `to` may go now; if so, it is counted.
    pub fn allow(&self, to: &str, now: Instant) -> bool {
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        while sent.front().is_some_and(|(at, _)| now.duration_since(*at) >= LIMIT_WINDOW) {
            sent.pop_front();
        }
        let to = to.to_ascii_lowercase();
        if sent.len() >= IN_TOTAL || sent.iter().filter(|(_, a)| *a == to).count() >= PER_ADDRESS {
            return false;
        }
        sent.push_back((now, to));
        true
    }
}

/// Where a package's summary would go: the customer's email, if it is a plain address.
pub fn recipient(package: &Value) -> Option<String> {
    plain_address(package.pointer("/customer/email")?.as_str()?).map(String::from)
}

/// The message for a new case, or `None` when the package has no usable email address.
pub fn summary_message(package: &Value, case_number: &str) -> Option<String> {
    let to = recipient(package)?;
    let name = package.pointer("/customer/name").and_then(Value::as_str).map(str::trim).filter(|n| !n.is_empty());
    let said: Vec<&str> = package
        .pointer("/conversation/messages")
        .and_then(Value::as_array)
        .map(|messages| {
            messages
                .iter()
                .filter(|m| m.get("role").and_then(Value::as_str) == Some("customer"))
                .filter_map(|m| m.get("text").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    let mut body = format!("Hi{},\r\n\r\n", name.map(|n| format!(" {}", one_line(n))).unwrap_or_default());
    body += &format!(
        "Thanks for contacting us. Your case number is {case_number}. A person from our team will \
         take it from here, with the whole conversation in front of them.\r\n"
    );
    if !said.is_empty() {
        body += "\r\nWhat you told us, so you won't need to repeat it:\r\n\r\n";
        let skipped = said.len().saturating_sub(MAX_QUOTED);
        if skipped > 0 {
            body += &format!("  (… {skipped} earlier messages)\r\n");
        }
        for text in &said[skipped..] {
            body += &format!("  > {}\r\n", one_line(text));
        }
    }
    Some(format!(
        "To: {to}\r\nSubject: Your support case {case_number}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}"
    ))
}

/// Text on one line: a customer's line breaks could otherwise start a line with "." or "From ".
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_plain_addresses_reach_the_to_header() {
        assert_eq!(plain_address(" ana@example.com "), Some("ana@example.com"));
        for bad in ["ana@example.com\r\nBcc: x@evil.test", "Ana <ana@example.com>", "a,b@example.com", "ana@localhost", "ana", "@example.com"] {
            assert_eq!(plain_address(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_message_quotes_the_customer_on_single_lines() {
        let package = json!({
            "customer": {"name": "Ana", "email": "ana@example.com"},
            "conversation": {"messages": [
                {"role": "customer", "text": "My export is empty\r\nBcc: x@evil.test"},
                {"role": "ai", "text": "Try again"},
                {"role": "customer", "text": "Still empty"},
            ]},
        });
        let m = summary_message(&package, "BT-1001").unwrap_or_default();
        assert!(m.starts_with("To: ana@example.com\r\nSubject: Your support case BT-1001\r\n"), "{m}");
        assert!(m.contains("Hi Ana,") && m.contains("  > My export is empty Bcc: x@evil.test\r\n  > Still empty\r\n"), "{m}");
        assert!(!m.contains("Try again"), "the assistant's words are not the customer's");
        assert_eq!(summary_message(&json!({"customer": {"name": "Ana"}}), "BT-1"), None);
    }

    /// A message larger than a pipe holds (64 KB): the command must read it all to succeed,
    /// and one that never reads is stopped at the deadline, not when it exits on its own (the
    /// write used to block the escalation until then).
    #[test]
    fn the_deadline_holds_while_the_message_is_written() {
        let big = "x".repeat(300_000);
        let run = |command: &str| Mailer::parse(command).map(|m| m.send(&big));
        assert_eq!(run("cat"), Some(Ok(())));
        assert!(matches!(run("true"), Some(Err(e)) if e.contains("true: ")), "exited without reading");
        let stuck = run("sleep 30");
        assert!(matches!(&stuck, Some(Err(e)) if e.contains("longer than 5 s")), "{stuck:?}");
    }

    /// Anyone can post an escalation with any email: one address gets at most a few summaries
    /// an hour, and all of them together at most a relay-friendly number.
    #[test]
    fn summaries_are_limited_per_address_and_in_total_each_hour() {
        let limit = Limit::default();
        let t0 = Instant::now();
        let sent = |to: &str, at: Instant| limit.allow(to, at);
        for _ in 0..PER_ADDRESS {
            assert!(sent("dana@example.com", t0));
        }
        assert!(!sent("DANA@example.com", t0), "the same address, whatever its case");
        assert!(sent("eve@example.com", t0), "other addresses still get theirs");
        assert!(!sent("dana@example.com", t0 + LIMIT_WINDOW - Duration::from_secs(1)));
        assert!(sent("dana@example.com", t0 + LIMIT_WINDOW), "an hour later, again");

        let limit = Limit::default();
        for i in 0..IN_TOTAL {
            assert!(limit.allow(&format!("c{i}@example.com"), t0));
        }
        assert!(!limit.allow("new@example.com", t0 + Duration::from_secs(60)));
        assert!(limit.allow("new@example.com", t0 + LIMIT_WINDOW));
    }
}
