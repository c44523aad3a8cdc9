//! Every detector on arbitrary text, through `decide`: no panic, evidence is a slice of the
//! input (or a fixed phrase), and the state stays bounded over a long conversation.
#![no_main]

use baton::policy::{decide, Action, Facts, PolicyConfig, PolicyState, Turn, RECENT_QUESTIONS};
use libfuzzer_sys::fuzz_target;

const FIXED_EVIDENCE: &[&str] = &["bot confidence below the threshold"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let config = PolicyConfig::default();
    let mut state = PolicyState::default();
    // The first byte steers the conversation around the text: a tier, a bot step, a repeat.
    let steer = data.first().copied().unwrap_or(0);
    let facts = Facts { tier: if steer & 1 == 1 { Some(text) } else { None } };
    for round in 0..3 {
        if steer & 2 == 2 {
            let bot = Turn::Bot { text, confidence: f64::from(steer) / 255.0, intent: None, step: Some(text), resolved: false };
            let d = decide(&config, &mut state, &bot, &facts);
            assert!(d.reasons.iter().all(|r| FIXED_EVIDENCE.contains(&r.evidence.as_str()) || text.contains(&r.evidence)));
        }
        let d = decide(&config, &mut state, &Turn::Customer { text }, &facts);
        for r in &d.reasons {
            assert!(text.contains(r.evidence.as_str()) || FIXED_EVIDENCE.contains(&r.evidence.as_str()), "round {round}");
        }
        assert!(d.action != Action::None || d.reasons.iter().all(|r| r.code.priority() == baton::policy::Priority::Low));
        assert!(state.recent_questions.len() <= RECENT_QUESTIONS);
    }
});
