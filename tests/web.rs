#![cfg(target_arch = "wasm32")]
//! Browser tests: compiled only for wasm32 and run by wasm-bindgen-test-runner in headless
//! Chromium (`CHROMEDRIVER=/usr/bin/chromedriver cargo test -p baton --target wasm32-unknown-unknown`,
//! part of `npm test`). Native `cargo test` skips this file.

use baton::policy::{decide, Action, Decision, Facts, PolicyConfig, PolicyState, Turn};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn runs_in_a_real_browser_window() {
    let window = web_sys::window().expect("tests run in a browser window, not a worker or node");
    let document = window.document().expect("the window has a document");
    assert!(document.create_element("div").is_ok());
}

#[wasm_bindgen_test]
fn the_policy_runs_in_wasm() {
    let config = PolicyConfig::default();
    let mut state = PolicyState::default();
    let turn = Turn::Bot { text: "I am not sure.", confidence: 0.05, intent: None, step: None, resolved: false };
    let decision = decide(&config, &mut state, &turn, &Facts::default());
    assert_ne!(decision.action, Action::None, "a near-zero confidence reply should bring a human in");
    assert_eq!(Decision::none().action, Action::None);
}
