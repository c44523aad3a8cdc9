//! Test harness: starts the real `baton serve` binary on a free port over a fresh SQLite file
//! in a temporary directory, and talks to it over real HTTP with ureq.

#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// A scratch directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "baton-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("www")).unwrap();
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        TempDir(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn db(&self) -> PathBuf {
        self.0.join("t.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub struct Server {
    child: Child,
    pub base: String,
    http: ureq::Agent,
}

pub fn kb_path() -> String {
    format!("{}/kb.json", env!("CARGO_MANIFEST_DIR"))
}

impl Server {
    /// Start `baton serve` over `dir` (its t.db, www/ and dist/) with extra flags.
    pub fn start(dir: &TempDir, extra: &[&str]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_baton"));
        cmd.arg("serve")
            .args(["--port", "0", "--db"])
            .arg(dir.db())
            .arg("--www")
            .arg(dir.path().join("www"))
            .arg("--dist")
            .arg(dir.path().join("dist"))
            .args(["--kb", &kb_path()])
            .args(extra)
            .env_remove("PORT")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().expect("spawn baton");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read listening line");
        let base = line
            .trim()
            .strip_prefix("baton: listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        let http: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        Server { child, base, http }
    }

    /// SIGTERM, and the exit status (graceful shutdown must exit 0).
    pub fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
        self.child.wait().expect("wait")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GET, returning the status, the content-type and the raw body.
    pub fn get_raw(&self, path: &str) -> (u16, String, String) {
        let mut resp = self.http.get(&self.url(path)).call().expect("GET");
        let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let body = resp.body_mut().read_to_string().unwrap_or_default();
        (resp.status().as_u16(), ct, body)
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        let (status, _, body) = self.get_raw(path);
        (status, parse(&body))
    }

    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.post_with(path, &body.to_string(), &[])
    }

    pub fn post_with(&self, path: &str, body: &str, headers: &[(&str, &str)]) -> (u16, Value) {
        let mut req = self.http.post(&self.url(path)).content_type("application/json");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut resp = req.send(body).expect("POST");
        let text = resp.body_mut().read_to_string().unwrap_or_default();
        (resp.status().as_u16(), parse(&text))
    }

    /// POST /v1/escalations with a package and key; returns (status, body).
    pub fn escalate(&self, key: &str, package: &Value) -> (u16, Value) {
        self.post_with("/v1/escalations", &package.to_string(), &[("Idempotency-Key", key)])
    }

    /// An agent takes the case: the answer's status.
    pub fn accept(&self, case_id: &str, agent: &str) -> u16 {
        self.post(&format!("/v1/agent/cases/{case_id}/accept"), &serde_json::json!({ "agent": agent })).0
    }

    /// A new case for `package` (escalated under `key`), taken by Alex: its id.
    pub fn accepted_case(&self, key: &str, package: &Value) -> String {
        let id = self.new_case(key, package);
        assert_eq!(self.accept(&id, "Alex"), 200);
        id
    }

    /// Escalates `package` under `key` (a new case: 201) and returns the case's id.
    pub fn new_case(&self, key: &str, package: &Value) -> String {
        let (status, c) = self.escalate(key, package);
        assert_eq!(status, 201, "{c}");
        c["case_id"].as_str().expect("a case_id").to_owned()
    }

    pub fn options(&self, path: &str, origin: &str) -> (u16, Vec<(String, String)>) {
        let resp = self
            .http
            .options(&self.url(path))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,idempotency-key")
            .call()
            .expect("OPTIONS");
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        (resp.status().as_u16(), headers)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn parse(body: &str) -> Value {
    if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_string()))
    }
}

/// A minimal handoff package with the fields the server reads.
pub fn package(conversation_id: &str, urgency: &str, name: &str) -> Value {
    serde_json::json!({
        "conversation_id": conversation_id,
        "widget_version": "0.1.0",
        "customer": {"name": name, "email": format!("{}@example.com", name.to_lowercase())},
        "assessment": {
            "urgency": urgency,
            "type": "customer_requested",
            "sentiment": "frustrated",
            "reasons": [{"code": "asked_for_human", "evidence": "I want to talk to a person"}],
            "next_steps": ["Check the order"]
        },
        "summary_text": format!("Escalation for {name}"),
        "conversation": {"messages": [
            {"role": "customer", "text": "I want to talk to a person", "at": 1700000000000_i64}
        ]},
        "technical": {"attempts": []}
    })
}

/// The error code and message of an error response.
pub fn error_of(v: &Value) -> (String, String) {
    (
        v["error"]["code"].as_str().unwrap_or_default().to_string(),
        v["error"]["message"].as_str().unwrap_or_default().to_string(),
    )
}
