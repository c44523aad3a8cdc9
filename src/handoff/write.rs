//! The handoff package as compact JSON, written by hand in the shape of
//! `docs/handoff-package.schema.json`: no serde and no float formatting in the wasm (the one
//! fractional number, a 0..1 confidence, goes through `json::write_unit`'s integer arithmetic).
//! String, integer and confidence writing are the ones `src/json.rs` shares with the events.

use super::package::{code_name, sentiment_name, Contact, Package, PACKAGE_SCHEMA};
use crate::encode::{kind_name, priority_name};
use crate::json::{write_int, write_str, write_unit};

/// Appends JSON to a string. Commas go in by looking at the last byte written: none after an
/// opening bracket or a member name's colon, one before anything else.
struct Json(String);

impl Json {
    /// Starts a value: a member named `k`, or an array item when `k` is empty. Names are
    /// plain ASCII constants, written without escaping.
    fn key(&mut self, k: &str) -> &mut String {
        let out = &mut self.0;
        if !matches!(out.as_bytes().last(), None | Some(b'{' | b'[')) {
            out.push(',');
        }
        if !k.is_empty() {
            out.push('"');
            out.push_str(k);
            out.push_str("\":");
        }
        out
    }
    /// Opens an object or array (`open` is `{` or `[`), as a member when `k` is not empty.
    fn open(&mut self, k: &str, open: char) {
        self.key(k).push(open);
    }
    /// Closes one or more objects or arrays: `"}"`, `"]}"`.
    fn close(&mut self, c: &str) {
        self.0.push_str(c);
    }
    fn str(&mut self, k: &str, v: &str) {
        write_str(self.key(k), v);
    }
    fn opt(&mut self, k: &str, v: &Option<String>) {
        if let Some(v) = v {
            self.str(k, v);
        }
    }
    /// A number or literal, written as given.
    fn raw(&mut self, k: &str, v: &str) {
        self.key(k).push_str(v);
    }
    fn int(&mut self, k: &str, v: i64) {
        write_int(self.key(k), v);
    }
    fn strs(&mut self, k: &str, items: &[&str]) {
        self.open(k, '[');
        for s in items {
            self.str("", s);
        }
        self.close("]");
    }
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
            j.str("role", e.role.as_str());
            j.str("text", &e.text);
            j.int("at", e.at);
            j.opt("author", &e.author);
            if let Some(c) = e.confidence {
                write_unit(j.key("confidence"), c);
            }
            j.opt("intent", &e.intent);
            j.opt("step", &e.step);
            j.close("}");
        }
        j.close("]}");

        let c = &self.customer;
        j.open("customer", '{');
        j.opt("name", &c.name);
        j.opt("email", &c.email);
        j.opt("account_id", &c.account_id);
        j.opt("account_status", &c.account_status);
        j.opt("tier", &c.tier);
        if let Some(v) = c.lifetime_value {
            j.int("lifetime_value", v);
        }
        j.opt("customer_since", &c.customer_since);
        if let Some(n) = c.previous_interactions {
            j.int("previous_interactions", i64::from(n));
        }
        j.close("}");

        let t = &self.technical;
        j.open("technical", '{');
        j.opt("page_url", &t.page_url);
        j.opt("page_title", &t.page_title);
        j.opt("referrer", &t.referrer);
        j.opt("browser", &t.browser);
        j.opt("os", &t.os);
        j.opt("device", &t.device);
        j.opt("user_agent", &t.user_agent);
        j.opt("locale", &t.locale);
        j.opt("time_zone", &t.time_zone);
        j.opt("product_version", &t.product_version);
        j.open("errors", '[');
        for e in &t.errors {
            j.open("", '{');
            j.opt("code", &e.code);
            j.str("message", &e.message);
            j.close("}");
        }
        j.close("]");
        j.open("attempts", '[');
        for a in &t.attempts {
            j.open("", '{');
            j.str("step", &a.step);
            j.raw("worked", match a.worked {
                Some(true) => "true",
                Some(false) => "false",
                None => "null",
            });
            j.close("}");
        }
        j.close("]}");

        let a = &self.assessment;
        j.open("assessment", '{');
        j.str("type", kind_name(a.kind));
        j.open("reasons", '[');
        for r in &a.reasons {
            j.open("", '{');
            j.str("code", code_name(r.code));
            j.str("evidence", &r.evidence);
            j.close("}");
        }
        j.close("]");
        write_unit(j.key("confidence"), a.confidence);
        j.str("sentiment", sentiment_name(a.sentiment));
        j.str("urgency", priority_name(a.urgency));
        j.open("next_steps", '[');
        for s in &a.next_steps {
            j.str("", s);
        }
        j.close("]");
        j.int("failed_attempts", i64::from(a.failed_attempts));
        j.close("}");

        if let Some(contact) = &self.contact {
            j.open("contact", '{');
            let (mode, k, v) = match contact {
                Contact::Email(email) => ("email", "email", email),
                Contact::Callback { phone } => ("callback", "phone", phone),
            };
            j.str("mode", mode);
            j.str(k, v);
            j.close("}");
        }

        j.str("summary_text", &self.summary_text);
        j.open("completeness", '{');
        j.int("score", i64::from(self.completeness.score));
        j.strs("missing", &self.completeness.missing);
        j.close("}}");
        j.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_is_written_without_float_formatting() {
        for (v, want) in [(0.0, "0"), (0.05, "0.05"), (0.873, "0.873"), (1.0, "1"), (0.8734, "0.873"), (0.8736, "0.874"), (0.5, "0.5"), (0.9999, "1"), (-1.0, "0"), (7.0, "1"), (f64::NAN, "0")] {
            let mut s = String::new();
            write_unit(&mut s, v);
            assert_eq!(s, want, "{v}");
        }
    }

    #[test]
    fn commas_go_between_members_and_items_only() {
        let mut j = Json(String::new());
        j.open("", '{');
        j.str("a", "x");
        j.strs("b", &["1", "2"]);
        j.open("c", '{');
        j.close("}");
        j.strs("d", &[]);
        j.int("e", -3);
        j.raw("f", "[]");
        j.close("}");
        assert_eq!(j.0, r#"{"a":"x","b":["1","2"],"c":{},"d":[],"e":-3,"f":[]}"#);
    }

}
