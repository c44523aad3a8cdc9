//! The host page's options, parsed and validated once, at the edge, into a typed [`Config`].
//! Every error names the option that was wrong; nothing here panics on bad input.

use crate::json::Obj;
use crate::policy::{PolicyConfig, ReasonCode};
use crate::strings::Strings;
use crate::strings_es::{localized, Overrides};
use crate::time::{DAY_MS, SECOND_MS};
use crate::json::{self, Value};
use crate::table::Cat;

/// Default time a stored conversation is kept after its last activity.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;
/// Default interval between queue-position polls while waiting for a human.
pub const DEFAULT_POLL_INTERVAL_SECONDS: u32 = 120;

/// Validated configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Backend base URL without a trailing slash; empty means the page's own origin.
    pub endpoint: String,
    /// Namespaces local storage, so two widgets on one origin keep separate conversations.
    pub site: String,
    pub retention_ms: u64,
    pub poll_interval_ms: u64,
    pub product_version: Option<String>,
    pub strings: Strings,
    pub policy: PolicyConfig,
    /// Whether the default UI is rendered (false: headless).
    pub ui: bool,
    /// URL of the widget's stylesheet, loaded inside its shadow root (the loader sets it).
    pub stylesheet: Option<String>,
    /// The site's own patterns to mask before anything is stored or sent (`redact::redact_patterns`).
    pub redact: Vec<String>,
    /// Appearance, applied by the loader as attributes on the shadow host (the CSS does the rest).
    /// `"light"`, `"dark"` or `"auto"` (follow `prefers-color-scheme`).
    pub theme: &'static str,
    /// Launcher corner: `"right"` or `"left"`.
    pub position: &'static str,
    /// Open the panel on load.
    pub open: bool,
    /// The language tag (`locale`, the loader's default `navigator.language`): sent with each
    /// customer turn, so the bot can answer in the customer's language. Empty when unknown.
    pub locale: String,
    /// Before the customer consents to a proactive handoff, list what the team will see.
    pub show_shared: bool,
}

impl Default for Config {
    fn default() -> Self {
        Options::default().validate().unwrap_or_else(|_| unreachable!("defaults are valid"))
    }
}

/// A configuration error, naming the option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub option: String,
    pub problem: String,
}

impl ConfigError {
    fn new(option: &str, problem: impl Into<String>) -> Self {
        ConfigError { option: option.to_owned(), problem: problem.into() }
    }
}

impl ConfigError {
    /// "Baton: option `site` must be ...", as the console and the thrown error show it.
    pub fn message(&self) -> String {
        ["Baton: option `", &self.option, "` ", &self.problem].cat()
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// Options as the host page gives them, before validation. Filled one option at a time by
/// [`Options::set`], so a type error can name the option (serde errors alone do not).
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub endpoint: Option<String>,
    pub site: Option<String>,
    pub retention_days: Option<u32>,
    pub poll_interval_seconds: Option<u32>,
    pub product_version: Option<String>,
    pub strings: Option<Overrides>,
    pub policy: Option<PolicyConfig>,
    pub ui: Option<bool>,
    pub stylesheet: Option<String>,
    pub locale: Option<String>,
    pub theme: Option<String>,
    pub position: Option<String>,
    pub open: Option<bool>,
    pub redact: Option<Vec<String>>,
    pub show_shared: Option<bool>,
}

/// Option names, as written by the host page (camelCase), space-separated.
pub const OPTION_NAMES: &str = concat!(
    "endpoint site retentionDays pollIntervalSeconds productVersion strings policy ui stylesheet ",
    "locale theme position open redact showShared",
);

impl Options {
    /// Reads the host page's options object (as JSON) and validates it.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let value = json::parse(text).map_err(|e| ConfigError::new("(options)", e))?;
        let mut options = Options::default();
        match &value {
            Value::Null => {}
            Value::Obj(members) => {
                for (name, v) in members {
                    if !matches!(v, Value::Null) {
                        options.set(name, v)?;
                    }
                }
            }
            other => return Err(ConfigError::new("(options)", ["must be an object, not ", other.kind()].cat())),
        }
        options.validate()
    }

