//! The widget's side of the HTTP contract (docs/protocol.md): the requests the core asks its
//! driver to make, and the typed, validated replies and failures that come back as inputs.

use crate::json::{self, Obj, Value};
use crate::policy::Priority;
use crate::table::Cat;
use serde::{Deserialize, Serialize};

/// Identifies one request the core asked for; its result comes back tagged with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RequestId(pub u64);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request for the driver to make. The core computes the path and the body; the driver
/// only prefixes the endpoint, serialises the body as JSON and reports back.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub id: RequestId,
    pub call: Call,
    /// How long the driver may wait before giving up (the core also times it out itself).
    pub timeout_ms: u64,
}

/// What a request is for; decides its method, path, body and how its reply is parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    /// A customer turn for the AI.
    /// `locale`: the widget's language tag, or empty.
    BotTurn { conversation_id: String, message_id: String, text: String, locale: String },
    /// Whether anyone can take over, and the wait a case of this priority would get (it
    /// joins the queue behind every case of its priority or higher).
    Availability { priority: Priority },
    /// The handoff package (`body`, JSON), idempotent on `key`.
    Escalate { key: String, body: String },
    /// Queue status of a case.
    CaseStatus { case_id: String },
    /// Agent (and system) messages after sequence number `after`.
    CaseMessages { case_id: String, after: u64 },
    /// A customer message for the agent; a retry with the same `message_id` is stored once.
    /// `priority`: what the customer said since the case was made is this urgent (an
    /// emergency while waiting); the backend raises the case to it, never lowers it.
    CustomerToAgent { case_id: String, message_id: String, text: String, priority: Option<Priority> },
    /// Handoff satisfaction, 1 to 5.
    Csat { case_id: String, score: u8 },
}

/// The kind of reply a call expects, so the driver knows what to parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyKind {
    Bot,
    Availability,
    Case,
    CaseMessages,
    /// Nothing the core reads (201 with the stored object, or 204).
    Empty,
}

impl Call {
    pub fn method(&self) -> Method {
        match self {
            Call::Availability { .. } | Call::CaseStatus { .. } | Call::CaseMessages { .. } => Method::Get,
            _ => Method::Post,
        }
    }

    /// The path under the endpoint, with ids percent-encoded.
    pub fn path(&self) -> String {
        match self {
            Call::BotTurn { conversation_id, .. } => {
                ["/v1/conversations/", &encode_segment(conversation_id), "/messages"].cat()
            }
            Call::Availability { priority } => ["/v1/availability?priority=", crate::encode::priority_name(*priority)].cat(),
            Call::Escalate { .. } => String::from("/v1/escalations"),
            Call::CaseStatus { case_id } => ["/v1/cases/", &encode_segment(case_id)].cat(),
            Call::CaseMessages { case_id, after } => {
                ["/v1/cases/", &encode_segment(case_id), "/messages?after=", &json::int_text(*after as i64)].cat()
            }
            Call::CustomerToAgent { case_id, .. } => ["/v1/cases/", &encode_segment(case_id), "/messages"].cat(),
            Call::Csat { case_id, .. } => ["/v1/cases/", &encode_segment(case_id), "/csat"].cat(),
        }
    }

    /// The JSON body, written by hand (small in the wasm, and exactly the documented shape).
    pub fn body(&self) -> Option<String> {
        let mut out = String::new();
        match self {
            Call::BotTurn { text, message_id, .. } | Call::CustomerToAgent { text, message_id, .. } => {
                out.push_str("{\"text\":");
                json::write_str(&mut out, text);
                out.push_str(",\"message_id\":");
                json::write_str(&mut out, message_id);
                if let Call::CustomerToAgent { priority: Some(p), .. } = self {
                    out.push_str(",\"priority\":");
                    json::write_str(&mut out, crate::encode::priority_name(*p));
                }
                if let Call::BotTurn { locale, .. } = self {
                    if !locale.is_empty() {
                        out.push_str(",\"locale\":");
                        json::write_str(&mut out, locale);
                    }
                }
                out.push('}');
            }
            Call::Escalate { body, .. } => out.push_str(body),
            Call::Csat { score, .. } => {
                out.push_str("{\"score\":");
                out.push(char::from(b'0' + (*score).min(9)));
                out.push('}');
            }
            Call::Availability { .. } | Call::CaseStatus { .. } | Call::CaseMessages { .. } => return None,
        }
        Some(out)
    }

