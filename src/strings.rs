//! Every piece of text the widget shows or says, with English defaults. A site overrides any of
//! them through the `strings` option; `{name}` placeholders are filled by [`fill`].

use serde::{Deserialize, Serialize};

macro_rules! strings {
    ($($(#[$doc:meta])* $field:ident = $default:expr;)*) => {
        /// The widget's user-facing text.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(default, rename_all = "camelCase", deny_unknown_fields)]
        pub struct Strings {
            $($(#[$doc])* pub $field: String,)*
        }

        impl Default for Strings {
            fn default() -> Self {
                Strings { $($field: String::from($default),)* }
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
    use super::fill;

    #[test]
    fn fill_replaces_known_placeholders_only() {
        assert_eq!(fill("under {max} chars", &[("max", "2000")]), "under 2000 chars");
        assert_eq!(fill("{a}{b} {c}", &[("a", "1"), ("b", "2")]), "12 {c}");
        assert_eq!(fill("{unclosed", &[("unclosed", "x")]), "{unclosed");
        assert_eq!(fill("ünï {x}!", &[("x", "ok")]), "ünï ok!");
    }
}
