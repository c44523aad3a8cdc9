//! Time per `decide` for a 200-character customer message at conversation lengths 10, 1,000
//! and 10,000 turns: the cost must follow the message, never the conversation.
//!
//! `cargo bench --bench decide` (plain `harness = false`, std::time only: no extra crate in
//! the build for a number that needs no statistics beyond a median of runs).

use std::hint::black_box;
use std::time::{Duration, Instant};

use baton::policy::{decide, Facts, PolicyConfig, PolicyState, Turn};

/// 200 characters, with words several rules look at, no rule quite firing.
const MESSAGE: &str = "Hi again, I tried restarting the router like you said and the light is still blinking orange. \
    The manual mentions a reset button on the back, should I hold it for ten seconds or longer? Many thanks :)";

const HISTORY: &[&str] = &[
    "my internet keeps dropping every evening around eight",
    "I have the model with four antennas, bought last spring",
    "the cable looks fine, it is plugged in on both ends",
    "which settings page shows the signal strength exactly",
];

fn conversation(turns: usize) -> PolicyState {
    let config = PolicyConfig::default();
    let mut state = PolicyState::default();
    let facts = Facts::default();
    for i in 0..turns {
        let text = HISTORY.get(i % HISTORY.len()).copied().unwrap_or("");
        if i % 2 == 0 {
            decide(&config, &mut state, &Turn::Customer { text }, &facts);
        } else {
            let bot = Turn::Bot { text, confidence: 0.8, intent: None, step: Some("restart"), resolved: false };
            decide(&config, &mut state, &bot, &facts);
        }
    }
    state
}

fn main() {
    assert_eq!(MESSAGE.chars().count(), 200, "the benchmark message must be 200 characters");
    let config = PolicyConfig::default();
    let facts = Facts::default();
    println!("decide() on a 200-character customer message (median of 7 runs)");
    for turns in [10, 1_000, 10_000] {
        let prior = conversation(turns);
        let mut runs: Vec<Duration> = (0..7)
            .map(|_| {
                let iterations = 20_000u32;
                let start = Instant::now();
                for _ in 0..iterations {
                    let mut state = prior.clone();
                    black_box(decide(&config, &mut state, &Turn::Customer { text: black_box(MESSAGE) }, &facts));
                }
                start.elapsed() / iterations
            })
            .collect();
        runs.sort();
        let median = runs.get(runs.len() / 2).copied().unwrap_or_default();
        println!("  after {turns:>6} turns: {:>8.2} µs per decision (state clone included)", median.as_secs_f64() * 1e6);
    }

    // The cost must follow the message: the longest message the widget accepts (2,000
    // characters), written to make phrase matching work hardest ("no" starts many phrases).
    println!("decide() on customer messages of growing length, fresh conversation (median of 7 runs)");
    for words in [100, 333, 666] {
        let text = "no ".repeat(words);
        let mut runs: Vec<Duration> = (0..7)
            .map(|_| {
                let iterations = 200u32;
                let start = Instant::now();
                for _ in 0..iterations {
                    let mut state = PolicyState::default();
                    black_box(decide(&config, &mut state, &Turn::Customer { text: black_box(&text) }, &facts));
                }
                start.elapsed() / iterations
            })
            .collect();
        runs.sort();
        let median = runs.get(runs.len() / 2).copied().unwrap_or_default();
        println!("  {:>5} characters: {:>8.2} µs per decision", text.len(), median.as_secs_f64() * 1e6);
    }
}
