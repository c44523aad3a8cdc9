//! `baton replay`: run past transcripts through the escalation policy and print each decision.
//!
//! `baton replay [--summary] [--policy FILE] FILE...` reads `.json` (one conversation) and
//! `.jsonl` (one per line) files and prints one JSON line per message. A bad line is reported
//! on stderr as `FILE:LINE: error` and the rest still runs; the exit code is 1 if any line
//! was bad. Lines are processed in batches spread over the machine's cores, output in order.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use baton::policy::{decide, Action, Decision, EscalationType, Facts, PolicyConfig, PolicyState, Priority, Reason, Turn};
use serde::{Deserialize, Serialize};

const USAGE: &str = "usage: baton replay [--summary] [--policy FILE] FILE...";
/// Lines handed to the worker threads at a time: bounds memory on huge files.
const BATCH_LINES: usize = 16_384;

#[derive(Deserialize)]
struct Conversation<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    customer: Option<Customer<'a>>,
    #[serde(borrow)]
    messages: Vec<Message<'a>>,
}

#[derive(Deserialize)]
struct Customer<'a> {
    #[serde(borrow, default)]
    tier: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Role {
    Customer,
    Bot,
    /// Human agents and system notes are printed but not judged.
    Agent,
    System,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Bot => "bot",
            Role::Agent => "agent",
            Role::System => "system",
        }
    }
}

#[derive(Deserialize)]
struct Message<'a> {
    role: Role,
    #[serde(borrow)]
    text: Cow<'a, str>,
    /// A bot turn without a confidence counts as fully confident.
    #[serde(default)]
    confidence: Option<f64>,
    #[serde(borrow, default)]
    intent: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    step: Option<Cow<'a, str>>,
    #[serde(default)]
    resolved: Option<bool>,
}

#[derive(Serialize)]
struct Line<'a> {
    conversation: &'a str,
    index: usize,
    role: &'static str,
    action: Action,
    #[serde(rename = "type")]
    kind: EscalationType,
    priority: Priority,
    reasons: &'a [Reason],
}

/// Totals for `--summary`.
#[derive(Default)]
struct Totals {
    conversations: u64,
    messages: u64,
    escalated_conversations: u64,
    actions: BTreeMap<&'static str, u64>,
    /// Reasons listed by decisions that were not `none`.
    reasons: BTreeMap<&'static str, u64>,
    /// Types of the `escalate` decisions.
    types: BTreeMap<&'static str, u64>,
}

impl Totals {
    fn add(&mut self, other: Totals) {
        self.conversations += other.conversations;
        self.messages += other.messages;
        self.escalated_conversations += other.escalated_conversations;
        for (mine, theirs) in [(&mut self.actions, other.actions), (&mut self.reasons, other.reasons), (&mut self.types, other.types)] {
            for (k, v) in theirs {
                *mine.entry(k).or_default() += v;
            }
        }
    }

    fn count(&mut self, d: &Decision) {
        self.messages += 1;
        *self.actions.entry(action_name(d.action)).or_default() += 1;
        if d.action != Action::None {
            for r in &d.reasons {
                *self.reasons.entry(r.code.as_str()).or_default() += 1;
            }
        }
        if d.action == Action::Escalate {
            *self.types.entry(type_name(d.kind)).or_default() += 1;
        }
    }
}

fn action_name(a: Action) -> &'static str {
    match a {
        Action::None => "none",
        Action::Offer => "offer",
        Action::Escalate => "escalate",
        Action::DeclineWithChoice => "decline_with_choice",
    }
}

fn type_name(t: EscalationType) -> &'static str {
    match t {
        EscalationType::Proactive => "proactive",
        EscalationType::CustomerRequested => "customer_requested",
        EscalationType::Emergency => "emergency",
    }
}

struct Options {
    summary: bool,
    policy: Option<String>,
    files: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options { summary: false, policy: None, files: Vec::new() };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--summary" => options.summary = true,
            "--policy" => options.policy = Some(args.next().ok_or("--policy needs a FILE")?.clone()),
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            file => options.files.push(file.to_owned()),
        }
    }
    if options.files.is_empty() {
        return Err(String::from("no input FILE"));
    }
    Ok(options)
}

/// Read and check `--policy FILE`; the error names the file and the field.
fn load_policy(path: &str) -> Result<PolicyConfig, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let config: PolicyConfig = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        if field == "." { format!("{path}: {}", e.inner()) } else { format!("{path}: {field}: {}", e.inner()) }
    })?;
    config.validate().map_err(|e| format!("{path}: {e}"))?;
    Ok(config)
}

