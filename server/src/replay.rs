//! `baton replay`: run past transcripts through the escalation policy and print each decision.

use std::process::ExitCode;

pub fn main(_args: &[String]) -> ExitCode {
    eprintln!("baton replay: not implemented yet");
    ExitCode::from(2)
}
