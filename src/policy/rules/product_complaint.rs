//! Complaints about product quality: damaged, defective, poorly made, not as described.
//! Offer a human: a person decides on replacements and feeds it back.

use super::{Class, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::ProductComplaint, class: Class::Consider, takes_phrases: true, detect: Detect::CustomerPhrases { positive: POSITIVE, negative: NEGATIVE } };

const POSITIVE: &str = lines![
    "poor|low|bad|terrible|awful|cheap|shoddy|inferior ~ quality|craftsmanship|material|materials|build",
    "quality ~ is|was|has ~ poor|bad|terrible|awful|low|declined|worse|cheap",
    "defective|faulty|defect|defects|damaged|shoddy|flimsy|counterfeit|knockoff",
    "arrived|came|delivered|showed up ~ broken|damaged|cracked|torn|dented|ripped|scratched|leaking|defective|wrong|missing",
    "broke|broken|working|apart|cracked|ripped|tore|leaks|leaking|died ~ after|within ~ a|one|two|few|days|weeks|week|day|month|use|uses|wash|washes",
    "not as|what ~ described|advertised|pictured|shown|expected",
    "poorly ~ made|built|designed|packaged",
    "complain|complaint|complaining ~ about ~ the|your|this|my ~ product|item|quality|order",
    "wrong ~ item|size|color|colour|product"
];

const NEGATIVE: &str = lines![
    "no complaints|complaint"
];

examples![
    ("the quality is terrible", Some("quality is terrible")),
    ("it arrived damaged", Some("damaged")),
    ("the strap broke after two weeks", Some("broke after two")),
    ("not as described at all", Some("not as described")),
    ("the product is defective", Some("defective")),
    ("what material is it made of", None),
    ("no complaints, it works great", None),
];
