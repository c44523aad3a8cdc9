//! The `baton` command: `baton serve` (the reference backend) and `baton replay` (policy audit).

mod api;
mod cli;
mod db;
mod kb;
mod mail;
mod replay;
mod serve;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => serve::main(&args[1..]),
        Some("replay") => replay::main(&args[1..]),
        _ => {
            eprintln!("usage: baton serve [options] | baton replay FILE...");
            ExitCode::from(2)
        }
    }
}
