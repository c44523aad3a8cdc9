//! Runs the human-request detection over a TSV of labelled utterances and lists what it gets
//! wrong: `cargo run --example human_request_tsv -- FILE.tsv`. Each line is
//! `text<TAB>source<TAB>pos|neg` (a line without a third column counts as `pos`). Used to tune
//! the rule on external phrasings without looking at the held-out eval set.

use baton::policy::{decide, Action, Facts, PolicyConfig, PolicyState, ReasonCode, Turn};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: human_request_tsv FILE.tsv");
        std::process::exit(2);
    };
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (mut pos, mut pos_hit, mut neg, mut neg_hit) = (0, 0, 0, 0);
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let mut cols = line.split('\t');
        let text = cols.next().unwrap_or("");
        let source = cols.next().unwrap_or("");
        let want = cols.next().unwrap_or("pos") != "neg";
        let d = decide(&PolicyConfig::default(), &mut PolicyState::default(), &Turn::Customer { text }, &Facts::default());
        let reason = d.reasons.iter().find(|r| r.code == ReasonCode::HumanRequest);
        let hit = reason.is_some() && matches!(d.action, Action::Escalate | Action::DeclineWithChoice);
        if want {
            pos += 1;
            pos_hit += usize::from(hit);
        } else {
            neg += 1;
            neg_hit += usize::from(reason.is_some());
        }
        if want != hit && (want || reason.is_some()) {
            let what = if want { "MISS" } else { "FALSE" };
            let evidence = reason.map(|r| format!("{:?}", r.evidence)).unwrap_or_default();
            println!("{what}\t{text}\t{evidence}\t[{source}]");
        }
    }
    println!("recall {pos_hit}/{pos} = {:.3}; false positives {neg_hit}/{neg}", pos_hit as f64 / pos.max(1) as f64);
}
