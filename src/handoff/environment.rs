//! The technical context the browser shell collects once per page (URL, title, user agent,
//! client hints, locale, time zone) and the core copies into the handoff package.

/// What the shell knows about the page and browser. Every field is optional: a privacy
/// setting or an old browser may hide any of them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Environment {
    pub page_url: Option<String>,
    pub page_title: Option<String>,
    pub referrer: Option<String>,
    /// `navigator.userAgent`.
    pub user_agent: Option<String>,
    /// User-Agent client hints (`navigator.userAgentData`) where the browser offers them:
    /// brand and version pairs, e.g. ("Chromium", "126").
    pub ua_brands: Vec<(String, String)>,
    /// `navigator.userAgentData.platform`, e.g. "macOS".
    pub ua_platform: Option<String>,
    /// `navigator.userAgentData.mobile`.
    pub ua_mobile: Option<bool>,
    /// `navigator.language`, e.g. "en-GB".
    pub locale: Option<String>,
    /// `Intl.DateTimeFormat().resolvedOptions().timeZone`, e.g. "Europe/Madrid".
    pub time_zone: Option<String>,
}
