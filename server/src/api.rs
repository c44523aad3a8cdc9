//! The `/v1` HTTP API: request validation, the JSON shapes of docs/protocol.md, the error
//! envelope, the wait-time formula and agent-console heartbeats. Storage lives in `db`, the
//! bot in `kb`; this module only translates between HTTP and those.

use crate::db::{Case, CaseMessage, CaseSummary, Csat, CustomerMessage, NewCase, Priority, Store, Transition};
use crate::kb::KnowledgeBase;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Longest customer or agent message we accept, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// An agent console counts as online for this long after its last poll.
pub const HEARTBEAT_WINDOW: Duration = Duration::from_secs(30);
const MAX_ID_CHARS: usize = 128;
const MAX_COMMENT_CHARS: usize = 2000;
const MAX_AGENT_NAME_CHARS: usize = 80;

pub struct AppState {
    pub store: Store,
    pub kb: KnowledgeBase,
    pub fixed_agents: u32,
    pub handle_time_secs: u64,
    pub mailer: Option<crate::mail::Mailer>,
    pub mail_limit: crate::mail::Limit,
    /// Agent name -> last time its console polled.
    pub consoles: Mutex<HashMap<String, Instant>>,
    /// The id of each case an agent just took, wrote in or closed, for its event streams; an
    /// empty id tells every stream the server is shutting down.
    pub changes: tokio::sync::broadcast::Sender<String>,
    /// Set as the server stops, before the empty id is sent: a stream that subscribes after
    /// that would never hear it.
    pub stopping: Arc<std::sync::atomic::AtomicBool>,
}

type Shared = Arc<AppState>;

impl AppState {
    /// Tells the case's event streams that it changed (nobody listening is fine).
    fn changed(&self, case_id: &str) {
        let _ = self.changes.send(case_id.to_string());
    }

    fn heartbeat(&self, agent: &str) {
        let mut consoles = self.consoles.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        consoles.retain(|_, seen| now.duration_since(*seen) < HEARTBEAT_WINDOW);
        consoles.insert(agent.to_string(), now);
    }

    /// The staffing configured with `--agents`, or the consoles open now if there are more.
    /// A console is one of the configured agents at work, not one more: the demo's single agent
    /// with its console open is one agent, and its wait is not halved.
    fn agents_online(&self) -> u64 {
        let consoles = self.consoles.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let live = consoles.values().filter(|seen| now.duration_since(**seen) < HEARTBEAT_WINDOW).count();
        (live as u64).max(u64::from(self.fixed_agents))
    }

    /// A queued case's wait, or None while nobody is online to take it (no honest figure).
    fn queue_wait(&self, position: i64) -> Option<i64> {
        (self.agents_online() > 0).then(|| self.wait_for(position))
    }

    /// `cases_ahead_and_self × handle_time / max(agents_online, 1)`, rounded up.
    fn wait_for(&self, cases: i64) -> i64 {
        let agents = self.agents_online().max(1);
        let total = cases.max(0) as u64 * self.handle_time_secs;
        total.div_ceil(agents) as i64
    }
}

/// The largest handoff package accepted: 2,000 messages at the widget's 2,000-character cap,
/// twice (transcript and summary), with room to spare.
pub const MAX_PACKAGE_BYTES: usize = 16 * 1024 * 1024;

/// The `/v1` API. `widget_cors` applies to the widget's endpoints only: the agent endpoints
/// (every customer's package, and acting as an agent) are never open to other origins.
pub fn router(state: Shared, widget_cors: Option<tower_http::cors::CorsLayer>) -> Router {
    let widget = Router::new()
        .route("/conversations/{conversation_id}/messages", post(bot_message))
        .route("/availability", get(availability))
        // A long conversation's package (the transcript, and again in `summary_text`) can pass
        // axum's 2 MB default; refusing it would strand the case in the widget's outbox.
        .route("/escalations", post(create_escalation).layer(axum::extract::DefaultBodyLimit::max(MAX_PACKAGE_BYTES)))
        .route("/cases/{case_id}", get(case_status))
        .route("/cases/{case_id}/messages", get(list_case_messages).post(customer_message))
        .route("/cases/{case_id}/csat", post(csat))
        .route("/cases/{case_id}/events", get(case_events))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state.clone());
    let widget = match widget_cors {
        Some(cors) => widget.layer(cors),
        None => widget,
    };
    Router::new()
        .route("/agent/cases", get(agent_cases))
        .route("/agent/cases/{case_id}", get(agent_case))
        .route("/agent/cases/{case_id}/accept", post(accept))
        .route("/agent/cases/{case_id}/messages", post(agent_message))
        .route("/agent/cases/{case_id}/resolve", post(resolve))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .merge(widget)
        .fallback(not_found)
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(axum::middleware::map_response(json_errors))
}