    /// Sets one option, naming it in any error.
    pub fn set(&mut self, name: &str, v: &Value) -> Result<(), ConfigError> {
        let wrong = |expected: &str| ConfigError::new(name, ["must be ", expected, ", not ", v.kind()].cat());
        // The plain options share one read each (by slot): a copy of the same read per option
        // was most of this function in the wasm.
        let text_slot = match name {
            "endpoint" => Some(&mut self.endpoint),
            "site" => Some(&mut self.site),
            "productVersion" => Some(&mut self.product_version),
            "stylesheet" => Some(&mut self.stylesheet),
            "locale" => Some(&mut self.locale),
            "theme" => Some(&mut self.theme),
            "position" => Some(&mut self.position),
            _ => None,
        };
        if let Some(slot) = text_slot {
            *slot = Some(v.as_str().map(str::to_owned).ok_or_else(|| wrong("a string"))?);
            return Ok(());
        }
        let flag_slot = match name {
            "ui" => Some(&mut self.ui),
            "showShared" => Some(&mut self.show_shared),
            "open" => Some(&mut self.open),
            _ => None,
        };
        if let Some(slot) = flag_slot {
            let Value::Bool(b) = v else { return Err(wrong("true or false")) };
            *slot = Some(*b);
            return Ok(());
        }
        let count_slot = match name {
            "retentionDays" => Some(&mut self.retention_days),
            "pollIntervalSeconds" => Some(&mut self.poll_interval_seconds),
            _ => None,
        };
        if let Some(slot) = count_slot {
            *slot = Some(match v.as_f64() {
                // Too large saturates: the range check then names the allowed range.
                Some(n) if n.fract() == 0.0 && n >= 0.0 => n.min(u32::MAX as f64) as u32,
                Some(_) => return Err(ConfigError::new(name, "must be a whole number, without a fraction or a minus sign")),
                None => return Err(wrong("a whole number")),
            });
            return Ok(());
        }
        match name {
            "strings" => {
                let members = v.members().ok_or_else(|| wrong("an object"))?;
                let mut probe = Strings::default();
                let mut pairs = Vec::with_capacity(members.len());
                for (key, text) in members {
                    let text = text.as_str().ok_or_else(|| ConfigError::new(name, ["`", key, "` must be a string"].cat()))?;
                    // Every string but the greeting names a control or tells the customer
                    // something (QA: an empty `title` left the dialog without a name).
                    if text.trim().is_empty() && key != "greeting" {
                        return Err(ConfigError::new(name, ["`", key, "` must not be empty"].cat()));
                    }
                    if !probe.set(key, String::new()) {
                        let known = crate::strings::string_key_list();
                        return Err(ConfigError::new(name, ["`", key, "` is not a known string (known: ", &known, ")"].cat()));
                    }
                    if let Some((unknown, english)) = crate::strings::unknown_placeholder(key, text) {
                        let what = ["`", key, "`: `", unknown, "` is not one of its placeholders (in English: \"", &english, "\")"].cat();
                        return Err(ConfigError::new(name, what));
                    }
                    pairs.push((key.clone(), text.to_owned()));
                }
                self.strings = Some(Overrides(pairs));
            }
            "policy" => {
                // Read in place: a policy is a large value, and moving it out of a `Result` and
                // then into the option were two copies of it in the wasm. A bad one fails the
                // whole options object, so what is left here then is never read.
                policy_from_json(v, self.policy.insert(PolicyConfig::default())).map_err(|e| ConfigError::new(name, e))?;
            }
            "redact" => {
                let patterns = strings_of(v, name).map_err(|_| ConfigError::new(name, "must be an array of strings"))?;
                if let Some(bad) = patterns.iter().find(|p| !crate::redact::valid_pattern(p)) {
                    let why = "needs 3 to 40 ASCII characters with `#` (a digit) or `@` (a letter)";
                    return Err(ConfigError::new(name, ["pattern `", bad, "` ", why].cat()));
                }
                self.redact = Some(patterns);
            }
            _ => {
                return Err(ConfigError::new(name, ["is not a known option (known: ", &crate::table::listed(OPTION_NAMES), ")"].cat()))
            }
        }
        Ok(())
    }

