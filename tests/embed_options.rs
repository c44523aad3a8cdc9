#![cfg(not(target_arch = "wasm32"))]
//! The embedding options (`locale`, `theme`, `position`, `open`) and Spanish: parsed and checked
//! at the edge, errors naming the option, overrides laid over the chosen language.

use baton::config::{Config, ConfigError, Options};

fn options(json: &str) -> Result<Config, ConfigError> {
    Options::from_json(json)
}

fn error(json: &str) -> String {
    options(json).expect_err("these options are invalid").to_string()
}

#[test]
fn defaults_are_english_auto_theme_right_corner_and_closed() {
    let c = options("{}").unwrap();
    assert_eq!((c.theme, c.position, c.open), ("auto", "right", false));
    assert_eq!(c.strings.send(), "Send");
}

#[test]
fn theme_position_and_open_are_read() {
    let c = options(r#"{"theme": "dark", "position": "left", "open": true}"#).unwrap();
    assert_eq!((c.theme, c.position, c.open), ("dark", "left", true));
}

#[test]
fn a_bad_theme_position_open_or_locale_names_the_option() {
    let e = error(r#"{"theme": "purple"}"#);
    assert!(e.contains("`theme`") && e.contains("`light`"), "{e}");
    let e = error(r#"{"position": "top"}"#);
    assert!(e.contains("`position`") && e.contains("`left`"), "{e}");
    let e = error(r#"{"open": "yes"}"#);
    assert!(e.contains("`open`"), "{e}");
    let e = error(r#"{"locale": "es MX<script>"}"#);
    assert!(e.contains("`locale`"), "{e}");
    let e = error(r#"{"locale": 3}"#);
    assert!(e.contains("`locale`"), "{e}");
}

#[test]
fn spanish_locales_get_spanish_strings_and_overrides_still_win() {
    let c = options(r#"{"strings": {"send": "Mandar"}, "locale": "es-419"}"#).unwrap();
    assert_eq!(c.strings.send(), "Mandar", "an override wins whatever the order of the options");
    assert_eq!(c.strings.title(), "Ayuda");
    let c = options(r#"{"locale": "de-DE"}"#).unwrap();
    assert_eq!(c.strings.title(), "Support", "no German built in: English");
}

#[test]
fn an_unknown_string_key_names_the_strings_option_and_the_key() {
    let e = error(r#"{"strings": {"sned": "x"}}"#);
    assert!(e.contains("`strings`") && e.contains("sned") && e.contains("message_label"), "{e}");
}

/// QA: `pollIntervalSeconds: 7.5` said "must be a whole number, not a number", and
/// `redact: "abc"` named the option twice ("option `redact` field `redact` ...").
#[test]
fn number_and_list_errors_say_what_is_wrong_once() {
    assert_eq!(
        error(r#"{"pollIntervalSeconds": 7.5}"#),
        "Baton: option `pollIntervalSeconds` must be a whole number, without a fraction or a minus sign"
    );
    assert_eq!(error(r#"{"retentionDays": "7"}"#), "Baton: option `retentionDays` must be a whole number, not a string");
    assert_eq!(error(r#"{"pollIntervalSeconds": 5e9}"#), "Baton: option `pollIntervalSeconds` must be between 5 and 3600");
    assert_eq!(error(r#"{"redact": "abc"}"#), "Baton: option `redact` must be an array of strings");
    assert_eq!(error(r####"{"redact": ["###-##", 5]}"####), "Baton: option `redact` must be an array of strings");
}

/// QA: `strings: {title: ""}` was taken, and the dialog and the log had no name.
#[test]
fn an_empty_string_override_is_refused_but_the_greeting_may_be_empty() {
    assert_eq!(error(r#"{"strings": {"title": " "}}"#), "Baton: option `strings` `title` must not be empty");
    assert_eq!(error(r#"{"strings": {"messageLabel": ""}}"#), "Baton: option `strings` `messageLabel` must not be empty");
    assert_eq!(options(r#"{"strings": {"greeting": ""}}"#).map(|c| c.strings.by_key("greeting").to_owned()).ok().as_deref(), Some(""));
}

/// QA: `queueStatus: "You are number {pos} ({minutes})"` was accepted, and customers read
/// "You are number {pos} (about 35 min)". A placeholder the text does not have is refused,
/// naming the ones it has; leaving one out is the site's choice.
#[test]
fn a_placeholder_the_string_does_not_have_is_refused_by_name() {
    assert_eq!(
        error(r#"{"strings": {"queueStatus": "You are number {pos} ({minutes})"}}"#),
        "Baton: option `strings` `queueStatus`: `{pos}` is not one of its placeholders (in English: \"You're #{position} in queue · {minutes}\")"
    );
    assert!(error(r#"{"strings": {"send": "Go {now}"}}"#).ends_with("`send`: `{now}` is not one of its placeholders (in English: \"Send\")"));
    let c = options(r#"{"strings": {"queue_status": "Number {position}", "queued": "Case {case} is open.", "send": "Go"}}"#).unwrap();
    assert_eq!(c.strings.queue_status(), "Number {position}");
}

/// QA: baton.d.ts named 15 of the strings and let any key through (`[key: string]`), so a
/// typo type-checked and only failed at run time. Every key is declared, and only those.
#[test]
fn the_typescript_declarations_name_every_string_key() {
    let dts = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/www/baton.d.ts")).unwrap();
    let start = dts.find("export interface Strings {").unwrap();
    let block = &dts[start..start + dts[start..].find("\n}\n").unwrap()];
    let declared: Vec<&str> = block
        .lines()
        .filter_map(|l| l.trim().strip_suffix("?: string;"))
        .collect();
    let camel = |k: &str| {
        let mut out = String::new();
        for (i, part) in k.split('_').enumerate() {
            let mut c = part.chars();
            if i == 0 {
                out.push_str(part);
            } else if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        }
        out
    };
    let keys: Vec<String> = baton::strings::string_keys().map(camel).collect();
    assert_eq!(declared, keys.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!block.contains("[key: string]"), "no catch-all key");
}