// ---------------------------------------------------------------------------------------------
// Errors

/// `{"error":{"code","message"}}` with a 4xx/5xx status.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into() }
    }
    fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
    fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }
    fn case_not_found(case_id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "case_not_found", format!("no case with case_id '{}'", clip(case_id)))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        // The SQLite message names tables and constraints, never customer text.
        eprintln!("baton: database error: {e}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "database_error", "the server could not read or write its database")
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Errors axum and tower write themselves (a body over the limit, a path id that is not
/// UTF-8, a caught panic) come as plain text; the contract promises the JSON envelope for
/// every error, so they are rewrapped with their text as the message.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let json = response.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        s if s.is_server_error() => "server_error",
        _ => "invalid_request",
    };
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let message = match text.trim() {
        "" => status.canonical_reason().unwrap_or("request failed").to_owned(),
        t => t.chars().take(200).collect(),
    };
    let mut out = ApiError::new(status, code, message).into_response();
    // CORS and the rest stay: a cross-origin widget must be able to read this error.
    for (name, value) in &parts.headers {
        if name != CONTENT_TYPE && name != CONTENT_LENGTH {
            out.headers_mut().append(name.clone(), value.clone());
        }
    }
    out
}

async fn not_found(_body: Bytes) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint; see docs/protocol.md")
}

async fn method_not_allowed(_body: Bytes) -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this endpoint does not accept that HTTP method")
}

// ---------------------------------------------------------------------------------------------
// Validation helpers

/// Untrusted values echoed in error messages are cut short.
fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn json_object(body: &Bytes) -> ApiResult<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("invalid_json", "the request body must be a JSON object")),
        Err(e) => Err(ApiError::bad_request("invalid_json", format!("the request body is not valid JSON: {e}"))),
    }
}

/// A required message text: a string, not blank, at most MAX_TEXT_CHARS characters.
fn message_text(body: &Map<String, Value>) -> ApiResult<String> {
    let text = match body.get("text") {
        Some(Value::String(s)) => s,
        Some(_) => return Err(ApiError::bad_request("invalid_text", "`text` must be a string")),
        None => return Err(ApiError::bad_request("invalid_text", "`text` is required")),
    };
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("invalid_text", "`text` must not be empty"));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::bad_request("invalid_text", format!("`text` must be at most {MAX_TEXT_CHARS} characters")));
    }
    Ok(text.clone())
}

/// The widget's optional id for a customer's message: a retry with the same one is stored once.
fn message_id(body: &Map<String, Value>) -> ApiResult<Option<&str>> {
    match body.get("message_id") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            check_id(s, "message_id")?;
            Ok(Some(s.as_str()))
        }
        Some(_) => Err(ApiError::bad_request("invalid_id", "`message_id` must be a string")),
    }
}

fn check_id(value: &str, name: &str) -> ApiResult<()> {
    if value.is_empty() || value.chars().count() > MAX_ID_CHARS || value.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "invalid_id",
            format!("`{name}` must be 1..{MAX_ID_CHARS} characters without control characters"),
        ));
    }
    Ok(())
}

/// A string field at a JSON path, or None when missing, null or not a string.
fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str().filter(|s| !s.trim().is_empty())
}

/// Strings as themselves; objects like `{"label": "angry", "score": -0.8}` by their label.
fn text_at(v: &Value, path: &[&str]) -> Option<String> {
    let v = path.iter().try_fold(v, |v, k| v.get(k))?;
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o
            .get("label")
            .or_else(|| o.get("level"))
            .and_then(Value::as_str)
            .map(String::from)
            .or_else(|| Some(v.to_string())),
        other => Some(other.to_string()),
    }
}