    /// Checks every option and builds the typed configuration.
    pub fn validate(self) -> Result<Config, ConfigError> {
        // Every check reads the options borrowed, and nothing is moved out of them until all
        // have passed: a failure then drops them whole, where moving some out first made each
        // failure point drop the rest one by one (a large part of this function in the wasm).
        let endpoint = crate::table::trim_end(self.endpoint.as_deref().unwrap_or_default().trim(), &['/']);
        if !(endpoint.is_empty()
            || endpoint.starts_with("https://")
            || endpoint.starts_with("http://")
            || endpoint.starts_with('/'))
        {
            return Err(ConfigError::new("endpoint", "must be an http(s) URL or a path starting with `/`"));
        }
        let site = self.site.as_deref().unwrap_or("default");
        if site.is_empty()
            || site.len() > 64
            || !crate::table::all_word_bytes(site, false, b"-_.")
        {
            return Err(ConfigError::new("site", "must be 1 to 64 letters, digits, `-`, `_` or `.`"));
        }
        let retention_days = self.retention_days.unwrap_or(DEFAULT_RETENTION_DAYS);
        if !(1..=3650).contains(&retention_days) {
            return Err(ConfigError::new("retentionDays", "must be between 1 and 3650"));
        }
        let poll = self.poll_interval_seconds.unwrap_or(DEFAULT_POLL_INTERVAL_SECONDS);
        if !(5..=3600).contains(&poll) {
            return Err(ConfigError::new("pollIntervalSeconds", "must be between 5 and 3600"));
        }
        let locale = self.locale.as_deref().filter(|l| !l.is_empty());
        if locale.is_some_and(|l| l.len() > 35 || !crate::table::all_word_bytes(l, false, b"-_")) {
            return Err(ConfigError::new("locale", "must be a language tag like `en` or `es-MX`"));
        }
        let theme = match self.theme.as_deref() {
            None | Some("auto") => "auto",
            Some("light") => "light",
            Some("dark") => "dark",
            Some(_) => return Err(ConfigError::new("theme", "must be `auto`, `light` or `dark`")),
        };
        let position = match self.position.as_deref() {
            None | Some("right") => "right",
            Some("left") => "left",
            Some(_) => return Err(ConfigError::new("position", "must be `right` or `left`")),
        };
        Ok(Config {
            endpoint: endpoint.to_owned(),
            site: site.to_owned(),
            retention_ms: u64::from(retention_days) * DAY_MS,
            poll_interval_ms: u64::from(poll) * SECOND_MS,
            product_version: self.product_version.filter(|v| !v.trim().is_empty()),
            strings: localized(locale, self.strings),
            locale: locale.unwrap_or_default().to_owned(),
            policy: self.policy.unwrap_or_default(),
            ui: self.ui.unwrap_or(true),
            stylesheet: self.stylesheet.filter(|s| !s.trim().is_empty()),
            theme,
            position,
            open: self.open.unwrap_or(false),
            redact: self.redact.unwrap_or_default(),
            show_shared: self.show_shared.unwrap_or(true),
        })
    }
}


