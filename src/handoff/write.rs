//! The handoff package as compact JSON, written by hand in the shape of
//! `docs/handoff-package.schema.json`: no serde and no float formatting in the wasm (the one
//! fractional number, a 0..1 confidence, is written with integer arithmetic).

use super::package::{code_name, priority_name, sentiment_name, type_name, Contact, Package, PACKAGE_SCHEMA};
use crate::json::write_str;

/// Appends JSON to a string. Commas go in by looking at the last byte written: none after an
/// opening bracket or a member name's colon, one before anything else.
struct Json(String);

impl Json {
    fn sep(&mut self) {
        if !matches!(self.0.as_bytes().last(), None | Some(b'{' | b'[' | b':')) {
            self.0.push(',');
        }
    }
    fn key(&mut self, k: &str) {
        self.sep();
        write_str(&mut self.0, k);
        self.0.push(':');
    }
    /// Opens an object or array (`open` is `{` or `[`), as a member when `k` is not empty.
    fn open(&mut self, k: &str, open: char) {
        if k.is_empty() { self.sep() } else { self.key(k) }
        self.0.push(open);
    }
    fn close(&mut self, c: char) {
        self.0.push(c);
    }
    fn str(&mut self, k: &str, v: &str) {
        if k.is_empty() { self.sep() } else { self.key(k) }
        write_str(&mut self.0, v);
    }
    fn opt(&mut self, k: &str, v: Option<&str>) {
        if let Some(v) = v {
            self.str(k, v);
        }
    }
    /// A number or literal, written as given.
    fn raw(&mut self, k: &str, v: &str) {
        self.key(k);
        self.0.push_str(v);
    }
    fn int(&mut self, k: &str, v: i64) {
        self.raw(k, &v.to_string());
    }
    fn strs<'a>(&mut self, k: &str, items: impl IntoIterator<Item = &'a str>) {
        self.open(k, '[');
        for s in items {
            self.str("", s);
        }
        self.close(']');
    }
}

/// A 0..1 value as a decimal with at most three places ("0", "0.05", "0.873", "1"), by integer
/// arithmetic: `format!` on an f64 would pull float printing into the wasm.
pub fn unit_decimal(v: f64) -> String {
    // `as` saturates (NaN becomes 0); the clamp keeps the result inside 0..=1.
    let thousandths = ((v * 1000.0 + 0.5) as u32).min(1000);
    let mut s = format!("{}.{:03}", thousandths / 1000, thousandths % 1000);
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    s
}

impl Package {
    /// The package as compact JSON (the escalation request body).
    pub fn to_json(&self) -> String {
        let mut j = Json(String::with_capacity(1024 + self.summary_text.len() * 2));
        j.open("", '{');
        j.str("schema", PACKAGE_SCHEMA);
        j.str("idempotency_key", &self.idempotency_key);
        j.str("conversation_id", &self.conversation_id);
        j.str("widget_version", &self.widget_version);
        j.int("created_at", self.created_at);

        j.open("conversation", '{');
        j.open("messages", '[');
        for e in &self.transcript {
            j.open("", '{');
            j.str("role", role_name(e.role));
            j.str("text", &e.text);
            j.int("at", e.at);
            j.opt("author", e.author.as_deref());
            if let Some(c) = e.confidence {
                j.raw("confidence", &unit_decimal(c));
            }
            j.opt("intent", e.intent.as_deref());
            j.opt("step", e.step.as_deref());
            j.close('}');
        }
        j.close(']');
        j.close('}');

        let c = &self.customer;
        j.open("customer", '{');
        j.opt("name", c.name.as_deref());
        j.opt("email", c.email.as_deref());
        j.opt("account_id", c.account_id.as_deref());
        j.opt("account_status", c.account_status.as_deref());
        j.opt("tier", c.tier.as_deref());
        if let Some(v) = c.lifetime_value {
            j.int("lifetime_value", v);
        }
        j.opt("customer_since", c.customer_since.as_deref());
        if let Some(n) = c.previous_interactions {
            j.int("previous_interactions", i64::from(n));
        }
        j.close('}');

        let t = &self.technical;
        j.open("technical", '{');
        for (k, v) in [
            ("page_url", &t.page_url),
            ("page_title", &t.page_title),
            ("referrer", &t.referrer),
            ("browser", &t.browser),
            ("os", &t.os),
            ("device", &t.device),
            ("user_agent", &t.user_agent),
            ("locale", &t.locale),
            ("time_zone", &t.time_zone),
            ("product_version", &t.product_version),
        ] {
            j.opt(k, v.as_deref());
        }
        j.open("errors", '[');
        for e in &t.errors {
            j.open("", '{');
            j.opt("code", e.code.as_deref());
            j.str("message", &e.message);
            j.close('}');
        }
        j.close(']');
        j.open("attempts", '[');
        for a in &t.attempts {
            j.open("", '{');
            j.str("step", &a.step);
            j.raw("worked", match a.worked {
                Some(true) => "true",
                Some(false) => "false",
                None => "null",
            });
            j.close('}');
        }
        j.close(']');
        j.close('}');

        let a = &self.assessment;
        j.open("assessment", '{');
        j.str("type", type_name(a.kind));
        j.open("reasons", '[');
        for r in &a.reasons {
            j.open("", '{');
            j.str("code", code_name(r.code));
            j.str("evidence", &r.evidence);
            j.close('}');
        }
        j.close(']');
        j.raw("confidence", &unit_decimal(a.confidence));
        j.str("sentiment", sentiment_name(a.sentiment));
        j.str("urgency", priority_name(a.urgency));
        j.strs("next_steps", a.next_steps.iter().map(String::as_str));
        j.int("failed_attempts", i64::from(a.failed_attempts));
        j.close('}');

        if let Some(contact) = &self.contact {
            j.open("contact", '{');
            match contact {
                Contact::Email(email) => {
                    j.str("mode", "email");
                    j.str("email", email);
                }
                Contact::Callback { phone } => {
                    j.str("mode", "callback");
                    j.str("phone", phone);
                }
            }
            j.close('}');
        }

        j.str("summary_text", &self.summary_text);
        j.open("completeness", '{');
        j.int("score", i64::from(self.completeness.score));
        j.strs("missing", self.completeness.missing.iter().copied());
        j.close('}');
        j.close('}');
        j.0
    }
}

fn role_name(r: crate::conversation::Role) -> &'static str {
    use crate::conversation::Role::*;
    match r {
        Customer => "customer",
        Ai => "ai",
        Agent => "agent",
        System => "system",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_is_written_without_float_formatting() {
        for (v, want) in [(0.0, "0"), (0.05, "0.05"), (0.873, "0.873"), (1.0, "1"), (0.8734, "0.873"), (0.8736, "0.874"), (0.5, "0.5"), (0.9999, "1"), (-1.0, "0"), (7.0, "1"), (f64::NAN, "0")] {
            assert_eq!(unit_decimal(v), want, "{v}");
        }
    }

    #[test]
    fn commas_go_between_members_and_items_only() {
        let mut j = Json(String::new());
        j.open("", '{');
        j.str("a", "x");
        j.strs("b", ["1", "2"]);
        j.open("c", '{');
        j.close('}');
        j.strs("d", []);
        j.int("e", -3);
        j.close('}');
        assert_eq!(j.0, r#"{"a":"x","b":["1","2"],"c":{},"d":[],"e":-3}"#);
    }
}
