//! Failed attempts: the customer says the bot's troubleshooting step did not work ("still
//! not working", "that didn't help", "tried that"). `decide` counts them in the state, only
//! right after a bot turn that had a `step`; this rule fires once the count reaches
//! `failedAttemptsThreshold` (default 2: the playbook says 2-3, not 5+).

use super::{Class, Ctx, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::FailedAttempts, class: Class::Always, takes_phrases: true, detect: Detect::Custom(detect) };

const POSITIVE: &str = lines![
    "didnt|doesnt|dont|not|wont|isnt|wasnt|never|hasnt ~ work|working|worked|help|helped|helping|fix|fixed|solve|solved|change|changed|do|resolve|resolved|load|start|go|succeed",
    "still ~ not|doesnt|dont|didnt|wont|cant|the ~ same|working|broken|failing|fails|happening|stuck|get|getting|nothing|no|error|an|problem|issue|isnt|having|can|crashes|crashing",
    "no|nope ~ luck|change|difference|dice|joy",
    "tried|done|did ~ that|this|it|those|them|already|everything|all",
    "already ~ tried|did|done",
    "same ~ problem|issue|error|thing|result|message",
    "nothing|none ~ changed|happened|works|worked|helped|helps",
    "fail|failed|fails|failing",
    "not|nt ~ fixed|resolved|solved",
    "made ~ it ~ worse",
    "made no difference",
    "nope|no|nah",
];

const NEGATIVE: &str = lines!["no|nope ~ problem|worries", "not yet|tried"];

/// This turn's failure phrase, if the customer says the last step did not work.
pub(crate) fn failure<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    ctx.phrases(ReasonCode::FailedAttempts, POSITIVE, NEGATIVE)
}

fn detect<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    let threshold = ctx.config.failed_attempts_threshold;
    match ctx.failure_evidence {
        Some(evidence) if ctx.failures >= threshold => Some(evidence),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check, on_fresh};
    use super::*;

    fn failure_of(text: &str) -> Option<String> {
        on_fresh(text, |_| {}, |ctx| failure(ctx).map(str::to_owned))
    }

    #[test]
    fn failure_phrases() {
        let table: &[(&str, Option<&str>)] = &[
            ("still not working", Some("not working")),
            ("that didn't help", Some("didn't help")),
            ("tried that already", Some("tried that")),
            ("Nope, same error", Some("same error")),
            ("no luck", Some("no luck")),
            ("ok, it worked, thanks", None),
            ("great, fixed!", None),
            ("not yet, let me try", None),
            ("no problem", None),
        ];
        for (text, want) in table {
            assert_eq!(failure_of(text).as_deref(), *want, "{text:?}");
        }
    }

    #[test]
    fn a_single_message_never_fires_the_rule_alone() {
        // Without the bookkeeping in `decide` (a bot step, then a count), nothing fires.
        assert_eq!(check(&RULE, "still not working"), None);
    }
}
