//! The bot is unsure of its own reply: confidence below `lowConfidence` (default 0.40).
//! A confidence that is not a number counts as unsure.

use std::cmp::Ordering;

use super::{Class, Ctx, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::LowConfidence, class: Class::Always, takes_phrases: false, detect: Detect::Custom(detect) };

fn detect<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    let confidence = ctx.bot_confidence?;
    // NaN from a broken backend compares as nothing: treat it as unsure, like a low value.
    let sure = matches!(confidence.partial_cmp(&ctx.config.low_confidence), Some(Ordering::Greater | Ordering::Equal));
    (!sure).then_some("bot confidence below the threshold")
}

#[cfg(test)]
mod tests {
    use super::super::on_fresh;
    use super::*;

    #[test]
    fn thresholds() {
        let table: &[(Option<f64>, bool)] =
            &[(Some(0.39), true), (Some(0.0), true), (Some(f64::NAN), true), (Some(0.4), false), (Some(0.95), false), (None, false)];
        for &(confidence, want) in table {
            let fired = on_fresh("", |ctx| ctx.bot_confidence = confidence, |ctx| detect(ctx).is_some());
            assert_eq!(fired, want, "{confidence:?}");
        }
    }
}
