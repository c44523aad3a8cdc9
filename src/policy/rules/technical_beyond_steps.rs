//! Technical issues beyond the troubleshooting steps: error codes, devices and integrations,
//! things that fail in ways a scripted step will not fix. Offer a human.

use super::{Class, Ctx, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::TechnicalBeyondSteps, class: Class::Consider, takes_phrases: true, detect: Detect::Custom(detect) };

fn detect<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    if !ctx.is_customer() {
        return None;
    }
    let found = ctx.phrases(ReasonCode::TechnicalBeyondSteps, POSITIVE, NEGATIVE)?;
    Some(with_code(ctx.text, found))
}

/// The evidence with the code it names, whole: "error E-503", "error code PAY-402" (QA: the
/// agent read "error E" and "error code"). The word it ends in is finished, and the next word
/// is taken too if it has a digit in it.
fn with_code<'a>(text: &'a str, found: &'a str) -> &'a str {
    let start = (found.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    let word_end = |from: usize| text.get(from..).map_or(from, |rest| from + crate::table::find_whitespace(rest).unwrap_or(rest.len()));
    let mut end = word_end(start + found.len());
    let next = text.get(end..).map_or(end, |rest| end + rest.len() - crate::table::trim_start_whitespace(rest).len());
    let next_end = word_end(next);
    if text.get(next..next_end).is_some_and(|w| w.as_bytes().iter().any(u8::is_ascii_digit)) {
        end = next_end;
    }
    text.get(start..end).map_or(found, |e| crate::table::trim_end(e, &['.', ',', '!', '?', ';', ':', ')', '"', '\'']))
}

const POSITIVE: &str = lines![
    "error|errors ~ code|codes|message|messages|number|screen|page",
    "error|errors ~ 0*|1*|2*|3*|4*|5*|6*|7*|8*|9*|e*",
    "http|status ~ 4*|5*",
    "blank|white|black ~ screen|page",
    "timed|times|timing ~ out",
    "timeout|timeouts",
    "wont|doesnt|dont|cant|cannot|not|isnt|fails ~ to? ~ load|install|sync|connect|update|boot|start|open|launch|upload|download|integrate",
    "sync|syncing|synchronization|integration|api|webhook|webhooks|sdk|plugin|firmware|driver|drivers|server|ssl|certificate|dns|database",
    "stuck ~ on|at|in ~ loading|the|a",
    "not|isnt|nt ~ loading|syncing|connecting|updating|installing|responding"
];

/// Whether the product has an API or a plugin is a question for the FAQ, not a failure.
const NEGATIVE: &str = lines![
    "no error",
    "do|does|can ~ you|it|app|product ~ have|support|offer|provide ~ _ api|sdk|webhook|webhooks|plugin|plugins|integration|integrations",
    "is|are there ~ _ api|sdk|webhook|webhooks|plugin|plugins|integration|integrations",
];

examples![
    ("I get error code 0x80070005", Some("error code 0x80070005")),
    // QA: the code was cut where the tokens split.
    ("I get error E-503 on the dashboard", Some("error E-503")),
    ("The payment fails with error code PAY-402, every time", Some("error code PAY-402")),
    ("the page is stuck on loading.", Some("stuck on loading")),
    ("the page shows a blank screen", Some("blank screen")),
    ("the webhook never fires", Some("webhook")),
    ("the app won't load on my phone", Some("won't load")),
    ("checkout timed out", Some("timed out")),
    ("how do I change my password", None),
    ("no error, just curious how it works", None),
    ("do you have an API?", None),
    ("is there a Shopify plugin?", None),
    ("does the app support webhooks", None),
    ("our webhook integration stopped firing", Some("webhook")),
];
