#![cfg(not(target_arch = "wasm32"))]
//! The handoff package from realistic conversations: what the agent receives, checked value by
//! value (parsed with serde_json), validated against docs/handoff-package.schema.json with a
//! real JSON Schema validator, and fed every XSS payload we have to prove text arrives
//! byte-for-byte.

use baton::conversation::{BotMeta, Customer, Delivery, Message, Role};
use baton::handoff::environment::Environment;
use baton::handoff::package::{assemble, code_name, Contact, Input, Package, TRACKED};
use baton::policy::{Action, Decision, EscalationType, Priority, Reason, ReasonCode};
use baton::protocol::days_from_civil;
use baton::redact::redact_cards;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

const CHROME_WIN: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

/// 2026-11-22 03:15 UTC, in milliseconds.
fn t0() -> i64 {
    (days_from_civil(2026, 11, 22) * 86_400 + 3 * 3_600 + 15 * 60) * 1_000
}

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let schema = schema();
        jsonschema::meta::validate(&schema).expect("the schema is itself valid JSON Schema");
        jsonschema::draft202012::new(&schema).expect("the schema compiles")
    })
}

fn schema() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/handoff-package.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// The package's JSON, parsed, after checking it against the schema.
fn json_of(p: &Package) -> Value {
    let text = p.to_json();
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("to_json wrote invalid JSON ({e}): {text}"));
    let errors: Vec<String> = validator().iter_errors(&v).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "package does not match the schema:\n{}", errors.join("\n"));
    v
}

/// A conversation under construction, redacting customer text as the core does on entry.
#[derive(Default)]
struct Chat(Vec<Message>);

impl Chat {
    fn push(&mut self, role: Role, minutes: i64, text: &str, bot: Option<BotMeta>, author: Option<&str>) -> &mut Self {
        self.0.push(Message {
            id: self.0.len() as u32,
            role,
            text: redact_cards(text).into_owned(),
            at: t0() + minutes * 60_000,
            author: author.map(String::from),
            delivery: Delivery::Sent,
            bot,
        });
        self
    }
    fn customer(&mut self, minutes: i64, text: &str) -> &mut Self {
        self.push(Role::Customer, minutes, text, None, None)
    }
    fn ai(&mut self, minutes: i64, text: &str, confidence: f64, step: Option<&str>) -> &mut Self {
        let bot = BotMeta { confidence, intent: Some("payment_failure".into()), step: step.map(String::from), resolved: false };
        self.push(Role::Ai, minutes, text, Some(bot), None)
    }
}

fn reason(code: ReasonCode, evidence: &str) -> Reason {
    Reason { code, evidence: evidence.into() }
}

fn decision(kind: EscalationType, priority: Priority, reasons: Vec<Reason>) -> Decision {
    Decision { action: Action::Escalate, kind, priority, reasons }
}

fn input<'a>(messages: &'a [Message], customer: Option<&'a Customer>, env: &'a Environment, d: &'a Decision) -> Input<'a> {
    Input {
        idempotency_key: "hk_0123456789abcdef",
        conversation_id: "conv_42",
        widget_version: "0.1.0",
        product_version: Some("4.2.1"),
        now_wall_ms: t0() + 10 * 60_000,
        messages,
        customer,
        environment: env,
        decision: d,
        contact: None,
    }
}

fn jane() -> Customer {
    Customer {
        name: Some("Jane Doe".into()),
        email: Some("jane@example.com".into()),
        account_id: Some("A-1001".into()),
        account_status: Some("active".into()),
        tier: Some("enterprise".into()),
        lifetime_value: Some(1_250_000),
        customer_since: Some("2021-03-04".into()),
        previous_interactions: Some(2),
    }
}

