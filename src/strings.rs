//! Every piece of text the widget shows or says, with English defaults. A site overrides any of
//! them through the `strings` option; `{name}` placeholders are filled by [`fill`].

use crate::table::find;

macro_rules! strings {
    ($($(#[$doc:meta])* $field:ident = $default:expr;)*) => {
        /// Keys of the strings, in table order.
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        #[repr(u8)]
        enum Key { $($field,)* }

        /// Every key a site can override, as written in the `strings` option (snake_case; the
        /// camelCase form is accepted too), in table order, each followed by a space. One
        /// string, not a slice of them: a table of pointers compresses poorly in the wasm.
        const KEYS: &str = concat!($(stringify!($field), " ",)*);

        /// The English texts in key order, each ended by U+001F (a unit separator no text has).
        const DEFAULTS: &str = concat!($($default, "\u{1f}",)*);

        /// The widget's user-facing text: a table indexed by key, so defaults, clones and
        /// overrides cost one loop in the wasm rather than code per string.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Strings(Vec<String>);

        impl Strings {
            $($(#[$doc])* pub fn $field(&self) -> &str { self.get(Key::$field) })*
        }
    };
}

impl Default for Strings {
    fn default() -> Self {
        Strings::table(DEFAULTS)
    }
}

/// Every key a site can override, in table order (snake_case).
pub fn string_keys() -> crate::table::Split<'static> {
    crate::table::split_terminator(KEYS, " ")
}

/// Every key a site can override, as errors list them: `title, greeting, …`.
pub fn string_key_list() -> String {
    crate::table::listed(KEYS)
}

impl Strings {
    /// A built-in language: every text in key order, each ended by U+001F.
    pub(crate) fn table(texts: &str) -> Strings {
        // Pushed one by one: `collect` into a `Vec<String>` is two generic routines of std's
        // in the wasm (`from_iter` and `extend`) for this one vector.
        let mut list = Vec::new();
        for text in crate::table::split_terminator(texts, "\u{1f}") {
            list.push(String::from(text));
        }
        Strings(list)
    }

    fn get(&self, key: Key) -> &str {
        self.0.get(key as usize).map_or("", String::as_str)
    }

    /// A string by its key (snake_case), for labels named in the UI's markup.
    pub fn by_key(&self, key: &str) -> &str {
        string_keys().position(|k| k == key).and_then(|i| self.0.get(i)).map_or("", String::as_str)
    }

    /// Overrides one string by its option key (`messageLabel` or `message_label`).
    /// Returns false for an unknown key.
    pub fn set(&mut self, key: &str, value: String) -> bool {
        let snake = snake_case(key);
        match string_keys().position(|k| k == snake) {
            Some(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    *slot = value;
                }
                true
            }
            None => false,
        }
    }
}

strings! {
    /// Accessible name of the launcher button; must mention chat. A name, not an action: the
    /// button opens and closes the panel, and says which with `aria-expanded` (QA: "Open
    /// support chat" while the panel was open).
    launcher = "Support chat";
    /// The launcher's name while messages arrived with the panel closed (`{n}` of them); also
    /// said politely to screen readers as they arrive. Must mention chat.
    launcher_unread = "Support chat: {n} unread";
    title = "Support";
    close = "Close chat";
    message_label = "Message";
    placeholder = "Type your message…";
    send = "Send";
    greeting = "Hi! I'm the support assistant. Ask me anything, and I can bring in a person whenever you want.";
    typing = "The assistant is typing…";
    you = "You";
    assistant = "Assistant";
    /// An agent whose name the backend did not give.
    agent = "Agent";
    not_sent = "Not sent.";
    resend = "Resend";
    /// Shown instead of sending a message over the length limit. `{max}`: the limit.
    too_long = "That message is too long. Please keep it to {max} characters or fewer.";
    bot_unavailable = "The assistant couldn't be reached. Your message is kept; you can resend it.";
    /// An email or phone number left for the team that nobody could reply to.
    bad_contact = "That doesn't look like an email address or a phone number. Please check it.";
    human = "Speak to a human";
    connect = "Connect me";
    keep_chatting = "Keep chatting";
    help_me_here = "Help me here";
    /// After "Keep chatting", "Help me here" or a typed "no" under an offer.
    carry_on = "Okay, let's carry on here. You can still ask for a person at any time.";
    /// A proactive offer. `{why}`: the reason; `{wait}`: a wait sentence.
    offer = "{why} A person from our team can take over. {wait} Would you like me to connect you?";
    /// Decline with a choice, for simple issues. `{wait}`: a wait sentence.
    choice = "I'd be happy to help you with this directly: it usually takes just a couple of minutes. Would you like me to walk you through it, or would you prefer to talk to our team? {wait}";
    /// `{minutes}`: a duration like "about 15 minutes".
    wait_known = "The wait is currently {minutes}.";
    wait_unknown = "I couldn't check the current wait.";
    /// An immediate handoff. `{why}`: the reason; `{wait}`: a wait sentence.
    connecting = "I'm connecting you with a person now. {why} {wait} You can keep writing here: they will see this whole conversation, so you won't need to repeat anything.";
    /// `{case}`: the case number.
    queued = "You're in the queue. Your case number is {case}.";
    /// `{email}`: the customer's email.
    emailed = "We've emailed a summary to {email}.";
    /// The queue status line. `{position}`, `{minutes}` (short, e.g. "about 6 min").
    queue_status = "You're #{position} in queue · {minutes}";
    waiting = "Waiting for an agent…";
    /// `{time}`: when the status was last refreshed.
    updated = "Updated {time}";
    minutes_none = "less than a minute";
    minutes_one = "about 1 minute";
    minutes_many = "about {n} minutes";
    minutes_short = "about {n} min";
    /// Support is closed or nobody is online. `{reopen}`: " We're back at 09:00 UTC." or empty.
    offline = "Our team isn't available right now.{reopen} Leave your email and we'll reply, or ask us to call you back.";
    reopen = " We're back at {time}.";
    long_wait = "The wait is long. You can leave your email or ask for a callback instead, and keep your place in the queue.";
    email_label = "Your email";
    phone_label = "Your phone number";
    email_me = "Email me";
    call_me = "Call me back";
    /// `{contact}`: the email; `{case}`: the case number.
    left_email = "Thanks! We'll reply to {contact}. Your case number is {case}; anything you write here is added to it.";
    left_callback = "Thanks! We'll call you at {contact}. Your case number is {case}; anything you write here is added to it.";
    /// Sent to the agent when a waiting customer leaves contact details.
    contact_instead_email = "Please reply by email to {contact} instead of here.";
    contact_instead_phone = "Please call me back at {contact} instead.";
    /// `{detail}`: what went wrong, one of the four below.
    stuck = "We couldn't pass your request to our team ({detail}). It's saved, with the whole conversation.";
    failed_network = "no connection";
    failed_timeout = "no answer in time";
    /// `{status}`: the HTTP status code.
    failed_status = "error {status}";
    failed_reply = "an unexpected answer";
    retry = "Try again";
    /// Before consent: what the team will see. `{items}`: the list below, joined.
    shared = "If you say yes, our team will see {items}.";
    shared_conversation = "this conversation";
    shared_identity = "your contact details";
    shared_account = "your account details";
    shared_page = "the page you're on and your browser";
    resolved = "This conversation with our team has ended.";
    /// The team's "Alex joined", said in the widget's language (`{agent}`: the name).
    agent_joined = "{agent} joined";
    csat_question = "How did our team do? 1 is poor, 5 is excellent.";
    csat_thanks = "Thanks for your feedback!";
    /// Said when a message to the team made the case more urgent (it moves up the queue).
    told_urgent = "I've told the team this is urgent.";
    /// Accessible name of a rating button. `{n}`: 1 to 5.
    csat_score = "{n} out of 5";
    why_request = "As you asked, I'm bringing in our team.";
    why_emotion = "I'm sorry this has been so frustrating.";
    why_security = "Account security needs a person's attention right away.";
    why_money = "Refunds and charges of this size are handled by our team.";
    why_policy = "Exceptions need a person's approval.";
    why_vip = "As a priority customer, you can talk to our team directly.";
    why_legal = "Legal and privacy requests are handled by our team.";
    why_low_confidence = "I'm not confident I've understood your issue.";
    why_repeated = "I don't seem to be answering your question.";
    why_failed = "The steps I suggested haven't solved it.";
    why_consider = "This may need a person's judgement.";
    /// What a customer may type to accept an offer ("Would you like me to connect you?"),
    /// separated by `|`; compared word for word, ignoring case and punctuation.
    answers_yes = "yes|yes please|yeah|yep|sure|please do|go ahead|connect me|yes connect me|y";
    /// What a customer may type to decline an offer.
    answers_no = "no|no thanks|no thank you|nope|not now|no need|n";
    /// The team closed a request nobody had joined yet: said instead of `resolved`, and no
    /// rating is asked (there was no conversation with the team to rate).
    closed = "Our team has closed this request. If you still need help, write here.";
}

/// A `{placeholder}` in a site's text for `key` that the built-in text does not have (a typo
/// like `{pos}` would be shown to customers as written), with the built-in text.
pub fn unknown_placeholder<'a>(key: &str, text: &'a str) -> Option<(&'a str, String)> {
    let template = Strings::default().by_key(&snake_case(key)).to_owned();
    let mut from = 0;
    while let Some(open) = find(text, "{", from, false) {
        let close = find(text, "}", open, false)?;
        let name = text.get(open..=close)?;
        if find(&template, name, 0, false).is_none() {
            return Some((name, template));
        }
        from = close + 1;
    }
    None
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
    while let Some(open) = find(rest, "{", 0, false) {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match find(after, "}", 0, false).and_then(|close| {
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
    fn every_key_has_its_english_text() {
        let s = Strings::default();
        assert_eq!(s.0.len(), super::string_keys().count());
        assert_eq!((s.launcher(), s.why_consider()), ("Support chat", "This may need a person's judgement."));
        assert_eq!(s.by_key("message_label"), "Message");
    }

    #[test]
    fn strings_are_set_by_camel_or_snake_case_key() {
        let mut s = Strings::default();
        assert!(s.set("send", "Enviar".into()) && s.set("messageLabel", "Mensaje".into()));
        assert!(s.set("too_long", "Demasiado largo".into()));
        assert_eq!((s.send(), s.message_label()), ("Enviar", "Mensaje"));
        assert_eq!(s.title(), Strings::default().title(), "others keep their defaults");
        assert_eq!(s.too_long(), "Demasiado largo");
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