/// A random opaque id. SipHash keyed from the OS's randomness (std's RandomState) over the
/// time and a counter: unguessable enough for a demo without another dependency.
fn random_hex() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut out = String::new();
    for salt in 0..2u8 {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(nanos);
        h.write_u64(n);
        h.write_u8(salt);
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Widget side

async fn bot_message(State(st): State<Shared>, Path(conversation_id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    check_id(&conversation_id, "conversation_id")?;
    let body = json_object(&body)?;
    let text = message_text(&body)?;
    let message_id = message_id(&body)?;
    let locale = match body.get("locale") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= 35 => Some(s.as_str()),
        Some(_) => return Err(ApiError::bad_request("invalid_locale", "`locale` must be a language tag of at most 35 characters")),
    };
    let reply = st.kb.answer_in(&text, locale);
    let now = now_ms();
    // A retried message_id is answered again (the bot is deterministic) but stored once.
    if st.store.add_turn(&conversation_id, "customer", &text, now, message_id)? {
        st.store.add_turn(&conversation_id, "bot", &reply.text, now, message_id)?;
    }
    Ok(Json(json!({
        "text": reply.text,
        "confidence": reply.confidence,
        "intent": reply.intent,
        "step": reply.step,
        "resolved": reply.resolved,
    })))
}

async fn availability(State(st): State<Shared>, Query(q): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    // The widget says how urgent its case would be: an emergency waits behind fewer cases than
    // a low-priority question. Without it, the wait behind the whole queue (the longest).
    let priority = match q.get("priority") {
        None => Priority::Low,
        Some(p) => Priority::parse(p).ok_or_else(|| {
            ApiError::bad_request("invalid_priority", "`priority` must be low, medium, high or critical")
        })?,
    };
    let agents = st.agents_online();
    let queued = st.store.queued_ahead_of(priority)?;
    Ok(Json(json!({
        "open": agents > 0,
        "agents_online": agents,
        // The wait a new case would get: the same formula as its position once queued, so the
        // offer and the queue status never disagree.
        "wait_seconds": st.wait_for(queued + 1),
        // The demo has no opening hours: it is open whenever an agent is.
        "next_open_at": Value::Null,
    })))
}

fn case_status_json(st: &AppState, case: &Case) -> ApiResult<Value> {
    let position = st.store.position(case)?;
    let mut status = json!({
        "case_id": case.case_id,
        "case_number": case.case_number(),
        "status": case.status,
        "position": position,
        "wait_seconds": position.and_then(|p| st.queue_wait(p)),
        "agent": case.agent.as_ref().map(|name| json!({"name": name})),
    });
    if case.summary_emailed {
        status["summary_emailed"] = Value::Bool(true);
    }
    Ok(status)
}

async fn create_escalation(State(st): State<Shared>, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let key = match headers.get("idempotency-key") {
        None => {
            return Err(ApiError::bad_request("missing_idempotency_key", "the Idempotency-Key header is required"))
        }
        Some(v) => v.to_str().map_err(|_| {
            ApiError::bad_request("invalid_idempotency_key", "the Idempotency-Key header must be printable ASCII")
        })?,
    };
    if let Some(bad) = key.bytes().find(|b| !(b' '..=b'~').contains(b)) {
        return Err(ApiError::bad_request(
            "invalid_idempotency_key",
            format!("the Idempotency-Key header must be printable ASCII, not byte {bad:#04x}"),
        ));
    }
    let key_len = key.len();
    if !(8..=128).contains(&key_len) {
        return Err(ApiError::bad_request(
            "invalid_idempotency_key",
            format!("the Idempotency-Key header must be 8..128 characters, got {key_len}"),
        ));
    }
    let package = Value::Object(json_object(&body)?);
    let conversation_id = match package.get("conversation_id") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(ApiError::bad_request("invalid_conversation_id", "`conversation_id` must be a string")),
        None => return Err(ApiError::bad_request("missing_conversation_id", "`conversation_id` is required")),
    };
    check_id(&conversation_id, "conversation_id")?;

    let priority = str_at(&package, &["assessment", "urgency"]).and_then(Priority::parse).unwrap_or(Priority::Medium);
    let first_reason = package.pointer("/assessment/reasons/0");
    // "emotion: “ridiculous”": which rule fired, and the customer's words that fired it.
    let reason = first_reason.and_then(|r| {
        let code = text_at(r, &["code"]).map(|c| c.replace('_', " "));
        match (code, text_at(r, &["evidence"])) {
            (Some(code), Some(evidence)) => Some(format!("{code}: \u{201c}{evidence}\u{201d}")),
            (code, evidence) => code.or(evidence).or_else(|| r.as_str().map(String::from)),
        }
    });
    let new = NewCase {
        idempotency_key: key.to_string(),
        conversation_id: conversation_id.clone(),
        priority,
        summary: CaseSummary {
            customer_name: text_at(&package, &["customer", "name"]),
            customer_email: text_at(&package, &["customer", "email"]),
            reason,
            summary_text: text_at(&package, &["summary_text"]),
            kind: text_at(&package, &["assessment", "type"]),
            sentiment: text_at(&package, &["assessment", "sentiment"]),
        },
        package: package.to_string(),
        created_at: now_ms(),
    };
    let (mut case, created) = st.store.create_case(&new, &format!("c_{}", random_hex()))?;
    if case.conversation_id != conversation_id {
        return Err(ApiError::conflict(
            "idempotency_key_reused",
            "this Idempotency-Key was already used for a different conversation_id",
        ));
    }
    // Once, for the new case; a replay answers with what happened then.
    if created {
        email_summary(&st, &package, &mut case).await?;
    }
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(case_status_json(&st, &case)?)).into_response())
}