fn full_env() -> Environment {
    Environment {
        page_url: Some("https://shop.example/checkout".into()),
        page_title: Some("Checkout".into()),
        referrer: Some("https://shop.example/cart".into()),
        user_agent: Some(CHROME_WIN.into()),
        ua_brands: vec![("Not/A)Brand".into(), "8".into()), ("Chromium".into(), "126".into()), ("Google Chrome".into(), "126".into())],
        ua_platform: Some("Windows".into()),
        ua_mobile: Some(false),
        locale: Some("en-GB".into()),
        time_zone: Some("Europe/London".into()),
    }
}

fn angry_chat() -> Chat {
    let mut c = Chat::default();
    c.customer(0, "My payment keeps failing with error 502 and I'm getting really frustrated. Card 4111 1111 1111 1111, order #12345.")
        .ai(1, "Sorry about that! Please clear your browser cache and try again.", 0.82, Some("Clear the browser cache and retry"))
        .customer(3, "That didn't work, same error. Now it says Error: E1234.")
        .ai(4, "Could you try a different browser?", 0.61, Some("Try a different browser"))
        .customer(6, "Still nothing. This is unacceptable, I want a human NOW.")
        .push(Role::System, 7, "Connecting you with our team.", None, None)
        .push(Role::Agent, 9, "Hi Jane, I'm Sam. Looking at your payment now.", None, Some("Sam"));
    c
}

fn angry_decision() -> Decision {
    decision(
        EscalationType::Emergency,
        Priority::High,
        vec![
            reason(ReasonCode::Emotion, "This is unacceptable"),
            reason(ReasonCode::HumanRequest, "I want a human NOW"),
            reason(ReasonCode::FailedAttempts, "2 troubleshooting steps did not work"),
        ],
    )
}

