//! Technical issues beyond the troubleshooting steps: error codes, devices and integrations,
//! things that fail in ways a scripted step will not fix. Offer a human.

use super::{Class, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::TechnicalBeyondSteps, class: Class::Consider, takes_phrases: true, detect: Detect::CustomerPhrases { positive: POSITIVE, negative: NEGATIVE } };

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
    ("I get error code 0x80070005", Some("error code")),
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