    pub fn reply_kind(&self) -> ReplyKind {
        match self {
            Call::BotTurn { .. } => ReplyKind::Bot,
            Call::Availability { .. } => ReplyKind::Availability,
            Call::Escalate { .. } | Call::CaseStatus { .. } => ReplyKind::Case,
            Call::CaseMessages { .. } => ReplyKind::CaseMessages,
            Call::CustomerToAgent { .. } | Call::Csat { .. } => ReplyKind::Empty,
        }
    }

    /// The one extra request header some calls carry.
    pub fn header(&self) -> Option<(&'static str, &str)> {
        match self {
            Call::Escalate { key, .. } => Some(("Idempotency-Key", key)),
            _ => None,
        }
    }
}

/// `GET /v1/availability`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Availability {
    pub open: bool,
    pub agents_online: u32,
    pub wait_seconds: u32,
    /// When support opens again (wall-clock ms), if closed.
    pub next_open_at: Option<i64>,
}

/// Where a case is in the queue (`POST /v1/escalations`, `GET /v1/cases/{id}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseStatus {
    pub case_id: String,
    pub case_number: Option<String>,
    pub status: CaseState,
    pub position: Option<u32>,
    pub wait_seconds: Option<u32>,
    pub agent: Option<String>,
    /// The backend emailed the customer a summary (only ever claimed when it says so).
    pub summary_emailed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseState {
    Queued,
    Assigned,
    Resolved,
}

/// One message of a case, from `GET /v1/cases/{id}/messages`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseMessage {
    pub seq: u64,
    pub role: crate::conversation::Role,
    pub author: Option<String>,
    pub text: String,
    pub at: i64,
    /// For a system message: what happened (`agent_joined`, `resolved`), which the widget says
    /// in its own language instead of `text`.
    pub event: Option<String>,
}

impl Availability {
    pub fn from_json(v: &Value) -> Result<Availability, String> {
        let o = Obj::new(v, "")?;
        Ok(Availability {
            open: o.opt_bool("open")?.ok_or("field `open` is missing")?,
            agents_online: o.opt_int("agents_online", 0, i64::from(u32::MAX))?.unwrap_or(0) as u32,
            wait_seconds: o.int("wait_seconds", 0, i64::from(u32::MAX))? as u32,
            next_open_at: o.opt_int("next_open_at", 0, i64::MAX)?,
        })
    }
}

impl CaseStatus {
    pub fn from_json(v: &Value) -> Result<CaseStatus, String> {
        let o = Obj::new(v, "")?;
        // Every field is read (borrowed) before anything is built: see `Obj::opt_text`.
        let status = o.text("status")?;
        let agent = match o.opt("agent") {
            Some(a) => name(&Obj::new(a, "agent")?, "name")?,
            None => None,
        };
        let case_id = o.text("case_id")?;
        let case_number = o.opt_text("case_number")?;
        let status = match status {
            "queued" => CaseState::Queued,
            "assigned" => CaseState::Assigned,
            "resolved" => CaseState::Resolved,
            _ => return Err(String::from("field `status` must be queued, assigned or resolved")),
        };
        let position = o.opt_int("position", 0, i64::from(u32::MAX))?.map(|n| n as u32);
        let wait_seconds = o.opt_int("wait_seconds", 0, i64::from(u32::MAX))?.map(|n| n as u32);
        let summary_emailed = o.opt_bool("summary_emailed")?.unwrap_or(false);
        Ok(CaseStatus {
            case_id: case_id.to_owned(),
            case_number: case_number.map(str::to_owned),
            status,
            position,
            wait_seconds,
            agent: agent.map(str::to_owned),
            summary_emailed,
        })
    }
}

/// A person's name, if given: a blank one is none (the widget says "Agent"), so a name is
/// never empty once someone joined.
fn name<'a>(o: &Obj<'a>, key: &str) -> Result<Option<&'a str>, String> {
    Ok(o.opt_text(key)?.filter(|n| !n.trim().is_empty()))
}

