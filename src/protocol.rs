//! The widget's side of the HTTP contract (docs/protocol.md): the requests the core asks its
//! driver to make, and the typed, validated replies and failures that come back as inputs.

use crate::json::{self, Obj, Value};
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
    BotTurn { conversation_id: String, body: BotTurnBody },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BotTurnBody {
    pub text: String,
    pub message_id: String,
}

/// The kind of reply a call expects, so the driver knows what to parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyKind {
    Bot,
}

impl Call {
    pub fn method(&self) -> Method {
        match self {
            Call::BotTurn { .. } => Method::Post,
        }
    }

    /// The path under the endpoint, with ids percent-encoded.
    pub fn path(&self) -> String {
        match self {
            Call::BotTurn { conversation_id, .. } => {
                format!("/v1/conversations/{}/messages", encode_segment(conversation_id))
            }
        }
    }

    pub fn reply_kind(&self) -> ReplyKind {
        match self {
            Call::BotTurn { .. } => ReplyKind::Bot,
        }
    }

    /// Extra request headers.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
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
        let reply = BotReply {
            text: o.str("text")?,
            confidence: o.f64("confidence")?,
            intent: o.opt_str("intent")?,
            step: o.opt_str("step")?,
            resolved: o.opt_bool("resolved")?.unwrap_or(false),
        };
        reply.validate()?;
        Ok(reply)
    }
}

/// Parses a successful response body by the kind of reply its call expects. Whatever is wrong
/// comes back as `Failure::Malformed`, naming the field.
pub fn parse_reply(kind: ReplyKind, body: &str) -> Outcome {
    let malformed = |what: String| Failure::Malformed(what);
    let value = json::parse(body).map_err(malformed)?;
    match kind {
        ReplyKind::Bot => BotReply::from_json(&value).map(Reply::Bot).map_err(|e| malformed(format!("bot reply: {e}"))),
    }
}

/// A parsed reply, by the kind the call expected.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Bot(BotReply),
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
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds.saturating_mul(1_000));
    }
    let at = parse_http_date(value)?;
    Some(at.saturating_sub(now_wall_ms).max(0) as u64)
}

/// Parses an IMF-fixdate to milliseconds since the Unix epoch.
fn parse_http_date(value: &str) -> Option<i64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let rest = value.split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let day: i64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1, "Feb" => 2, "Mar" => 3, "Apr" => 4, "May" => 5, "Jun" => 6,
        "Jul" => 7, "Aug" => 8, "Sep" => 9, "Oct" => 10, "Nov" => 11, "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
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
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
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