/// With `--mail-command`: emails the customer the new case's summary, and records that it was.
/// A failed command is logged; the case stands without the claim.
async fn email_summary(st: &AppState, package: &Value, case: &mut Case) -> ApiResult<()> {
    let Some(mailer) = st.mailer.clone() else { return Ok(()) };
    let Some(to) = crate::mail::recipient(package) else { return Ok(()) };
    if !st.mail_limit.allow(&to, Instant::now()) {
        eprintln!("baton serve: the summary of {} was not emailed: {to} had enough mail this hour", case.case_number());
        return Ok(());
    }
    let Some(message) = crate::mail::summary_message(package, &case.case_number()) else { return Ok(()) };
    let sent = tokio::task::spawn_blocking(move || mailer.send(&message)).await.map_err(|e| e.to_string()).and_then(|r| r);
    match sent {
        Ok(()) => {
            st.store.mark_summary_emailed(&case.case_id)?;
            case.summary_emailed = true;
        }
        Err(e) => eprintln!("baton serve: the summary of {} was not emailed: {e}", case.case_number()),
    }
    Ok(())
}

fn load_case(st: &AppState, case_id: &str) -> ApiResult<Case> {
    st.store.case(case_id)?.ok_or_else(|| ApiError::case_not_found(case_id))
}

async fn case_status(State(st): State<Shared>, Path(case_id): Path<String>) -> ApiResult<Json<Value>> {
    let case = load_case(&st, &case_id)?;
    Ok(Json(case_status_json(&st, &case)?))
}

/// How often an idle event stream sends a comment, so proxies do not close it as idle.
const EVENTS_KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `GET /v1/cases/{case_id}/events`: server-sent events, one each time an agent takes the case,
/// writes in it or closes it, with the case's status (as `GET /v1/cases/{case_id}` answers),
/// so a waiting widget hears of it at once rather than at its next two-minute poll. A stream
/// opened after an agent took the case starts with one event (a widget reconnecting may have
/// missed it). It ends after the event that the case is resolved, and when the server stops;
/// a resolved case answers 204, which tells an `EventSource` not to reconnect.
async fn case_events(State(st): State<Shared>, Path(case_id): Path<String>) -> ApiResult<Response> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    use tokio::sync::broadcast::error::RecvError;
    // Subscribed before the case is read: a change in between is still heard.
    let changes = st.changes.subscribe();
    if st.stopping.load(std::sync::atomic::Ordering::SeqCst) {
        return Ok(StatusCode::SERVICE_UNAVAILABLE.into_response());
    }
    let case = load_case(&st, &case_id)?;
    if case.status == "resolved" {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let missed = case.status != "queued";
    let stream = futures_util::stream::unfold((st, case_id, changes, missed, false), |(st, case_id, mut changes, mut due, over)| async move {
        while !over && !due {
            match changes.recv().await {
                Ok(id) if id.is_empty() => return None,
                Ok(id) => due = id == case_id,
                // Too far behind to know which cases changed: assume this one did.
                Err(RecvError::Lagged(_)) => due = true,
                Err(RecvError::Closed) => return None,
            }
        }
        if over {
            return None;
        }
        let case = st.store.case(&case_id).ok().flatten()?;
        let status = case_status_json(&st, &case).ok()?;
        let event = Event::default().data(status.to_string());
        let over = case.status == "resolved";
        Some((Ok::<_, std::convert::Infallible>(event), (st, case_id, changes, false, over)))
    });
    // How long a browser waits before reconnecting a dropped stream (its default is about 3 s):
    // while the server is down, every waiting widget would otherwise retry every 3 s, all
    // together once it is back. Spread over 10 to 15 s; the widget's polls carry on meanwhile.
    let retry = Duration::from_millis(10_000 + u64::from(SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().subsec_nanos() % 5_000));
    let first = futures_util::stream::once(async move { Ok(Event::default().retry(retry)) });
    let stream = futures_util::StreamExt::chain(first, stream);
    let sse = Sse::new(stream).keep_alive(KeepAlive::new().interval(EVENTS_KEEP_ALIVE));
    // nginx buffers proxied responses by default, which would hold each event back.
    Ok(([(axum::http::HeaderName::from_static("x-accel-buffering"), "no")], sse).into_response())
}