fn case_messages_from_json(v: &Value) -> Result<Vec<CaseMessage>, String> {
    let o = Obj::new(v, "")?;
    let items = o.opt("messages").and_then(Value::items).ok_or("field `messages` must be an array")?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let m = Obj::new(item, "messages[]")?;
        // Read (borrowed) before anything is built: see `Obj::opt_text`.
        let role = m.text("role")?;
        let seq = m.int("seq", 0, i64::MAX)? as u64;
        let role = crate::conversation::Role::parse(role).ok_or("field `messages[].role` is not a role")?;
        let author = name(&m, "author")?;
        let text = m.text("text")?;
        let at = m.int("at", i64::MIN, i64::MAX)?;
        let event = m.opt_text("event")?;
        out.push(CaseMessage {
            seq,
            role,
            author: author.map(str::to_owned),
            text: text.to_owned(),
            at,
            event: event.map(str::to_owned),
        });
    }
    Ok(out)
}

/// The bot's answer to a customer turn, as the backend sends it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct BotReply {
    pub text: String,
    pub confidence: f64,
    #[serde(default)]
    pub intent: Option<String>,
    #[serde(default)]
    pub step: Option<String>,
    #[serde(default)]
    pub resolved: bool,
}

impl BotReply {
    /// Rejects replies the core cannot use, naming the field.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.confidence) {
            return Err(String::from("field `confidence` must be a number from 0 to 1"));
        }
        if self.text.trim().is_empty() {
            return Err(String::from("field `text` must not be empty"));
        }
        Ok(())
    }
}

impl BotReply {
    pub fn from_json(v: &Value) -> Result<BotReply, String> {
        let o = Obj::new(v, "")?;
        // Every field is read (borrowed) before anything is built: see `Obj::opt_text`.
        let text = o.text("text")?;
        let confidence = o.f64("confidence")?;
        let intent = o.opt_text("intent")?;
        let step = o.opt_text("step")?;
        let resolved = o.opt_bool("resolved")?.unwrap_or(false);
        let reply = BotReply {
            text: text.to_owned(),
            confidence,
            intent: intent.map(str::to_owned),
            step: step.map(str::to_owned),
            resolved,
        };
        reply.validate()?;
        Ok(reply)
    }
}

/// Parses a successful response body by the kind of reply its call expects. Whatever is wrong
/// comes back as `Failure::Malformed`, naming the field.
pub fn parse_reply(kind: ReplyKind, body: &str) -> Outcome {
    if kind == ReplyKind::Empty {
        return Ok(Reply::Empty);
    }
    let value = json::parse(body).map_err(Failure::Malformed)?;
    let (what, parsed) = match kind {
        ReplyKind::Empty => return Ok(Reply::Empty),
        ReplyKind::Bot => ("bot reply", BotReply::from_json(&value).map(Reply::Bot)),
        ReplyKind::Availability => ("availability", Availability::from_json(&value).map(Reply::Availability)),
        ReplyKind::Case => ("case status", CaseStatus::from_json(&value).map(Reply::Case)),
        ReplyKind::CaseMessages => ("case messages", case_messages_from_json(&value).map(Reply::CaseMessages)),
    };
    parsed.map_err(|e| Failure::Malformed([what, ": ", &e].cat()))
}

/// A parsed reply, by the kind the call expected.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Bot(BotReply),
    Availability(Availability),
    Case(CaseStatus),
    CaseMessages(Vec<CaseMessage>),
    Empty,
}

/// Why a request produced no usable reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No response at all (offline, DNS, CORS, connection reset).
    Network,
    /// No response within the request's timeout.
    Timeout,
    /// An HTTP error status. `retry_after_ms` is the `Retry-After` header, already converted.
    Status { status: u16, retry_after_ms: Option<u64> },
    /// A response that is not what the contract says, with what was wrong.
    Malformed(String),
}

/// The outcome of one request.
pub type Outcome = Result<Reply, Failure>;

/// Converts a `Retry-After` header value to a delay in milliseconds: either delay-seconds or
/// an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), relative to `now_wall_ms`.
pub fn parse_retry_after(value: &str, now_wall_ms: i64) -> Option<u64> {
    let value = value.trim().as_bytes();
    if let Some(seconds) = digits(value) {
        return Some(seconds.saturating_mul(1_000));
    }
    let at = parse_http_date(value)?;
    Some(at.saturating_sub(now_wall_ms).max(0) as u64)
}

/// A run of ASCII digits as a number (no sign, no spaces; `None` if empty or too large).
pub fn digits(text: &[u8]) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0u64, |n, &c| {
        if c.is_ascii_digit() { n.checked_mul(10)?.checked_add(u64::from(c - b'0')) } else { None }
    })
}

