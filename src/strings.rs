//! Every piece of text the widget shows or says, with English defaults. A site overrides any of
//! them through the `strings` option; `{name}` placeholders are filled by [`fill`].

use serde::Serialize;

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

#[cfg(test)]
mod tests {
    use super::{fill, Strings};

    #[test]
    fn strings_are_set_by_camel_or_snake_case_key() {
        let mut s = Strings::default();
        assert!(s.set("send", "Enviar".into()) && s.set("messageLabel", "Mensaje".into()));
        assert!(s.set("too_long", "Demasiado largo".into()));
        assert_eq!((s.send.as_str(), s.message_label.as_str()), ("Enviar", "Mensaje"));
        assert_eq!(s.title, Strings::default().title, "others keep their defaults");
        assert!(!s.set("sned", "x".into()));
    }

    #[test]
    fn fill_replaces_known_placeholders_only() {
        assert_eq!(fill("under {max} chars", &[("max", "2000")]), "under 2000 chars");
        assert_eq!(fill("{a}{b} {c}", &[("a", "1"), ("b", "2")]), "12 {c}");
        assert_eq!(fill("{unclosed", &[("unclosed", "x")]), "{unclosed");
        assert_eq!(fill("ünï {x}!", &[("x", "ok")]), "ünï ok!");
    }
}