async fn list_case_messages(
    State(st): State<Shared>,
    Path(case_id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let after = match q.get("after") {
        None => 0,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::bad_request("invalid_after", "`after` must be a whole number >= 0"))?,
    };
    load_case(&st, &case_id)?;
    Ok(Json(json!({ "messages": st.store.case_messages(&case_id, after)? })))
}

async fn customer_message(State(st): State<Shared>, Path(case_id): Path<String>, body: Bytes) -> ApiResult<Response> {
    let case = load_case(&st, &case_id)?;
    let body = json_object(&body)?;
    let text = message_text(&body)?;
    let message_id = message_id(&body)?;
    let priority = match body.get("priority") {
        None | Some(Value::Null) => None,
        Some(p) => Some(p.as_str().and_then(Priority::parse).ok_or_else(|| {
            ApiError::bad_request("invalid_priority", "`priority` must be null, low, medium, high or critical")
        })?),
    };
    let author = case.summary.customer_name.as_deref();
    match st.store.add_customer_case_message(&case_id, author, &text, now_ms(), message_id, priority)? {
        CustomerMessage::Added(m) => Ok((StatusCode::CREATED, Json(m)).into_response()),
        // The widget timed out after we stored it, and sent it again.
        CustomerMessage::Retry(m) => Ok((StatusCode::OK, Json(m)).into_response()),
        CustomerMessage::Closed => Err(ApiError::conflict("case_resolved", "this case is resolved; start a new conversation")),
    }
}

async fn csat(State(st): State<Shared>, Path(case_id): Path<String>, body: Bytes) -> ApiResult<StatusCode> {
    let body = json_object(&body)?;
    let score = body
        .get("score")
        .and_then(Value::as_i64)
        .filter(|s| (1..=5).contains(s))
        .ok_or_else(|| ApiError::bad_request("invalid_score", "`score` must be a whole number from 1 to 5"))?;
    let comment = match body.get("comment") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= MAX_COMMENT_CHARS => Some(s.as_str()),
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_comment",
                format!("`comment` must be null or a string of at most {MAX_COMMENT_CHARS} characters"),
            ))
        }
    };
    match st.store.set_csat(&case_id, score, comment, now_ms())? {
        Csat::Recorded => Ok(StatusCode::NO_CONTENT),
        Csat::AlreadyRecorded => {
            Err(ApiError::conflict("csat_already_recorded", "a satisfaction score was already recorded for this case"))
        }
        Csat::NotResolved(status) => Err(ApiError::conflict(
            "case_not_resolved",
            format!("the case is {status}; its satisfaction survey comes once it is resolved"),
        )),
        Csat::NotJoined => {
            Err(ApiError::conflict("case_not_joined", "the case was closed before an agent took it: there is nothing to rate"))
        }
        Csat::NotFound => Err(ApiError::case_not_found(&case_id)),
    }
}

// ---------------------------------------------------------------------------------------------
// Agent side

fn agent_case_json(st: &AppState, case: &Case) -> ApiResult<Value> {
    let position = st.store.position(case)?;
    Ok(json!({
        "case_id": case.case_id,
        "case_number": case.case_number(),
        "conversation_id": case.conversation_id,
        "status": case.status,
        "priority": case.priority.as_str(),
        "position": position,
        "wait_seconds": position.and_then(|p| st.queue_wait(p)),
        "created_at": case.created_at,
        "agent": case.agent,
        "customer": {"name": case.summary.customer_name, "email": case.summary.customer_email},
        "reason": case.summary.reason,
        "raised_by": case.raised_by,
        "type": case.summary.kind,
        "sentiment": case.summary.sentiment,
    }))
}

/// An agent's name as the console sends it (`?agent=`) or accept names it: trimmed, 1 to
/// MAX_AGENT_NAME_CHARS characters. The same name from both counts as one agent online.
fn agent_name(name: &str) -> Option<&str> {
    let name = name.trim();
    (!name.is_empty() && name.chars().count() <= MAX_AGENT_NAME_CHARS).then_some(name)
}