#[test]
fn an_angry_customer_with_a_card_an_error_code_and_two_failed_steps() {
    let chat = angry_chat();
    let (customer, env, d) = (jane(), full_env(), angry_decision());
    let p = assemble(&input(&chat.0, Some(&customer), &env, &d));
    let text = p.to_json();
    assert!(!text.contains("4111 1111"), "the card number never leaves unmasked");
    let v = json_of(&p);

    assert_eq!(v["schema"], "baton.handoff/1");
    assert_eq!(v["idempotency_key"], "hk_0123456789abcdef");
    assert_eq!(v["conversation_id"], "conv_42");
    assert_eq!(v["created_at"], t0() + 600_000);

    let msgs = v["conversation"]["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 7, "every message, not a summary");
    assert_eq!(msgs[0]["role"], "customer");
    assert!(msgs[0]["text"].as_str().unwrap().contains("Card **** 1111, order #12345."));
    assert_eq!(msgs[0]["at"], t0());
    assert_eq!(msgs[1]["role"], "ai");
    assert_eq!(msgs[1]["confidence"], 0.82);
    assert_eq!(msgs[1]["intent"], "payment_failure");
    assert_eq!(msgs[1]["step"], "Clear the browser cache and retry");
    assert!(msgs[0].get("confidence").is_none() && msgs[0].get("author").is_none(), "absent, not null");
    assert_eq!(msgs[6]["role"], "agent");
    assert_eq!(msgs[6]["author"], "Sam");

    assert_eq!(v["customer"]["name"], "Jane Doe");
    assert_eq!(v["customer"]["email"], "jane@example.com");
    assert_eq!(v["customer"]["account_id"], "A-1001");
    assert_eq!(v["customer"]["lifetime_value"], 1_250_000);
    assert_eq!(v["customer"]["previous_interactions"], 2);

    let t = &v["technical"];
    // The client hints name the platform; the reduced user agent's "Windows NT 10.0" is frozen.
    assert_eq!((t["browser"].as_str(), t["os"].as_str(), t["device"].as_str()), (Some("Chrome 126"), Some("Windows"), Some("desktop")));
    assert_eq!(t["page_url"], "https://shop.example/checkout");
    assert_eq!(t["locale"], "en-GB");
    assert_eq!(t["time_zone"], "Europe/London");
    assert_eq!(t["product_version"], "4.2.1");
    let codes: Vec<&str> = t["errors"].as_array().unwrap().iter().filter_map(|e| e["code"].as_str()).collect();
    assert_eq!(codes, ["502", "E1234"], "codes from customer messages, each once");
    assert_eq!(t["errors"][1]["message"], "Now it says Error: E1234.");
    assert_eq!(
        t["attempts"],
        serde_json::json!([
            {"step": "Clear the browser cache and retry", "worked": false},
            {"step": "Try a different browser", "worked": false}
        ])
    );

    let a = &v["assessment"];
    assert_eq!(a["type"], "emergency");
    assert_eq!(a["urgency"], "high");
    assert_eq!(a["sentiment"], "negative");
    assert_eq!(a["confidence"], 0.61, "the last AI message's confidence");
    assert_eq!(a["failed_attempts"], 2);
    assert_eq!(a["reasons"][0], serde_json::json!({"code": "emotion", "evidence": "This is unacceptable"}));
    let steps: Vec<&str> = a["next_steps"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert_eq!(steps.first(), Some(&"Acknowledge the frustration first"));
    assert!(steps.iter().any(|s| s.starts_with("Greet the customer (by name, if known)")));
    assert!(steps.iter().any(|s| s.starts_with("Skip the steps already tried")));
    assert!(steps.last().unwrap().starts_with("Resolve the issue"), "a sensible default closes the list");

    assert_eq!(v["completeness"], serde_json::json!({"score": 100, "missing": []}));
    assert!(v.get("contact").is_none());

    let summary = v["summary_text"].as_str().unwrap();
    assert_lines_in_order(
        summary,
        &[
            "ESCALATION SUMMARY",
            "Reason: customer is upset, customer asked for a human, troubleshooting steps failed — \"This is unacceptable\"",
            "Priority: HIGH (emergency: customer is upset)",
            "Customer: Jane Doe (jane@example.com)",
            "Account: enterprise, active, customer since 2021-03-04 (id A-1001)",
            "Previous tickets: 2",
            "Issue details:",
            "- What failed: \"My payment keeps failing with error 502",
            "- When: 2026-11-22 03:15 UTC",
            "- Errors: 502, E1234",
            "- Card: **** 1111",
            "- Order: #12345",
            "- Page: https://shop.example/checkout",
            "- Browser: Chrome 126 on Windows (desktop)",
            "What the AI attempted:",
            "1. Clear the browser cache and retry — did not work",
            "2. Try a different browser — did not work",
            "Next steps:",
            "1. Acknowledge the frustration first",
            "Conversation:",
            "[03:15] Customer: My payment keeps failing",
            "[03:16] AI: Sorry about that!",
            "[03:22] System: Connecting you with our team.",
            "[03:24] Sam: Hi Jane",
        ],
    );
    assert_eq!(p.summary_text, summary);
}

#[test]
fn debug_output_shows_no_personal_data() {
    let chat = angry_chat();
    let (customer, env, d) = (jane(), full_env(), angry_decision());
    let contact = Contact::Callback { phone: "+44 20 7946 0958".into() };
    let mut i = input(&chat.0, Some(&customer), &env, &d);
    i.contact = Some(&contact);
    let debug = format!("{:?}", assemble(&i));
    for secret in ["Jane", "jane@example.com", "7946", "1111", "frustrated", "unacceptable", "shop.example", "E1234."] {
        assert!(!debug.contains(secret), "Debug shows {secret:?}: {debug}");
    }
    assert!(debug.contains("conv_42") && debug.contains("Chrome 126") && debug.contains("\"emotion\""));
}

/// Each expected line starts a line of `text`, in this order.
fn assert_lines_in_order(text: &str, expected: &[&str]) {
    let lines: Vec<&str> = text.lines().collect();
    let mut at = 0;
    for want in expected {
        match lines.iter().skip(at).position(|l| l.starts_with(want)) {
            Some(i) => at += i + 1,
            None => panic!("summary is missing (or has out of order) a line starting {want:?}:\n{text}"),
        }
    }
}

/// QA: "What the AI attempted: nothing yet" after the bot had answered three times (answers
/// without a troubleshooting step). The agent is told it answered, and where to look.
#[test]
fn answers_without_steps_are_counted_in_the_summary() {
    let mut chat = Chat::default();
    chat.customer(0, "where is my parcel?").ai(1, "It is on its way.", 0.8, None);
    chat.customer(2, "where is my parcel??").ai(3, "It is on its way.", 0.8, None);
    let env = Environment::default();
    let d = decision(EscalationType::Proactive, Priority::Medium, vec![reason(ReasonCode::RepeatedQuestion, "where is my parcel")]);
    let p = assemble(&input(&chat.0, None, &env, &d));
    assert_lines_in_order(&p.summary_text, &["What the AI attempted:", "- answered 2 times, no troubleshooting steps (see the conversation below)", "Next steps:"]);
}

#[test]
fn a_minimal_anonymous_conversation_says_not_provided_and_scores_low() {
    let mut chat = Chat::default();
    chat.customer(0, "hi, can I talk to someone?");
    let env = Environment::default();
    let d = decision(EscalationType::CustomerRequested, Priority::Medium, vec![reason(ReasonCode::HumanRequest, "talk to someone")]);
    let mut i = input(&chat.0, None, &env, &d);
    i.product_version = None;
    let p = assemble(&i);
    let v = json_of(&p);

    assert_eq!(v["customer"], serde_json::json!({}));
    assert_eq!(v["technical"], serde_json::json!({"errors": [], "attempts": []}));
    assert_eq!(v["assessment"]["confidence"], 0.5, "no AI message: neither sure nor unsure");
    assert_eq!(v["assessment"]["sentiment"], "neutral");
    assert_eq!(v["assessment"]["type"], "customer_requested");
    assert_eq!(v["assessment"]["failed_attempts"], 0);
    // 2 of 12 tracked fields: the transcript and the reasons.
    assert_eq!(v["completeness"]["score"], 16);
    let missing: Vec<&str> = v["completeness"]["missing"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    assert_eq!(missing, &TRACKED[1..11]);
    assert_lines_in_order(
        &p.summary_text,
        &[
            "ESCALATION SUMMARY",
            "Reason: customer asked for a human — \"talk to someone\"",
            "Priority: MEDIUM (customer asked for a person: customer asked for a human)",
            "Customer: not provided",
            "Account: not provided",
            "Previous tickets: not provided",
            "- When: 2026-11-22 03:15 UTC",
            "- Errors: none mentioned",
            "- Page: not provided",
            "- Browser: not provided",
            "What the AI attempted:",
            "- nothing yet",
            "Next steps:",
            "1. Greet the customer (by name, if known)",
            "2. Resolve the issue",
            "[03:15] Customer: hi, can I talk to someone?",
        ],
    );
    assert!(!p.summary_text.contains("- Card:") && !p.summary_text.contains("- Order:"), "nothing invented");
}

#[test]
fn an_empty_conversation_with_no_reasons_still_makes_a_valid_package() {
    let env = Environment::default();
    let d = Decision::none();
    let p = assemble(&input(&[], None, &env, &d));
    let v = json_of(&p);
    assert_eq!(v["completeness"]["score"], 8, "only product_version: 1 of 12");
    assert_eq!(v["completeness"]["missing"].as_array().unwrap().len(), 11);
    assert!(p.summary_text.contains("Reason: not provided\n"));
    assert!(p.summary_text.contains("- What failed: not provided\n"));
}

#[test]
fn positive_feedback_marks_a_step_as_worked_and_unanswered_steps_have_no_feedback() {
    let mut chat = Chat::default();
    chat.customer(0, "The app shows code ERR_SSL_PROTOCOL_ERROR and HTTP 404 on the invoice page")
        .ai(1, "Try turning off the VPN.", 0.9, Some("Turn off the VPN"))
        .customer(2, "Thanks, it works! Great help. But I also need a refund over $500.")
        .ai(3, "Let me check the invoice.", 0.3, Some("Check the invoice"));
    let env = full_env();
    let d = decision(EscalationType::Proactive, Priority::Medium, vec![reason(ReasonCode::MoneyOverThreshold, "refund over $500")]);
    let p = assemble(&input(&chat.0, None, &env, &d));
    let v = json_of(&p);
    assert_eq!(
        v["technical"]["attempts"],
        serde_json::json!([{"step": "Turn off the VPN", "worked": true}, {"step": "Check the invoice", "worked": null}])
    );
    let codes: Vec<&str> = v["technical"]["errors"].as_array().unwrap().iter().filter_map(|e| e["code"].as_str()).collect();
    assert_eq!(codes, ["ERR_SSL_PROTOCOL_ERROR", "404"]);
    assert_eq!(v["assessment"]["sentiment"], "positive");
    assert_eq!(v["assessment"]["confidence"], 0.3);
    assert_eq!(v["assessment"]["next_steps"][0], "Review the charge and decide on the refund");
    assert_lines_in_order(&p.summary_text, &["1. Turn off the VPN — worked", "2. Check the invoice — no feedback"]);
}

#[test]
fn a_quoted_failure_message_is_an_error_without_a_code() {
    let mut chat = Chat::default();
    chat.customer(0, "Checkout failed with 'Payment declined' three times.");
    let env = Environment::default();
    let d = Decision::none();
    let v = json_of(&assemble(&input(&chat.0, None, &env, &d)));
    assert_eq!(v["technical"]["errors"], serde_json::json!([{"message": "Payment declined"}]));
}

#[test]
fn contact_details_are_written_for_email_and_callback() {
    let chat = angry_chat();
    let env = Environment::default();
    let d = angry_decision();
    for (contact, want) in [
        (Contact::Email("jane@example.com".into()), serde_json::json!({"mode": "email", "email": "jane@example.com"})),
        (Contact::Callback { phone: "+44 20 7946 0958".into() }, serde_json::json!({"mode": "callback", "phone": "+44 20 7946 0958"})),
    ] {
        let mut i = input(&chat.0, None, &env, &d);
        i.contact = Some(&contact);
        assert_eq!(json_of(&assemble(&i))["contact"], want);
    }
}

#[test]
fn error_mentions_are_bounded_and_deduplicated() {
    let mut chat = Chat::default();
    for n in 0..30 {
        chat.customer(n, &format!("error {} again, and error 500 again", 400 + n));
    }
    let env = Environment::default();
    let d = Decision::none();
    let v = json_of(&assemble(&input(&chat.0, None, &env, &d)));
    let codes: Vec<&str> = v["technical"]["errors"].as_array().unwrap().iter().filter_map(|e| e["code"].as_str()).collect();
    assert_eq!(codes, ["400", "500", "401", "402", "403", "404", "405", "406", "407", "408"]);
}

#[test]
fn reason_code_names_match_the_serde_names_and_the_schema() {
    use ReasonCode::*;
    let all = [
        HumanRequest, Emotion, MoneyOverThreshold, AccountSecurity, PolicyException, VipCustomer, LegalCompliance,
        LowConfidence, RepeatedQuestion, FailedAttempts, TechnicalBeyondSteps, CustomRequest, ProductComplaint,
        RoadmapRequest, BugReport, SimpleFaq, PasswordReset, OrderStatus, HowTo,
    ];
    let names: Vec<&str> = all.iter().map(|c| code_name(*c)).collect();
    for (c, name) in all.iter().zip(&names) {
        assert_eq!(serde_json::to_value(c).unwrap(), *name);
        let (words, step) = baton::handoff::package::reason_text(*c);
        assert!(words != "other" && !step.is_empty(), "{name} has its words and next step for the summary");
    }
    let schema = schema();
    assert_eq!(schema["$defs"]["reason_code"]["enum"], serde_json::json!(names));
    let tracked = &schema["properties"]["completeness"]["properties"]["missing"]["items"]["enum"];
    assert_eq!(*tracked, serde_json::json!(TRACKED), "the schema lists every tracked field");
}

#[test]
fn the_schema_rejects_what_the_widget_must_never_send() {
    let chat = angry_chat();
    let (env, d) = (full_env(), angry_decision());
    let good = json_of(&assemble(&input(&chat.0, None, &env, &d)));
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 5] = [
        ("unknown member", |v| v["extra"] = Value::Bool(true)),
        ("confidence over 1", |v| v["assessment"]["confidence"] = serde_json::json!(1.5)),
        ("unknown urgency", |v| v["assessment"]["urgency"] = "urgent".into()),
        ("score over 100", |v| v["completeness"]["score"] = 101.into()),
        ("null customer field", |v| v["customer"]["name"] = Value::Null),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(!validator().is_valid(&bad), "{what} must be rejected");
    }
}

/// Every line of the shared XSS corpus, as read from disk.
fn xss_payloads() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/xss/payloads.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("the XSS corpus is missing at {} ({e}); it lives in the shared data directory beside the repository", path.display())
    });
    let payloads: Vec<String> = text.lines().filter(|l| !l.is_empty()).map(String::from).collect();
    assert!(payloads.len() > 1_000, "the XSS corpus looks truncated: {} lines", payloads.len());
    payloads
}