/// Parses an IMF-fixdate, the one HTTP-date form servers send, to milliseconds since the Unix
/// epoch. Its fields sit at fixed offsets: "Sun, 06 Nov 1994 08:49:37 GMT".
fn parse_http_date(v: &[u8]) -> Option<i64> {
    const MONTHS: &[u8] = b"JanFebMarAprMayJunJulAugSepOctNovDec";
    if v.len() != 29 || v.get(3..5)? != b", " || v.get(25..)? != b" GMT" {
        return None;
    }
    let sep = |i: usize, c: u8| v.get(i) == Some(&c);
    if !(sep(7, b' ') && sep(11, b' ') && sep(16, b' ') && sep(19, b':') && sep(22, b':')) {
        return None;
    }
    let num = |from: usize, to: usize| v.get(from..to).and_then(digits).map(|n| n as i64);
    // By offset in the names (a `chunks` iterator is code of its own in the wasm).
    let name = v.get(8..11)?;
    let mut month = 1;
    while MONTHS.get((month - 1) * 3..month * 3)? != name {
        month += 1;
    }
    let month = month as i64;
    let (day, year, h, m, s) = (num(5, 7)?, num(12, 16)?, num(17, 19)?, num(20, 22)?, num(23, 25)?);
    if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some((days_from_civil(year, month, day) * 86_400 + h * 3_600 + m * 60 + s) * 1_000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Percent-encodes one path segment (RFC 3986 unreserved characters pass through).
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            json::push_hex(&mut out, b, json::UPPER_HEX);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(encode_segment("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(encode_segment("4f1c-9a_x.~"), "4f1c-9a_x.~");
    }

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("120", 0), Some(120_000));
        // 1994-11-06T08:49:37Z is 784111777 s after the epoch.
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777_000 - 5_000), Some(5_000));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777_000 + 9_000), Some(0));
        assert_eq!(parse_retry_after("soon", 0), None);
        assert_eq!(parse_retry_after("Sun, 06 Foo 1994 08:49:37 GMT", 0), None);
        assert_eq!(parse_retry_after(" 30 ", 0), Some(30_000));
        assert_eq!(parse_retry_after("-5", 0), None);
        assert_eq!(parse_retry_after("1.5", 0), None);
        assert_eq!(parse_retry_after("", 0), None);
        assert_eq!(parse_retry_after("99999999999999999999", 0), None);
        // 2024-02-29T00:00:00Z and 2025-12-31T23:59:59Z, seconds since the epoch.
        assert_eq!(parse_retry_after("Thu, 29 Feb 2024 00:00:00 GMT", 0), Some(1_709_164_800_000));
        assert_eq!(parse_retry_after("Wed, 31 Dec 2025 23:59:59 GMT", 0), Some(1_767_225_599_000));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 UTC", 0), None);
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08-49-37 GMT", 0), None);
        assert_eq!(parse_retry_after("Sun, 6 Nov 1994 08:49:37 GMT", 0), None);
        assert_eq!(parse_retry_after("Sun, 32 Nov 1994 08:49:37 GMT", 0), None);
    }

    #[test]
    fn replies_are_parsed_and_malformed_ones_name_the_field() {
        let ok = parse_reply(ReplyKind::Bot, r#"{"text": "Hi", "confidence": 0.92, "intent": null, "resolved": false}"#);
        assert!(matches!(ok, Ok(Reply::Bot(BotReply { confidence, .. })) if confidence == 0.92));
        for (body, named) in [
            (r#"{"text": "Hi"}"#, "`confidence` is missing"),
            (r#"{"text": "Hi", "confidence": "high"}"#, "`confidence` must be a number"),
            (r#"{"text": "Hi", "confidence": 3}"#, "`confidence` must be a number from 0 to 1"),
            (r#"{"text": 1, "confidence": 0.5}"#, "`text` must be a string"),
            (r#"<html>502 Bad Gateway</html>"#, "invalid JSON"),
            (r#"[]"#, "must be an object"),
        ] {
            match parse_reply(ReplyKind::Bot, body) {
                Err(Failure::Malformed(what)) => assert!(what.contains(named), "{body}: {what}"),
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn bot_reply_validation_names_the_field() {
        let mut reply = BotReply { text: "hi".into(), confidence: 1.5, intent: None, step: None, resolved: false };
        assert!(reply.validate().unwrap_err().contains("confidence"));
        reply.confidence = f64::NAN;
        assert!(reply.validate().unwrap_err().contains("confidence"));
        reply.confidence = 0.5;
        reply.text = " ".into();
        assert!(reply.validate().unwrap_err().contains("text"));
    }
}