async fn agent_cases(State(st): State<Shared>, Query(q): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    // Only a console that names its agent counts as one online; a script reading the queue
    // does not.
    if let Some(agent) = q.get("agent").and_then(|a| agent_name(a)) {
        st.heartbeat(agent);
    }
    let cases = st.store.open_cases()?;
    let cases: Vec<Value> = cases.iter().map(|c| agent_case_json(&st, c)).collect::<ApiResult<_>>()?;
    Ok(Json(json!({ "cases": cases, "agents_online": st.agents_online() })))
}

async fn agent_case(State(st): State<Shared>, Path(case_id): Path<String>) -> ApiResult<Json<Value>> {
    let case = load_case(&st, &case_id)?;
    let mut out = agent_case_json(&st, &case)?;
    out["summary_text"] = json!(case.summary.summary_text);
    let package = st.store.package(&case_id)?.unwrap_or_default();
    out["package"] = serde_json::from_str(&package).unwrap_or(Value::String(package));
    let messages: Vec<CaseMessage> = st.store.case_messages(&case_id, 0)?;
    out["messages"] = json!(messages);
    Ok(Json(out))
}

fn transition_result(st: &AppState, case_id: &str, t: Transition, wanted: &str) -> ApiResult<Json<Value>> {
    match t {
        Transition::Done => {
            st.changed(case_id);
            Ok(Json(agent_case_json(st, &load_case(st, case_id)?)?))
        }
        Transition::NotFound => Err(ApiError::case_not_found(case_id)),
        Transition::WrongStatus(s) => Err(ApiError::conflict("invalid_status", format!("the case is {s}, not {wanted}"))),
        Transition::Elsewhere(agent) => Err(elsewhere(&agent)),
    }
}

fn elsewhere(agent: &str) -> ApiError {
    ApiError::conflict("assigned_elsewhere", format!("the case is assigned to {agent}"))
}

/// The optional `agent` of a reply or a resolve: who is acting, so a colleague's case is refused.
fn acting_agent(body: &Map<String, Value>) -> ApiResult<Option<&str>> {
    match body.get("agent") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_str().and_then(agent_name).map(Some).ok_or_else(|| {
            ApiError::bad_request("invalid_agent", format!("`agent` must be a name of 1..{MAX_AGENT_NAME_CHARS} characters"))
        }),
    }
}

async fn accept(State(st): State<Shared>, Path(case_id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    let body = json_object(&body)?;
    let agent = body.get("agent").and_then(Value::as_str).and_then(agent_name).ok_or_else(|| {
        ApiError::bad_request("invalid_agent", format!("`agent` must be a name of 1..{MAX_AGENT_NAME_CHARS} characters"))
    })?;
    let t = st.store.accept(&case_id, agent, now_ms())?;
    if t == Transition::Done {
        st.heartbeat(agent);
    }
    transition_result(&st, &case_id, t, "queued")
}

async fn agent_message(State(st): State<Shared>, Path(case_id): Path<String>, body: Bytes) -> ApiResult<Response> {
    let body = json_object(&body)?;
    // Card numbers are masked before they are stored: the widget masks the customer's before
    // sending (all but a callback number the customer gives on purpose), the server an
    // agent's (QA: "Is it the card 4111 1111 1111 1111?" was stored and served in full).
    let text = baton::redact::redact_cards(&message_text(&body)?).into_owned();
    match st.store.add_agent_message(&case_id, acting_agent(&body)?, &text, now_ms())? {
        Ok(m) => {
            st.changed(&case_id);
            Ok((StatusCode::CREATED, Json(m)).into_response())
        }
        Err(Transition::WrongStatus(status)) => {
            Err(ApiError::conflict("invalid_status", format!("the case is {status}; accept it before replying")))
        }
        Err(Transition::Elsewhere(agent)) => Err(elsewhere(&agent)),
        Err(_) => Err(ApiError::case_not_found(&case_id)),
    }
}

/// The body is optional (`{"agent": "Alex"}` refuses a colleague's case), but always read:
/// hyper closes a keep-alive connection whose request body was left unread, and a client that
/// pooled it would see its next request fail.
async fn resolve(State(st): State<Shared>, Path(case_id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    let body = if body.iter().all(u8::is_ascii_whitespace) { Map::new() } else { json_object(&body)? };
    let t = st.store.resolve(&case_id, acting_agent(&body)?, now_ms())?;
    transition_result(&st, &case_id, t, "queued or assigned")
}
