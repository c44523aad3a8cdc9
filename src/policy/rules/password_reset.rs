//! Password and account access: resets, forgotten passcodes and PINs, plain trouble logging
//! in. Simple: the bot walks the customer through it (a request for a human becomes a choice).

use super::{Class, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::PasswordReset, class: Class::Simple, takes_phrases: true, detect: Detect::CustomerPhrases { positive: POSITIVE, negative: NEGATIVE } };

const POSITIVE: &str = lines![
    "reset|resetting|recover|recovering|change|changing|update|forgot|forgotten|forget|lost|remember|new|retrieve ~ my|the|a|your ~ password|passwords|passcode|passcodes|pin|pins|code|login|username|pw",
    "password|passwords|passcode|passcodes|pin|pins|pw|login|username ~ reset|change|recovery|forgotten|expired|help",
    "password|passcode|pin|login ~ not|doesnt|isnt|wont ~ work|working|accepted",
    "password|passcode|pin|passwords",
    "cant|cannot|unable|couldnt|trouble|problem|problems ~ to? ~ log|logging|sign|signing|login|get ~ in|into|on",
    "cant|cannot|unable|couldnt ~ access ~ my|the ~ account|app",
    "locked out",
    "two factor|2fa"
];

const NEGATIVE: &str = lines![
    "didnt|never|not ~ request|requested|ask|asked"
];

examples![
    ("How do I reset my password?", Some("reset my password")),
    ("I forgot my PIN", Some("forgot my PIN")),
    ("I can't log in", Some("can't log in")),
    ("I'm locked out", Some("locked out")),
    ("where is my order", None),
    ("what time do you open", None),
];