/// The `policy` option (docs/policy.md), read by hand and then checked by the policy itself.
fn policy_from_json(v: &Value, p: &mut PolicyConfig) -> Result<(), String> {
    let o = Obj::new(v, "")?;
    o.only(concat!(
        "moneyThresholdMinor currency lowConfidence repeatThreshold failedAttemptsThreshold ",
        "similarity vipTiers phrases negativePhrases fillerWords",
    ))?;
    if let Some(n) = o.opt_int("moneyThresholdMinor", 0, i64::MAX)? {
        p.money_threshold_minor = n as u64;
    }
    if let Some(c) = o.opt_str("currency")? {
        p.currency = c;
    }
    if let Some(x) = o.opt_f64("lowConfidence")? {
        p.low_confidence = x;
    }
    if let Some(n) = o.opt_int("repeatThreshold", 0, i64::from(u32::MAX))? {
        p.repeat_threshold = n as u32;
    }
    if let Some(n) = o.opt_int("failedAttemptsThreshold", 0, i64::from(u32::MAX))? {
        p.failed_attempts_threshold = n as u32;
    }
    if let Some(x) = o.opt_f64("similarity")? {
        p.similarity = x;
    }
    if let Some(list) = o.opt("vipTiers") {
        p.vip_tiers = strings_of(list, "vipTiers")?;
    }
    if let Some(list) = o.opt("fillerWords") {
        p.filler_words = strings_of(list, "fillerWords")?;
    }
    for (key, map) in &mut [("phrases", &mut p.phrases), ("negativePhrases", &mut p.negative_phrases)] {
        let Some(members) = o.opt(key) else { continue };
        for (code, list) in members.members().ok_or_else(|| ["field `", key, "` must be an object"].cat())? {
            let Some(code_value) = ReasonCode::ALL.iter().find(|c| c.as_str() == code) else {
                return Err(["field `", key, ".", code, "` is not a reason code"].cat());
            };
            map.insert(*code_value, strings_of(list, key)?);
        }
    }
    p.validate()
}

fn strings_of(v: &Value, key: &str) -> Result<Vec<String>, String> {
    let wrong = || ["field `", key, "` must be an array of strings"].cat();
    let mut out = Vec::new();
    for item in v.items().ok_or_else(wrong)? {
        out.push(item.as_str().ok_or_else(wrong)?.to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::Options;

    #[test]
    fn the_policy_option_is_read_and_checked_by_the_policy() {
        let c = Options::from_json(r#"{"policy": {"moneyThresholdMinor": 5000, "vipTiers": ["gold"], "phrases": {"human_request": ["hablar con una persona"]}}}"#).unwrap();
        assert_eq!(c.policy.money_threshold_minor, 5000);
        assert_eq!(c.policy.vip_tiers, ["gold"]);
        assert_eq!(c.policy.phrases.get(crate::policy::ReasonCode::HumanRequest).map(<[String]>::len), Some(1));
        // fillerWords too (the wasm reads options here, not through serde).
        let c = Options::from_json(r#"{"policy": {"fillerWords": ["un", "una"]}}"#).unwrap();
        assert_eq!(c.policy.filler_words, ["un", "una"]);
        let err = |json: &str| Options::from_json(json).unwrap_err().to_string();
        assert!(err(r#"{"policy": {"lowConfidence": "high"}}"#).contains("`lowConfidence` must be a number"));
        assert!(err(r#"{"policy": {"phrases": {"human": ["x"]}}}"#).contains("`phrases.human` is not a reason code"));
        assert!(err(r#"{"policy": {"treshold": 1}}"#).contains("`treshold` is not known"));
        assert!(err(r#"{"policy": {"fillerWords": ["por favor"]}}"#).contains("fillerWords"));
        // Values the policy itself rejects are rejected here too, naming the field.
        assert!(err(r#"{"policy": {"lowConfidence": 7}}"#).contains("lowConfidence"), "{}", err(r#"{"policy": {"lowConfidence": 7}}"#));
    }

    #[test]
    fn redaction_patterns_are_checked_and_named() {
        let c = Options::from_json(r####"{"redact": ["###-##-####"]}"####).unwrap();
        assert_eq!(c.redact, ["###-##-####"]);
        let e = Options::from_json(r#"{"redact": ["ssn"]}"#).unwrap_err().to_string();
        assert!(e.contains("`redact`") && e.contains("`ssn`"), "{e}");
    }
}
