//! `baton replay` run as the real binary on small fixtures: the happy path, `--summary`,
//! a bad input line, and a bad `--policy` file.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

fn replay(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_baton")).arg("replay").args(args).output();
    output.unwrap_or_else(|e| panic!("could not run baton: {e}"))
}

fn lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect()
}

#[test]
fn prints_one_decision_per_message_and_reports_the_bad_line() {
    let jsonl = fixture("replay.jsonl");
    let out = replay(&[&jsonl]);
    assert_eq!(out.status.code(), Some(1), "a bad line makes the exit code 1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{jsonl}:3: ")), "stderr names FILE:LINE: {stderr}");

    let got = lines(&out);
    assert_eq!(got.len(), 6, "two messages in each of the three good conversations");
    assert_eq!(
        got[0],
        serde_json::json!({"conversation": "c1", "index": 0, "role": "customer", "action": "escalate",
            "type": "customer_requested", "priority": "medium",
            "reasons": [{"code": "human_request", "evidence": "talk to a real person"}]})
    );
    assert_eq!(got[1]["action"], "none");
    // No id: FILE:LINE. A simple question, then a bot that is unsure.
    assert_eq!(got[2]["conversation"], format!("{jsonl}:2"));
    assert_eq!(got[2]["action"], "none");
    assert_eq!(got[2]["reasons"][0]["code"], "order_status");
    assert_eq!(got[3]["action"], "escalate");
    assert_eq!(got[3]["reasons"][0]["code"], "low_confidence");
    // The enterprise tier escalates, one level up; agent messages are printed, not judged.
    assert_eq!(got[4]["conversation"], "c4");
    assert_eq!(got[4]["priority"], "high");
    assert_eq!(got[4]["reasons"][0]["code"], "vip_customer");
    assert_eq!(got[5]["role"], "agent");
    assert_eq!(got[5]["action"], "none");
}

#[test]
fn summary_counts_conversations_reasons_and_types() {
    let out = replay(&["--summary", &fixture("replay.jsonl"), &fixture("one.json")]);
    let got = lines(&out);
    let summary = &got.last().cloned().unwrap_or_default()["summary"];
    assert_eq!(summary["conversations"], 4);
    assert_eq!(summary["messages"], 7);
    assert_eq!(summary["escalated_conversations"], 4);
    assert_eq!(summary["escalation_rate"], 1.0);
    assert_eq!(summary["reasons"]["human_request"], 1);
    assert_eq!(summary["reasons"]["account_security"], 1);
    assert_eq!(summary["types"]["emergency"], 1);
    assert_eq!(summary["types"]["customer_requested"], 1);
    assert_eq!(summary["types"]["proactive"], 2);
    // The single .json conversation keeps its own id.
    assert!(got.iter().any(|l| l["conversation"] == "single" && l["type"] == "emergency"));
}

#[test]
fn a_good_file_exits_zero() {
    let out = replay(&[&fixture("one.json")]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(lines(&out).len(), 1);
}

#[test]
fn a_bad_policy_names_the_field() {
    let out = replay(&["--policy", &fixture("bad_policy.json"), &fixture("one.json")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("moneyThresholdMinor"), "{stderr}");
}

#[test]
fn usage_without_files() {
    let out = replay(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: baton replay"));
}

/// Regression (review of issue 3): transcripts in the issue's own format have no `step`, and
/// three failures in a row never counted.
#[test]
fn failed_attempts_count_in_transcripts_without_steps() {
    let dir = std::env::temp_dir().join(format!("baton-replay-steps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("steps.json");
    let conv = r#"{"id": "s", "messages": [
        {"role": "customer", "text": "my router keeps dropping the connection"},
        {"role": "bot", "text": "Please restart the router.", "confidence": 0.9},
        {"role": "customer", "text": "that didn't work"},
        {"role": "bot", "text": "Try updating the firmware.", "confidence": 0.9},
        {"role": "customer", "text": "still not working"}]}"#;
    std::fs::write(&file, conv).unwrap();
    let out = replay(&[file.to_str().unwrap()]);
    let last = lines(&out).pop().unwrap();
    assert_eq!(last["action"], "escalate", "{last}");
    assert_eq!(last["reasons"][0]["code"], "failed_attempts", "{last}");
    let _ = std::fs::remove_dir_all(&dir);
}
