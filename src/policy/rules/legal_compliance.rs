//! Legal and compliance matters: lawyers, lawsuits, regulators, subpoenas, and data
//! protection requests under the law (GDPR, CCPA, HIPAA, deletion or access requests).

use super::{Class, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::LegalCompliance, class: Class::Always, takes_phrases: true, detect: Detect::CustomerPhrases { positive: POSITIVE, negative: NEGATIVE } };

const POSITIVE: &str = lines![
    "lawyer|lawyers|attorney|attorneys|solicitor|solicitors|barrister|counsel|paralegal",
    "lawsuit|lawsuits|litigation|litigate|subpoena|subpoenaed|summons|injunction|affidavit",
    "sue|suing|sued ~ you|your|them|the|this|company|bank",
    "will|going|gonna|can|could|should ~ to ~ sue",
    "legal ~ action|proceedings|team|department|advice|matter|notice|claim|counsel|obligation|rights|request",
    "court|courts|tribunal",
    "gdpr|ccpa|cpra|hipaa|pipeda|lgpd|dsar|dpa|ferpa|coppa",
    "regulator|regulators|ombudsman|ftc|cfpb|fca|finra|ofcom|bbb",
    "data|privacy ~ protection|subject|breach|request|regulation|law|laws|rights|officer",
    "right to ~ be forgotten|erasure|access|deletion|delete",
    "delete|erase|remove|deletion|erasure ~ all? ~ my|of ~ my? ~ personal|private ~ data|information|info|details",
    // Data requests in plain words: deletion of everything, or a copy of what is held.
    "delete|erase|remove|wipe|purge ~ all ~ my|the|of ~ data|information|records",
    "data|information|records ~ you ~ have|hold|keep|store|stored|collected|collect ~ about|on|of ~ me|us",
    "copy of ~ all? ~ my|the ~ personal? ~ data|information|records",
    "formal complaint",
    "complaint ~ with|to ~ the ~ bbb|ftc|cfpb|fca|ombudsman|regulator",
    "consumer protection|rights",
    "file|filing|lodge|report ~ a|an ~ formal ~ complaint ~ with|to",
    "report|reporting ~ you|this ~ to ~ the",
    "discriminat*|harass*",
    "compliance|compliant|noncompliance|violation|violates|violating|breach of contract",
    "police|law enforcement",
];

const NEGATIVE: &str = lines!["sue is|was|said|from", "court side|courtside", "food court"];

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::RULE;

    #[test]
    fn legal_and_not() {
        assert_table(
            &RULE,
            &[
                ("I'll have my lawyer call you", Some("lawyer")),
                ("This is a GDPR request: delete my data", Some("GDPR")),
                ("I am going to sue", Some("going to sue")),
                ("we received a subpoena", Some("subpoena")),
                ("I will report you to the regulator", Some("regulator")),
                ("under CCPA I want my personal data deleted", Some("CCPA")),
                ("HIPAA", Some("HIPAA")),
                ("I want a lawsuit", Some("lawsuit")),
                // Not legal.
                ("Sue from accounting said hi", None),
                ("how do I delete my account", None),
                // Regression (review of issue 3): plain-English data requests.
                ("Please delete all my data", Some("delete all my data")),
                ("delete all the data you have about me", Some("delete all the data")),
                ("I want a copy of all the personal data you hold on me", Some("data you hold on me")),
                ("I will file a complaint with the BBB", Some("BBB")),
                ("how do I delete a photo", None),
                ("what are the terms of the promotion", None),
                // QA.
                ("please erase my personal information", Some("erase my personal information")),
            ],
        );
    }
}
