//! The host page's options, parsed and validated once, at the edge, into a typed [`Config`].
//! Every error names the option that was wrong; nothing here panics on bad input.

use crate::policy::PolicyConfig;
use crate::strings::Strings;
use crate::strings_es::{localized, Overrides};
use crate::time::{DAY_MS, SECOND_MS};
use serde::{Deserialize, Deserializer};

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
    /// Appearance, applied by the loader as attributes on the shadow host (the CSS does the rest).
    /// `"light"`, `"dark"` or `"auto"` (follow `prefers-color-scheme`).
    pub theme: &'static str,
    /// Launcher corner: `"right"` or `"left"`.
    pub position: &'static str,
    /// Open the panel on load.
    pub open: bool,
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

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Baton: option `{}` {}", self.option, self.problem)
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
}

/// Option names, as written by the host page (camelCase).
pub const OPTION_NAMES: &[&str] =
    &["endpoint", "site", "retentionDays", "pollIntervalSeconds", "productVersion", "strings", "policy", "ui", "stylesheet",
      "locale", "theme", "position", "open"];

impl Options {
    /// Sets one option from any serde deserializer (a `JsValue` in the browser, JSON in tests).
    pub fn set<'de, D: Deserializer<'de>>(&mut self, name: &str, value: D) -> Result<(), ConfigError> {
        fn parse<'de, T: Deserialize<'de>, D: Deserializer<'de>>(name: &str, value: D) -> Result<T, ConfigError> {
            T::deserialize(value).map_err(|e| ConfigError::new(name, format!("is invalid: {e}")))
        }
        match name {
            "endpoint" => self.endpoint = parse(name, value)?,
            "site" => self.site = parse(name, value)?,
            "retentionDays" => self.retention_days = parse(name, value)?,
            "pollIntervalSeconds" => self.poll_interval_seconds = parse(name, value)?,
            "productVersion" => self.product_version = parse(name, value)?,
            "strings" => self.strings = parse(name, value)?,
            "policy" => self.policy = parse(name, value)?,
            "ui" => self.ui = parse(name, value)?,
            "stylesheet" => self.stylesheet = parse(name, value)?,
            "locale" => self.locale = parse(name, value)?,
            "theme" => self.theme = parse(name, value)?,
            "position" => self.position = parse(name, value)?,
            "open" => self.open = parse(name, value)?,
            _ => {
                return Err(ConfigError::new(name, format!("is not a known option (known: {})", OPTION_NAMES.join(", "))))
            }
        }
        Ok(())
    }

    /// Checks every option and builds the typed configuration.
    pub fn validate(self) -> Result<Config, ConfigError> {
        let endpoint = self.endpoint.unwrap_or_default().trim().trim_end_matches('/').to_owned();
        if !(endpoint.is_empty()
            || endpoint.starts_with("https://")
            || endpoint.starts_with("http://")
            || endpoint.starts_with('/'))
        {
            return Err(ConfigError::new("endpoint", "must be an http(s) URL or a path starting with `/`"));
        }
        let site = self.site.unwrap_or_else(|| String::from("default"));
        if site.is_empty()
            || site.len() > 64
            || !site.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
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
        let policy = self.policy.unwrap_or_default();
        let locale = self.locale.filter(|l| !l.is_empty());
        if locale.as_deref().is_some_and(|l| l.len() > 35 || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')) {
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
            endpoint,
            site,
            retention_ms: u64::from(retention_days) * DAY_MS,
            poll_interval_ms: u64::from(poll) * SECOND_MS,
            product_version: self.product_version.filter(|v| !v.trim().is_empty()),
            strings: localized(locale.as_deref(), self.strings),
            policy,
            ui: self.ui.unwrap_or(true),
            stylesheet: self.stylesheet.filter(|s| !s.trim().is_empty()),
            theme,
            position,
            open: self.open.unwrap_or(false),
        })
    }
}

