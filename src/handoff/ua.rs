//! Browser, OS and device for the handoff package, from User-Agent client hints when the
//! browser offers them and from the user agent string otherwise. A compact table-driven parser
//! for the browsers and systems support agents meet; anything else is left unknown rather than
//! guessed.

use super::environment::Environment;
use super::scan::{after, find};
use crate::table::pairs;

/// What the agent sees: "Chrome 126", "macOS", "desktop". `None` when unknown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Client {
    pub browser: Option<String>,
    pub os: Option<String>,
    pub device: Option<&'static str>,
}

/// User agent tokens, most specific first (Edge, Opera and Samsung Internet also say "Chrome/",
/// every Chromium browser also says "Safari/"), then the browser's name. Safari, the one
/// without its own token ("Version/17.5 … Safari/605"), is handled after the table.
const BROWSERS: &str = concat!(
    "SamsungBrowser/|Samsung Internet\n",
    "OPR/|Opera\n",
    "OPiOS/|Opera\n",
    "EdgA/|Edge\n",
    "EdgiOS/|Edge\n",
    "Edg/|Edge\n",
    "Edge/|Edge\n",
    "FxiOS/|Firefox\n",
    "Firefox/|Firefox\n",
    "CriOS/|Chrome\n",
    "Chromium/|Chromium\n",
    "Chrome/|Chrome\n",
);

/// Client hint brands worth naming, best first; "Chromium" only when nothing better is there.
/// GREASE entries ("Not A(Brand") never equal one of these, so they are skipped for free.
const BRANDS: &str = concat!(
    "Google Chrome|Chrome\n",
    "Microsoft Edge|Edge\n",
    "Opera|Opera\n",
    "Brave|Brave\n",
    "Samsung Internet|Samsung Internet\n",
    "Chromium|Chromium\n",
);

/// Client hint platforms, as `navigator.userAgentData.platform` names them.
const PLATFORMS: &str = concat!(
    "Windows|Windows\n",
    "macOS|macOS\n",
    "Android|Android\n",
    "iOS|iOS\n",
    "Chrome OS|ChromeOS\n",
    "ChromeOS|ChromeOS\n",
    "Linux|Linux\n",
);

/// `Windows NT` versions worth a name.
const WINDOWS: &str = concat!(
    "10.0|Windows 10/11\n",
    "6.3|Windows 8.1\n",
    "6.2|Windows 8\n",
    "6.1|Windows 7\n",
);

/// Parses what the shell collected. Client hints win for the browser (they name Brave and
/// Opera, which the frozen user agent hides) and for the platform (the reduced user agent
/// reports a fixed, wrong OS version); the user agent fills whatever the hints leave out.
pub fn client(env: &Environment) -> Client {
    let mut c = match env.user_agent.as_deref() {
        Some(ua) => parse(ua),
        None => Client::default(),
    };
    'brands: for (hint, name) in pairs(BRANDS) {
        for (b, v) in &env.ua_brands {
            if b.trim() == hint {
                c.browser = Some(named(name, v, 1));
                break 'brands;
            }
        }
    }
    if let Some(p) = env.ua_platform.as_deref() {
        for (hint, name) in pairs(PLATFORMS) {
            if hint.eq_ignore_ascii_case(p.trim()) {
                // Browsers that send hints send a reduced user agent, whose OS version is
                // frozen ("Android 10; K" on every Android): the family alone is the truth.
                c.os = Some(String::from(name));
                break;
            }
        }
    }
    if let Some(mobile) = env.ua_mobile {
        // Android tablets report `mobile: false`; so does desktop.
        let android = c.os.as_deref().is_some_and(|os| os.starts_with("Android"));
        c.device = Some(if mobile {
            "mobile"
        } else if android || c.device == Some("tablet") {
            "tablet"
        } else {
            "desktop"
        });
    }
    c
}

