//! The SQLite store: schema and its version, bot turns, cases (with idempotent intake and
//! queue order), case messages and CSAT. One connection behind a mutex: every call is a few
//! short statements, and serialising them makes queue positions consistent for free.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// Bump when the schema changes, and add a migration step in `migrate`.
const SCHEMA_VERSION: i64 = 5;

const SCHEMA_V1: &str = "
CREATE TABLE IF NOT EXISTS messages (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    role            TEXT NOT NULL,          -- 'customer' | 'bot'
    text            TEXT NOT NULL,
    at              INTEGER NOT NULL,       -- ms since the Unix epoch
    message_id      TEXT                    -- the widget's id for a customer turn (retries)
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS messages_once ON messages (conversation_id, role, message_id);

CREATE TABLE IF NOT EXISTS cases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,  -- creation order; case number = BT-(1000+id)
    case_id         TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued',     -- 'queued' | 'assigned' | 'resolved'
    priority        INTEGER NOT NULL,                   -- 0 low, 1 medium, 2 high, 3 critical
    agent           TEXT,
    created_at      INTEGER NOT NULL,
    assigned_at     INTEGER,
    resolved_at     INTEGER,
    customer_name   TEXT,
    customer_email  TEXT,
    reason          TEXT,
    summary_text    TEXT,
    type            TEXT,
    sentiment       TEXT,
    package         TEXT NOT NULL,                      -- the handoff package, whole
    csat_score      INTEGER,
    csat_comment    TEXT,
    csat_at         INTEGER
);
CREATE INDEX IF NOT EXISTS cases_queue ON cases (status, priority DESC, id);

CREATE TABLE IF NOT EXISTS case_messages (
    case_id TEXT NOT NULL,
    seq     INTEGER NOT NULL,                   -- 1, 2, 3... within the case
    role    TEXT NOT NULL,                      -- 'agent' | 'customer' | 'system'
    author  TEXT,
    text    TEXT NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (case_id, seq)
);
";

pub type DbResult<T> = Result<T, rusqlite::Error>;

pub struct Store {
    conn: Mutex<Connection>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Low = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}

impl Priority {
    pub fn parse(s: &str) -> Option<Priority> {
        match s {
            "low" => Some(Priority::Low),
            "medium" => Some(Priority::Medium),
            "high" => Some(Priority::High),
            "critical" => Some(Priority::Critical),
            _ => None,
        }
    }
    pub fn from_db(n: i64) -> Priority {
        match n {
            0 => Priority::Low,
            2 => Priority::High,
            3 => Priority::Critical,
            _ => Priority::Medium,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }
}

/// What the agent's list shows of a case, taken from its handoff package at intake.
#[derive(Debug, Clone, Default)]
pub struct CaseSummary {
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub reason: Option<String>,
    pub summary_text: Option<String>,
    pub kind: Option<String>,
    pub sentiment: Option<String>,
}

/// What intake extracted from a handoff package.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub idempotency_key: String,
    pub conversation_id: String,
    pub priority: Priority,
    pub summary: CaseSummary,
    pub package: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub row_id: i64,
    pub case_id: String,
    pub conversation_id: String,
    pub status: String,
    pub priority: Priority,
    pub agent: Option<String>,
    pub created_at: i64,
    pub summary: CaseSummary,
    /// The customer was emailed the case's summary (`--mail-command`).
    pub summary_emailed: bool,
    /// What the customer wrote that last raised the priority after intake (the reason in the
    /// package is the intake's).
    pub raised_by: Option<String>,
}

