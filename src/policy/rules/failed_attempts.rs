//! Failed attempts: the customer says the bot's troubleshooting step did not work ("still
//! not working", "that didn't help", "tried that"). `decide` counts them in the state, only
//! right after a bot turn that had a `step`; this rule fires once the count reaches
//! `failedAttemptsThreshold` (default 2: the playbook says 2-3, not 5+).

use super::{Class, Ctx, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::FailedAttempts, class: Class::Always, takes_phrases: true, detect: Detect::Custom(detect) };

/// Saying the step did not work.
const POSITIVE: &str = lines![
    "didnt|doesnt|dont|not|wont|isnt|wasnt|never|hasnt ~ work|working|worked|help|helped|helping|fix|fixed|solve|solved|change|changed|do|resolve|resolved|load|start|go|succeed",
    "still ~ not|doesnt|dont|didnt|wont|cant|the ~ same|working|broken|failing|fails|happening|stuck|get|getting|nothing|no|error|an|problem|issue|isnt|having|can|crashes|crashing",
    "no|nope ~ luck|change|difference|dice|joy",
    "same ~ problem|issue|error|thing|result|message",
    "nothing|none ~ changed|happened|works|worked|helped|helps",
    "fail|failed|fails|failing",
    "not|nt ~ fixed|resolved|solved",
    "made ~ it ~ worse",
    "made no difference",
];

/// Saying only that the step was done ("tried that", "did it"): a failure unless the message
/// also says it worked ("I did it, everything works now").
const DONE: &str = lines!["tried|done|did ~ that|this|it|those|them|already|everything|all", "already ~ tried|did|done"];

const WORKED: &str = lines![
    "works|working|worked|fixed|solved|resolved|fine|good|great|perfect|better|online|sorted",
];

const NEGATIVE: &str = lines!["no|nope ~ problem|worries", "not yet|tried", "havent|hasnt|not|didnt ~ yet? ~ tried|done|did"];

/// This turn's failure phrase, if the customer says the last step did not work.
pub(crate) fn failure<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    if let Some(evidence) = ctx.phrases(ReasonCode::FailedAttempts, POSITIVE, NEGATIVE) {
        return Some(evidence);
    }
    if let Some((a, b)) = ctx.tokens.find(DONE, &[], NEGATIVE, &[]) {
        return ctx.tokens.find(WORKED, &[], "", &[]).is_none().then(|| ctx.tokens.span(ctx.text, a, b));
    }
    // A bare "no" answers the step ("Nope."); "No, it's plugged in" answers something else.
    let no = ctx.tokens.len() <= 2 && matches!(ctx.tokens.word(0), "no" | "nope" | "nah");
    (no && ctx.tokens.find(NEGATIVE, &[], "", &[]).is_none()).then(|| ctx.tokens.span(ctx.text, 0, 1))
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
            ("Nope.", Some("Nope")),
            // Regression (review of issue 3): success and unrelated "no"s counted as failures.
            ("I did it, everything is fine now", None),
            ("Done! It works now, thanks", None),
            ("Already did, all good now", None),
            ("No, it's plugged in", None),
            ("I haven't tried that yet, one sec", None),
            ("did that, nothing", Some("did that")),
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