/// Parses a user agent string.
pub fn parse(ua: &str) -> Client {
    let has = |token: &str| find(ua, token, 0, false).is_some();
    let mut browser = None;
    for (token, name) in pairs(BROWSERS) {
        if let Some(rest) = after(ua, token) {
            browser = Some(named(name, rest, 1));
            break;
        }
    }
    // "Version/" means Safari only in a real Safari user agent (not a WebView's).
    // `if let`, not `Option::map` and `bool::then` with closures that build a `String`.
    if browser.is_none() && has("Safari/") {
        if let Some(rest) = after(ua, "Version/") {
            browser = Some(named("Safari", rest, 2));
        }
    }
    let mobile = has("Mobi") || has("iPhone");
    let phone_or_desktop = if mobile { "mobile" } else { "desktop" };
    // (name, the text its version starts, device); one `named` call below.
    let (name, rest, device) = if has("Windows") {
        let mut v = String::new();
        push_version(&mut v, after(ua, "Windows NT ").unwrap_or(""), 2);
        // A plain loop: `find` with a closure is a `try_fold` of its own in the wasm.
        let mut name = "Windows";
        for (nt, named) in pairs(WINDOWS) {
            if nt == v {
                name = named;
                break;
            }
        }
        (name, "", "desktop")
    } else if has("iPad") {
        ("iPadOS", after(ua, " OS ").unwrap_or(""), "tablet")
    } else if has("iPhone") || has("iPod") {
        ("iOS", after(ua, " OS ").unwrap_or(""), "mobile")
    } else if let Some(rest) = after(ua, "Android") {
        let tablet = !mobile || has("Tablet");
        // `trim`, not `trim_start`: the same version (it ends at the first non-digit) without
        // pulling a second whitespace trimmer into the wasm.
        ("Android", rest.trim(), if tablet { "tablet" } else { "mobile" })
    } else if has("CrOS") {
        ("ChromeOS", "", "desktop")
    } else if has("Macintosh") || has("Mac OS X") {
        // The version is frozen at 10_15_7 by every current browser: not worth showing.
        ("macOS", "", "desktop")
    } else if has("Linux") {
        ("Linux", "", phone_or_desktop)
    } else {
        ("", "", phone_or_desktop)
    };
    let os = if name.is_empty() { None } else { Some(named(name, rest, 2)) };
    Client { browser, os, device: Some(device) }
}

/// "Chrome 126" from "Chrome" and "126.0.6478.127"; just "Chrome" without a version.
fn named(name: &str, rest: &str, parts: usize) -> String {
    let mut s = String::from(name);
    s.push(' ');
    push_version(&mut s, rest, parts);
    // A version that added nothing leaves the space: one byte, dropped by length (`pop`
    // decodes the last character from the end).
    if s.as_bytes().last() == Some(&b' ') {
        s.truncate(s.len() - 1);
    }
    s
}