/// Judge one conversation: append its lines to `out`, count it in `totals`.
fn replay_one(config: &PolicyConfig, conv: &Conversation, default_id: &str, out: &mut Vec<u8>, totals: &mut Totals) {
    let id = conv.id.as_deref().unwrap_or(default_id);
    let tier = conv.customer.as_ref().and_then(|c| c.tier.as_deref());
    let facts = Facts { tier };
    let mut state = PolicyState::default();
    let mut escalated = false;
    // Transcripts exported from a helpdesk rarely mark troubleshooting steps: when none of a
    // conversation's bot messages has a `step`, each bot message counts as one, so "that
    // didn't work" after it is a failed attempt.
    let steps_marked = conv.messages.iter().any(|m| m.step.is_some());
    for (index, m) in conv.messages.iter().enumerate() {
        let decision = match m.role {
            Role::Customer => decide(config, &mut state, &Turn::Customer { text: &m.text }, &facts),
            Role::Bot => {
                let turn = Turn::Bot {
                    text: &m.text,
                    confidence: m.confidence.unwrap_or(1.0),
                    intent: m.intent.as_deref(),
                    step: m.step.as_deref().or((!steps_marked).then_some(&*m.text)),
                    resolved: m.resolved.unwrap_or(false),
                };
                decide(config, &mut state, &turn, &facts)
            }
            Role::Agent | Role::System => Decision::none(),
        };
        escalated |= decision.action == Action::Escalate;
        totals.count(&decision);
        let line = Line {
            conversation: id,
            index,
            role: m.role.as_str(),
            action: decision.action,
            kind: decision.kind,
            priority: decision.priority,
            reasons: &decision.reasons,
        };
        // Writing to a Vec cannot fail; serialising these types cannot either.
        let _ = serde_json::to_writer(&mut *out, &line);
        out.push(b'\n');
    }
    totals.conversations += 1;
    totals.escalated_conversations += u64::from(escalated);
}

/// The result of a batch of lines: output bytes, errors for stderr, totals.
#[derive(Default)]
struct Batch {
    out: Vec<u8>,
    errors: Vec<String>,
    totals: Totals,
}

/// Judge `(line number, line)` pairs of one `.jsonl` file, in order.
fn replay_lines(config: &PolicyConfig, file: &str, lines: &[(usize, &str)]) -> Batch {
    let mut batch = Batch::default();
    for &(number, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Conversation>(line) {
            Ok(conv) => {
                let default_id = format!("{file}:{number}");
                replay_one(config, &conv, &default_id, &mut batch.out, &mut batch.totals);
            }
            Err(e) => batch.errors.push(format!("{file}:{number}: {e}")),
        }
    }
    batch
}

/// Split a batch of lines over the cores and put the results back in order.
fn replay_parallel(config: &PolicyConfig, file: &str, lines: &[(usize, &str)], workers: usize) -> Vec<Batch> {
    if workers <= 1 || lines.len() < 256 {
        return vec![replay_lines(config, file, lines)];
    }
    let chunk = lines.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            lines.chunks(chunk).map(|part| scope.spawn(move || replay_lines(config, file, part))).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| Batch {
                    errors: vec![format!("{file}: internal error while replaying")],
                    ..Batch::default()
                })
            })
            .collect()
    })
}

pub fn main(args: &[String]) -> ExitCode {
    let options = match parse_args(args) {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("baton replay: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let config = match options.policy.as_deref().map(load_policy).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => {
            eprintln!("baton replay: --policy {e}");
            return ExitCode::from(2);
        }
    };
    let workers = std::thread::available_parallelism().map_or(1, usize::from);

    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut totals = Totals::default();
    let mut bad = false;
    for file in &options.files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{file}: {e}");
                bad = true;
                continue;
            }
        };
        let batches = if file.ends_with(".jsonl") {
            let numbered: Vec<(usize, &str)> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
            numbered.chunks(BATCH_LINES).flat_map(|lines| replay_parallel(&config, file, lines, workers)).collect()
        } else {
            let mut batch = Batch::default();
            match serde_json::from_str::<Conversation>(&text) {
                Ok(conv) => replay_one(&config, &conv, file, &mut batch.out, &mut batch.totals),
                Err(e) => batch.errors.push(format!("{file}:{}: {e}", e.line())),
            }
            vec![batch]
        };
        for batch in batches {
            if out.write_all(&batch.out).is_err() {
                // stdout closed (e.g. piped into `head`): stop quietly.
                return ExitCode::from(u8::from(bad));
            }
            for e in &batch.errors {
                eprintln!("{e}");
            }
            bad |= !batch.errors.is_empty();
            totals.add(batch.totals);
        }
    }
    if options.summary {
        let rate = if totals.conversations == 0 {
            0.0
        } else {
            totals.escalated_conversations as f64 / totals.conversations as f64
        };
        let summary = serde_json::json!({
            "summary": {
                "conversations": totals.conversations,
                "messages": totals.messages,
                "escalated_conversations": totals.escalated_conversations,
                "escalation_rate": rate,
                "actions": totals.actions,
                "reasons": totals.reasons,
                "types": totals.types,
            }
        });
        let _ = writeln!(out, "{summary}");
    }
    if out.flush().is_err() {
        return ExitCode::from(u8::from(bad));
    }
    if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
