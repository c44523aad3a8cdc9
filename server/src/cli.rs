//! Parsing and validation of `baton serve` flags into a typed `ServeConfig`, kept apart from
//! the environment: the caller passes the value of `PORT`, so every rule here is testable.

use crate::mail::Mailer;
use std::fmt;
use std::path::PathBuf;

/// Everything `baton serve` needs to start, already validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    pub host: String,
    pub port: u16,
    pub db: PathBuf,
    pub www: PathBuf,
    pub dist: PathBuf,
    pub kb: PathBuf,
    /// Agents counted as online without a console (so the demo can offer a queue).
    pub fixed_agents: u32,
    /// Average handle time per case, in seconds, used for every wait estimate.
    pub handle_time_secs: u64,
    pub allow_origins: Vec<String>,
    /// Emails each new case's summary to the customer (`sendmail -t -i`); none by default.
    pub mailer: Option<Mailer>,
}

/// A flag problem, phrased for the person who typed the command. Exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const USAGE: &str = "usage: baton serve [--host 127.0.0.1] [--port 8080] [--db data/baton.db] \
[--www www] [--dist dist] [--kb server/kb.json] [--agents 1] [--handle-time 300] \
[--allow-origin ORIGIN]... [--mail-command 'sendmail -t -i']";

pub const DEFAULT_PORT: u16 = 8080;
pub const DEFAULT_AGENTS: u32 = 1;
pub const DEFAULT_HANDLE_TIME_SECS: u64 = 300;

/// Parse `args` (everything after `serve`). `env_port` is the value of `$PORT`, if set.
/// Returns `Ok(None)` for `--help`.
pub fn parse_serve(args: &[String], env_port: Option<&str>) -> Result<Option<ServeConfig>, CliError> {
    let mut host = "127.0.0.1".to_string();
    let mut port: Option<u16> = None;
    let mut db = PathBuf::from("data/baton.db");
    let mut www = PathBuf::from("www");
    let mut dist = PathBuf::from("dist");
    let mut kb = PathBuf::from("server/kb.json");
    let mut fixed_agents = DEFAULT_AGENTS;
    let mut handle_time_secs = DEFAULT_HANDLE_TIME_SECS;
    let mut allow_origins = Vec::new();
    let mut mailer = None;

    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(None);
        }
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let known = [
            "--host", "--port", "--db", "--www", "--dist", "--kb", "--agents", "--handle-time",
            "--allow-origin", "--mail-command",
        ];
        if !known.contains(&flag) {
            return Err(CliError(format!("baton serve: unknown flag {arg}\n{USAGE}")));
        }
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| CliError(format!("baton serve: {flag} needs a value")))?,
        };
        if value.is_empty() {
            return Err(CliError(format!("baton serve: {flag} needs a non-empty value")));
        }
        match flag {
            "--host" => host = value,
            "--port" => port = Some(parse_port(&value, "--port")?),
            "--db" => db = PathBuf::from(value),
            "--www" => www = PathBuf::from(value),
            "--dist" => dist = PathBuf::from(value),
            "--kb" => kb = PathBuf::from(value),
            "--agents" => {
                fixed_agents = value.parse().map_err(|_| {
                    CliError(format!("baton serve: --agents expects a whole number >= 0, got '{value}'"))
                })?
            }
            "--handle-time" => {
                handle_time_secs = match value.parse::<u64>() {
                    Ok(n) if n >= 1 => n,
                    _ => {
                        return Err(CliError(format!(
                            "baton serve: --handle-time expects seconds >= 1, got '{value}'"
                        )))
                    }
                }
            }
            "--allow-origin" => {
                if !(value.starts_with("http://") || value.starts_with("https://")) || value.ends_with('/') {
                    return Err(CliError(format!(
                        "baton serve: --allow-origin expects an origin like https://shop.example, got '{value}'"
                    )));
                }
                allow_origins.push(value)
            }
            "--mail-command" => mailer = Mailer::parse(&value),
            _ => unreachable!("flag list checked above"),
        }
    }
    let port = match (port, env_port) {
        (Some(p), _) => p,
        (None, Some(v)) if !v.is_empty() => parse_port(v, "PORT (environment)")?,
        _ => DEFAULT_PORT,
    };
    Ok(Some(ServeConfig { host, port, db, www, dist, kb, fixed_agents, handle_time_secs, allow_origins, mailer }))
}

fn parse_port(value: &str, name: &str) -> Result<u16, CliError> {
    value
        .parse::<u16>()
        .map_err(|_| CliError(format!("baton serve: {name} expects a port number 0..65535, got '{value}'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn defaults_apply_when_no_flags() {
        let c = parse_serve(&[], None).unwrap().unwrap();
        assert_eq!(c.port, 8080);
        assert_eq!(c.host, "127.0.0.1");
        assert_eq!(c.db, PathBuf::from("data/baton.db"));
        assert_eq!(c.fixed_agents, 1);
        assert_eq!(c.handle_time_secs, 300);
    }

    #[test]
    fn flag_beats_env_port_and_env_beats_default() {
        assert_eq!(parse_serve(&args("--port 9"), Some("7")).unwrap().unwrap().port, 9);
        assert_eq!(parse_serve(&[], Some("7")).unwrap().unwrap().port, 7);
        assert_eq!(parse_serve(&args("--port=0"), None).unwrap().unwrap().port, 0);
    }

    #[test]
    fn bad_flags_name_the_flag() {
        assert!(parse_serve(&args("--port x"), None).unwrap_err().0.contains("--port"));
        assert!(parse_serve(&args("--bogus 1"), None).unwrap_err().0.contains("--bogus"));
        assert!(parse_serve(&args("--db"), None).unwrap_err().0.contains("--db"));
        assert!(parse_serve(&args("--handle-time 0"), None).unwrap_err().0.contains("--handle-time"));
        assert!(parse_serve(&args("--allow-origin foo"), None).unwrap_err().0.contains("--allow-origin"));
        assert!(parse_serve(&[], Some("http")).unwrap_err().0.contains("PORT"));
    }

    #[test]
    fn allow_origin_repeats() {
        let c = parse_serve(&args("--allow-origin https://a.example --allow-origin http://b.test:3000"), None)
            .unwrap()
            .unwrap();
        assert_eq!(c.allow_origins, vec!["https://a.example", "http://b.test:3000"]);
    }

    #[test]
    fn the_mail_command_is_split_into_a_program_and_its_arguments() {
        assert_eq!(parse_serve(&[], None).unwrap().unwrap().mailer, None);
        let c = parse_serve(&["--mail-command".into(), "/usr/sbin/sendmail -t -i".into()], None).unwrap().unwrap();
        assert_eq!(c.mailer.map(|m| m.argv), Some(vec!["/usr/sbin/sendmail".into(), "-t".into(), "-i".into()]));
    }
}