impl Case {
    pub fn case_number(&self) -> String {
        format!("BT-{}", 1000 + self.row_id)
    }
    pub fn is_queued(&self) -> bool {
        self.status == "queued"
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseMessage {
    pub seq: i64,
    pub role: String,
    pub author: Option<String>,
    pub text: String,
    pub at: i64,
    /// For system messages: what happened (`agent_joined`, `resolved`), for widgets that say
    /// it in their own language rather than show `text` (English).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

/// The outcome of a state change that is only allowed from some states.
/// What became of a customer's message to the agent.
#[derive(Debug)]
pub enum CustomerMessage {
    Added(CaseMessage),
    /// Its `message_id` was stored before: the message as stored then.
    Retry(CaseMessage),
    /// The case is resolved (or gone): nothing stored.
    Closed,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Transition {
    Done,
    NotFound,
    /// The case exists but is in this other status.
    WrongStatus(String),
    /// The case is assigned to this other agent.
    Elsewhere(String),
}

const CASE_COLUMNS: &str = "id, case_id, conversation_id, status, priority, agent, created_at, \
customer_name, customer_email, reason, summary_text, type, sentiment, summary_emailed, raised_by";

fn case_from_row(r: &Row<'_>) -> rusqlite::Result<Case> {
    Ok(Case {
        row_id: r.get(0)?,
        case_id: r.get(1)?,
        conversation_id: r.get(2)?,
        status: r.get(3)?,
        priority: Priority::from_db(r.get(4)?),
        agent: r.get(5)?,
        created_at: r.get(6)?,
        summary: CaseSummary {
            customer_name: r.get(7)?,
            customer_email: r.get(8)?,
            reason: r.get(9)?,
            summary_text: r.get(10)?,
            kind: r.get(11)?,
            sentiment: r.get(12)?,
        },
        summary_emailed: r.get(13)?,
        raised_by: r.get(14)?,
    })
}

impl Store {
    pub fn open(path: &Path) -> DbResult<Store> {
        let mut conn = Connection::open(path)?;
        // WAL: readers don't block the writer, and a crash loses nothing committed.
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Store { conn: Mutex::new(conn) })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (statements are
        // atomic), so a poisoned lock is still safe to use.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Store one bot-conversation turn. Returns false when this customer `message_id` was
    /// already stored (a widget retry), so the caller does not store the bot's answer twice.
    pub fn add_turn(&self, conversation_id: &str, role: &str, text: &str, at: i64, message_id: Option<&str>) -> DbResult<bool> {
        let n = self.lock().execute(
            "INSERT INTO messages (conversation_id, role, text, at, message_id) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO NOTHING",
            params![conversation_id, role, text, at, message_id],
        )?;
        Ok(n == 1)
    }

    /// Insert the case unless its idempotency key is already known; either way return the case
    /// stored under that key, and whether this call created it. The UNIQUE constraint, not the
    /// mutex, is what guarantees one case per key.
    pub fn create_case(&self, c: &NewCase, new_case_id: &str) -> DbResult<(Case, bool)> {
        let conn = self.lock();
        let by_key = format!("SELECT {CASE_COLUMNS} FROM cases WHERE idempotency_key = ?1");
        // Look first: a conflicting INSERT still consumes an AUTOINCREMENT id, and replays must
        // not leave gaps in the human case numbers.
        if let Some(existing) = conn.query_row(&by_key, [&c.idempotency_key], case_from_row).optional()? {
            return Ok((existing, false));
        }
        let inserted = conn.execute(
            "INSERT INTO cases (case_id, idempotency_key, conversation_id, priority, created_at,
                customer_name, customer_email, reason, summary_text, type, sentiment, package)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (idempotency_key) DO NOTHING",
            params![
                new_case_id,
                c.idempotency_key,
                c.conversation_id,
                c.priority as i64,
                c.created_at,
                c.summary.customer_name,
                c.summary.customer_email,
                c.summary.reason,
                c.summary.summary_text,
                c.summary.kind,
                c.summary.sentiment,
                c.package
            ],
        )? == 1;
        let case = conn.query_row(&by_key, [&c.idempotency_key], case_from_row)?;
        Ok((case, inserted))
    }

    pub fn mark_summary_emailed(&self, case_id: &str) -> DbResult<()> {
        self.lock().execute("UPDATE cases SET summary_emailed = 1 WHERE case_id = ?1", [case_id])?;
        Ok(())
    }

    pub fn case(&self, case_id: &str) -> DbResult<Option<Case>> {
        self.lock()
            .query_row(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE case_id = ?1"), [case_id], case_from_row)
            .optional()
    }

    pub fn package(&self, case_id: &str) -> DbResult<Option<String>> {
        self.lock().query_row("SELECT package FROM cases WHERE case_id = ?1", [case_id], |r| r.get(0)).optional()
    }

    /// 1-based place in the queue (priority first, then creation order), or None unless queued.
    pub fn position(&self, case: &Case) -> DbResult<Option<i64>> {
        if !case.is_queued() {
            return Ok(None);
        }
        let ahead: i64 = self.lock().query_row(
            "SELECT COUNT(*) FROM cases WHERE status = 'queued'
               AND (priority > ?1 OR (priority = ?1 AND id < ?2))",
            params![case.priority as i64, case.row_id],
            |r| r.get(0),
        )?;
        Ok(Some(ahead + 1))
    }

    /// Queued cases a new case of `priority` would wait behind: those of its priority or higher.
    pub fn queued_ahead_of(&self, priority: Priority) -> DbResult<i64> {
        self.lock().query_row(
            "SELECT COUNT(*) FROM cases WHERE status = 'queued' AND priority >= ?1",
            [priority as i64],
            |r| r.get(0),
        )
    }

    /// Queued and assigned cases, highest priority first, then oldest.
    pub fn open_cases(&self) -> DbResult<Vec<Case>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE status IN ('queued', 'assigned')
             ORDER BY priority DESC, id ASC"
        ))?;
        let rows = stmt.query_map([], case_from_row)?;
        rows.collect()
    }

    /// Assign a queued case to `agent` and tell the customer who joined.
    pub fn accept(&self, case_id: &str, agent: &str, now: i64) -> DbResult<Transition> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let n = tx.execute(
            "UPDATE cases SET status = 'assigned', agent = ?2, assigned_at = ?3
             WHERE case_id = ?1 AND status = 'queued'",
            params![case_id, agent, now],
        )?;
        if n == 0 {
            return status_of(&tx, case_id);
        }
        insert_case_message(&tx, case_id, "system", None, &format!("{agent} joined"), now, Tag::Event("agent_joined"))?;
        tx.commit()?;
        Ok(Transition::Done)
    }

    /// Closes a queued or assigned case. With `agent`, an assigned case only if it is theirs:
    /// a console showing it as free a moment ago must not close a colleague's case.
    pub fn resolve(&self, case_id: &str, agent: Option<&str>, now: i64) -> DbResult<Transition> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let n = tx.execute(
            "UPDATE cases SET status = 'resolved', resolved_at = ?2
             WHERE case_id = ?1 AND (status = 'queued' OR (status = 'assigned' AND (?3 IS NULL OR agent = ?3)))",
            params![case_id, now, agent],
        )?;
        if n == 0 {
            return status_or_owner(&tx, case_id);
        }
        insert_case_message(&tx, case_id, "system", None, "The conversation was closed", now, Tag::Event("resolved"))?;
        tx.commit()?;
        Ok(Transition::Done)
    }

