//! Every piece of text the widget shows or says, with English defaults. A site overrides any of
//! them through the `strings` option; `{name}` placeholders are filled by [`fill`].

use serde::{Deserialize, Serialize};

macro_rules! strings {
    ($($(#[$doc:meta])* $field:ident = $default:expr;)*) => {
        /// The widget's user-facing text.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(rename_all = "camelCase")]
        pub struct Strings {
            $($(#[$doc])* pub $field: String,)*
        }

        impl Default for Strings {
            fn default() -> Self {
                Strings { $($field: String::from($default),)* }
            }
        }

        /// Every key a site can override, as written in the `strings` option (camelCase).
        pub const STRING_KEYS: &[&str] = &[$(stringify!($field)),*];

        impl Strings {
            /// Overrides one string by its option key (`messageLabel` or `message_label`).
            /// Returns false for an unknown key.
            pub fn set(&mut self, key: &str, value: String) -> bool {
                let snake = snake_case(key);
                match snake.as_str() {
                    $(stringify!($field) => self.$field = value,)*
                    _ => return false,
                }
                true
            }
        }
    };
}

strings! {
    /// Accessible name of the launcher button; must mention chat.
    launcher = "Open support chat";
    title = "Support";
    close = "Close chat";
    message_label = "Message";
    placeholder = "Type your message…";
    send = "Send";
    greeting = "Hi! I'm the support assistant. Ask me anything, and I can bring in a person whenever you want.";
    typing = "The assistant is typing…";
    you = "You";
    assistant = "Assistant";
    not_sent = "Not sent.";
    resend = "Resend";
    /// Shown instead of sending a message over the length limit. `{max}`: the limit.
    too_long = "That message is too long. Please keep it under {max} characters.";
    bot_unavailable = "The assistant couldn't be reached. Your message is kept; you can resend it.";
}

/// Overrides from the `strings` option: a map of key to text. Parsed as a plain map (one small
/// generic instance in the wasm instead of a visitor with a branch per field).
impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(StringsVisitor)
    }
}

struct StringsVisitor;

impl<'de> serde::de::Visitor<'de> for StringsVisitor {
    type Value = Strings;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object of strings")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Strings, A::Error> {
        let mut strings = Strings::default();
        while let Some((key, value)) = map.next_entry::<String, String>()? {
            if !strings.set(&key, value) {
                return Err(serde::de::Error::custom(format_args!(
                    "unknown string `{key}`, expected one of: {}",
                    STRING_KEYS.iter().map(|k| camel_case(k)).collect::<Vec<_>>().join(", ")
                )));
            }
        }
        Ok(strings)
    }
}

fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Replaces each `{key}` in `template` with its value. Unknown placeholders stay as they are.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let key = &after[..close];
            values.iter().find(|(k, _)| *k == key).map(|(_, v)| (close, *v))
        }) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))] // serde_json is a native-only dev-dependency
mod tests {
    use super::{fill, Strings};

    #[test]
    fn strings_are_overridden_by_camel_case_key_and_unknown_keys_are_named() {
        let s: Strings = serde_json::from_str(r#"{"send": "Enviar", "messageLabel": "Mensaje"}"#).unwrap();
        assert_eq!((s.send.as_str(), s.message_label.as_str()), ("Enviar", "Mensaje"));
        assert_eq!(s.title, Strings::default().title, "others keep their defaults");
        let err = serde_json::from_str::<Strings>(r#"{"sned": "x"}"#).unwrap_err().to_string();
        assert!(err.contains("sned") && err.contains("messageLabel"), "{err}");
    }

    #[test]
    fn fill_replaces_known_placeholders_only() {
        assert_eq!(fill("under {max} chars", &[("max", "2000")]), "under 2000 chars");
        assert_eq!(fill("{a}{b} {c}", &[("a", "1"), ("b", "2")]), "12 {c}");
        assert_eq!(fill("{unclosed", &[("unclosed", "x")]), "{unclosed");
        assert_eq!(fill("ünï {x}!", &[("x", "ok")]), "ünï ok!");
    }
}