#[test]
fn xss_payloads_arrive_byte_for_byte_in_every_field() {
    let payloads = xss_payloads();
    let env = full_env();
    for (n, batch) in payloads.chunks(400).enumerate() {
        let mut chat = Chat::default();
        for (i, p) in batch.iter().enumerate() {
            if i % 2 == 0 {
                chat.customer(i as i64, p);
            } else {
                let bot = BotMeta { confidence: 0.7, intent: Some(p.clone()), step: Some(p.clone()), resolved: false };
                chat.push(Role::Ai, i as i64, p, Some(bot), None);
            }
        }
        let pick = |k: usize| batch.get(k % batch.len()).cloned();
        let customer = Customer {
            name: pick(0),
            email: pick(1),
            account_id: pick(2),
            account_status: pick(3),
            tier: pick(4),
            lifetime_value: None,
            customer_since: pick(5),
            previous_interactions: None,
        };
        let env = Environment { page_title: pick(6), referrer: pick(7), user_agent: pick(8), ..env.clone() };
        let d = decision(EscalationType::Emergency, Priority::Critical, vec![reason(ReasonCode::Emotion, &batch[0])]);
        let p = assemble(&input(&chat.0, Some(&customer), &env, &d));
        let v = json_of(&p);

        let msgs = v["conversation"]["messages"].as_array().unwrap();
        assert_eq!(msgs.len(), batch.len());
        for (i, (m, sent)) in msgs.iter().zip(batch).enumerate() {
            let want = redact_cards(sent);
            assert_eq!(m["text"].as_str(), Some(&*want), "batch {n} message {i}");
            if i % 2 == 1 {
                assert_eq!(m["intent"].as_str(), Some(sent.as_str()));
                assert_eq!(m["step"].as_str(), Some(sent.as_str()));
            }
        }
        let c = &v["customer"];
        assert_eq!(c["name"].as_str(), batch.first().map(String::as_str));
        assert_eq!(c["email"].as_str(), batch.get(1).map(String::as_str));
        assert_eq!(c["customer_since"].as_str(), batch.get(5).map(String::as_str));
        assert_eq!(v["technical"]["page_title"].as_str(), batch.get(6).map(String::as_str));
        assert_eq!(v["technical"]["user_agent"].as_str(), batch.get(8).map(String::as_str));
        assert_eq!(v["assessment"]["reasons"][0]["evidence"].as_str(), Some(batch[0].as_str()));
        let summary = v["summary_text"].as_str().unwrap();
        assert!(summary.contains(&format!("Customer: {} (", batch[0])), "summary keeps names as given");
        for m in &chat.0 {
            assert!(summary.contains(m.text.trim().lines().next().unwrap_or("")), "summary has every message");
        }
    }
}