    /// The assigned agent's reply, under their name. One transaction, so a resolve arriving at
    /// the same time lands either before it (and the reply is refused) or after it.
    /// With `from`, only the assigned agent may reply (see `resolve`).
    pub fn add_agent_message(&self, case_id: &str, from: Option<&str>, text: &str, at: i64) -> DbResult<Result<CaseMessage, Transition>> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let agent: Option<Option<String>> = tx
            .query_row("SELECT agent FROM cases WHERE case_id = ?1 AND status = 'assigned'", [case_id], |r| r.get(0))
            .optional()?;
        let Some(agent) = agent else { return status_of(&tx, case_id).map(Err) };
        if let (Some(from), Some(assigned)) = (from, agent.as_deref()) {
            if from != assigned {
                return Ok(Err(Transition::Elsewhere(assigned.to_owned())));
            }
        }
        let m = insert_case_message(&tx, case_id, "agent", agent.as_deref(), text, at, Tag::None)?;
        tx.commit()?;
        Ok(Ok(m))
    }

    /// A customer's message to the agent, stored once per `message_id`: a retry of one that
    /// was stored gets it back as it was (even once the case is resolved); a new message to a
    /// resolved case is refused. One transaction, so a resolve or a second copy arriving at
    /// the same time cannot slip in between.
    pub fn add_customer_case_message(
        &self,
        case_id: &str,
        author: Option<&str>,
        text: &str,
        at: i64,
        message_id: Option<&str>,
        priority: Option<Priority>,
    ) -> DbResult<CustomerMessage> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        if let Some(message_id) = message_id {
            let stored = tx
                .query_row(
                    "SELECT seq, role, author, text, at, event FROM case_messages
                     WHERE case_id = ?1 AND role = 'customer' AND message_id = ?2",
                    params![case_id, message_id],
                    case_message_of,
                )
                .optional()?;
            if let Some(m) = stored {
                return Ok(CustomerMessage::Retry(m));
            }
        }
        let status: Option<String> =
            tx.query_row("SELECT status FROM cases WHERE case_id = ?1", [case_id], |r| r.get(0)).optional()?;
        if status.as_deref() != Some("queued") && status.as_deref() != Some("assigned") {
            return Ok(CustomerMessage::Closed);
        }
        let m = insert_case_message(&tx, case_id, "customer", author, text, at, Tag::MessageId(message_id))?;
        // What the customer just said is more urgent than the case: it moves up the queue (never
        // down: a calmer message does not undo an emergency).
        if let Some(p) = priority {
            tx.execute(
                "UPDATE cases SET priority = ?2, raised_by = ?3 WHERE case_id = ?1 AND priority < ?2",
                params![case_id, p as i64, text],
            )?;
        }
        tx.commit()?;
        Ok(CustomerMessage::Added(m))
    }

    pub fn case_messages(&self, case_id: &str, after: i64) -> DbResult<Vec<CaseMessage>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT seq, role, author, text, at, event FROM case_messages WHERE case_id = ?1 AND seq > ?2 ORDER BY seq",
        )?;
        let rows = stmt.query_map(params![case_id, after], case_message_of)?;
        rows.collect()
    }

    /// Records the satisfaction score of a resolved case, once.
    pub fn set_csat(&self, case_id: &str, score: i64, comment: Option<&str>, at: i64) -> DbResult<Csat> {
        let n = self.lock().execute(
            "UPDATE cases SET csat_score = ?2, csat_comment = ?3, csat_at = ?4
             WHERE case_id = ?1 AND status = 'resolved' AND agent IS NOT NULL AND csat_score IS NULL",
            params![case_id, score, comment, at],
        )?;
        if n == 1 {
            return Ok(Csat::Recorded);
        }
        Ok(match self.case(case_id)? {
            None => Csat::NotFound,
            Some(c) if c.status != "resolved" => Csat::NotResolved(c.status),
            Some(c) if c.agent.is_none() => Csat::NotJoined,
            Some(_) => Csat::AlreadyRecorded,
        })
    }
}