/// Appends the first `parts` components of the version at the start of `s`, joined by `.`
/// ("17_5_1" counts too; empty components are skipped).
fn push_version(out: &mut String, s: &str, parts: usize) {
    let (mut n, mut in_part) = (0, false);
    for b in s.bytes() {
        if b.is_ascii_digit() {
            if !in_part {
                if n == parts {
                    break;
                }
                if n > 0 {
                    out.push('.');
                }
                n += 1;
                in_part = true;
            }
            out.push(char::from(b));
        } else if b == b'.' || b == b'_' {
            in_part = false;
        } else {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real user agent strings, as the browsers send them.
    const CASES: &[(&str, &str, &str, &str)] = &[
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
            "Chrome 126", "Windows 10/11", "desktop",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
            "Edge 126", "Windows 10/11", "desktop",
        ),
        (
            "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0",
            "Firefox 115", "Windows 7", "desktop",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            "Safari 17.5", "macOS", "desktop",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0",
            "Firefox 127", "macOS", "desktop",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0",
            "Opera 111", "macOS", "desktop",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari 17.5", "iOS 17.5", "mobile",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.153 Mobile/15E148 Safari/604.1",
            "Chrome 126", "iOS 17.5", "mobile",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15",
            "Firefox 127", "iOS 17.5", "mobile",
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
            "Safari 16.6", "iPadOS 16.6", "tablet",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
            "Chrome 126", "Android 14", "mobile",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
            "Samsung Internet 25", "Android 13", "mobile",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Safari/537.36",
            "Samsung Internet 24", "Android 13", "tablet",
        ),
        (
            "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0",
            "Firefox 127", "Android 14", "mobile",
        ),
        (
            "Mozilla/5.0 (Linux; Android 8.1.0; Nexus 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0 Safari/537.36",
            "Chrome 110", "Android 8.1", "tablet",
        ),
        (
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 EdgA/126.0.2592.80",
            "Edge 126", "Android 10", "mobile",
        ),
        (
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 OPR/83.0.0.0",
            "Opera 83", "Android 10", "mobile",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
            "Chrome 126", "Linux", "desktop",
        ),
        (
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
            "Firefox 127", "Linux", "desktop",
        ),
        (
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
            "Chrome 126", "ChromeOS", "desktop",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045",
            "Edge 18", "Windows 10/11", "desktop",
        ),
    ];

    #[test]
    fn real_user_agents_parse_to_browser_os_and_device() {
        for (ua, browser, os, device) in CASES {
            let c = parse(ua);
            assert_eq!(
                (c.browser.as_deref(), c.os.as_deref(), c.device),
                (Some(*browser), Some(*os), Some(*device)),
                "{ua}"
            );
        }
    }

    #[test]
    fn odd_user_agents_give_unknowns_not_panics() {
        for ua in ["", "curl/8.5.0", "Mozilla/5.0 (Windows NT", "Version/", "é Chrome/é", "iPhone OS"] {
            let c = parse(ua);
            assert!(c.device.is_some(), "{ua}");
        }
        assert_eq!(parse("curl/8.5.0").browser, None);
        assert_eq!(parse("Mozilla/5.0 (Windows NT").os.as_deref(), Some("Windows"));
    }

    fn env(ua: &str, brands: &[(&str, &str)], platform: Option<&str>, mobile: Option<bool>) -> Environment {
        Environment {
            user_agent: Some(ua.into()),
            ua_brands: brands.iter().map(|(b, v)| (String::from(*b), String::from(*v))).collect(),
            ua_platform: platform.map(String::from),
            ua_mobile: mobile,
            ..Environment::default()
        }
    }

    #[test]
    fn client_hints_name_the_brand_and_skip_grease() {
        const CHROME_UA: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
        let brave = env(CHROME_UA, &[("Not/A)Brand", "8"), ("Chromium", "126"), ("Brave", "126")], Some("macOS"), Some(false));
        assert_eq!(client(&brave), Client { browser: Some("Brave 126".into()), os: Some("macOS".into()), device: Some("desktop") });
        let edge = env("", &[("Microsoft Edge", "125"), ("Not.A/Brand", "24"), ("Chromium", "125")], Some("Windows"), Some(false));
        assert_eq!(client(&edge).browser.as_deref(), Some("Edge 125"));
        assert_eq!(client(&edge).os.as_deref(), Some("Windows"));
        let grease_only = env("", &[("Not A(Brand", "99")], None, None);
        assert_eq!(client(&grease_only).browser, None);
        let chromium = env("", &[("Chromium", "126"), ("Not;A=Brand", "24")], Some("Linux"), Some(false));
        assert_eq!(client(&chromium).browser.as_deref(), Some("Chromium 126"));
    }

    #[test]
    fn client_hints_name_the_os_family_over_the_frozen_version_and_spot_android_tablets() {
        const ANDROID_UA: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
        let tablet = env(ANDROID_UA, &[("Google Chrome", "126")], Some("Android"), Some(false));
        // Regression (review of issue 5): every Chrome on Android was reported as Android 10.
        assert_eq!(client(&tablet), Client { browser: Some("Chrome 126".into()), os: Some("Android".into()), device: Some("tablet") });
        let phone = env(ANDROID_UA, &[("Google Chrome", "126")], Some("Android"), Some(true));
        assert_eq!(client(&phone).device, Some("mobile"));
        let chromeos = env("", &[("Google Chrome", "126")], Some("Chrome OS"), Some(false));
        assert_eq!(client(&chromeos).os.as_deref(), Some("ChromeOS"));
        assert_eq!(client(&Environment::default()), Client::default());
    }
}