/// What became of a satisfaction score.
pub enum Csat {
    Recorded,
    AlreadyRecorded,
    /// The survey comes after the handoff: a case still queued or with an agent has none yet.
    NotResolved(String),
    /// Closed before any agent accepted it: there was no conversation with the team to rate.
    NotJoined,
    NotFound,
}

/// Why a transition did not happen: not found, the wrong status, or someone else's case.
fn status_or_owner(conn: &Connection, case_id: &str) -> DbResult<Transition> {
    let row: Option<(String, Option<String>)> =
        conn.query_row("SELECT status, agent FROM cases WHERE case_id = ?1", [case_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    Ok(match row {
        None => Transition::NotFound,
        Some((status, Some(agent))) if status == "assigned" => Transition::Elsewhere(agent),
        Some((status, _)) => Transition::WrongStatus(status),
    })
}

fn status_of(conn: &Connection, case_id: &str) -> DbResult<Transition> {
    let status: Option<String> =
        conn.query_row("SELECT status FROM cases WHERE case_id = ?1", [case_id], |r| r.get(0)).optional()?;
    Ok(status.map_or(Transition::NotFound, Transition::WrongStatus))
}

fn case_message_of(r: &Row) -> DbResult<CaseMessage> {
    Ok(CaseMessage { seq: r.get(0)?, role: r.get(1)?, author: r.get(2)?, text: r.get(3)?, at: r.get(4)?, event: r.get(5)? })
}

/// What a case message carries beside its text.
enum Tag<'a> {
    None,
    /// The widget's id for a customer's message: a retry is stored once.
    MessageId(Option<&'a str>),
    /// What a system message records.
    Event(&'static str),
}

fn insert_case_message(
    conn: &Connection,
    case_id: &str,
    role: &str,
    author: Option<&str>,
    text: &str,
    at: i64,
    tag: Tag,
) -> DbResult<CaseMessage> {
    let (message_id, event) = match tag {
        Tag::None => (None, None),
        Tag::MessageId(id) => (id, None),
        Tag::Event(event) => (None, Some(event)),
    };
    let seq: i64 = conn.query_row(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM case_messages WHERE case_id = ?1",
        [case_id],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO case_messages (case_id, seq, role, author, text, at, message_id, event) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![case_id, seq, role, author, text, at, message_id, event],
    )?;
    Ok(CaseMessage { seq, role: role.into(), author: author.map(String::from), text: text.into(), at, event: event.map(String::from) })
}

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction (SQLite's schema changes and
/// `user_version` are transactional), so a failed or interrupted step leaves the old version
/// whole and the next start runs every step again.
fn migrate(conn: &mut Connection) -> DbResult<()> {
    let tx = conn.transaction()?;
    let conn = &*tx;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "database schema version {version} is newer than this server ({SCHEMA_VERSION})"
        )));
    }
    conn.execute_batch(SCHEMA_V1)?;
    // Version 2: whether the customer was emailed the case's summary.
    if version < 2 {
        conn.execute_batch("ALTER TABLE cases ADD COLUMN summary_emailed INTEGER NOT NULL DEFAULT 0")?;
    }
    // Version 3: the widget's id for a customer's message to the agent, so a retry is stored once.
    if version < 3 {
        conn.execute_batch(
            "ALTER TABLE case_messages ADD COLUMN message_id TEXT;
             CREATE UNIQUE INDEX IF NOT EXISTS case_messages_once ON case_messages (case_id, role, message_id);",
        )?;
    }
    // Version 4: what a system message records (`agent_joined`, `resolved`), so a widget can
    // say it in its customer's language.
    if version < 4 {
        conn.execute_batch("ALTER TABLE case_messages ADD COLUMN event TEXT")?;
    }
    // Version 5: the customer's message that last raised the case's priority, for the console.
    if version < 5 {
        conn.execute_batch("ALTER TABLE cases ADD COLUMN raised_by TEXT")?;
    }
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()
}
