//! Money or refunds above the site's threshold (`moneyThresholdMinor`, default 100.00 in
//! the site's currency): the first amount over it, with its currency marker, is the evidence.

use super::{Class, Ctx, Detect, Rule};
use crate::policy::money::find_money;
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::MoneyOverThreshold, class: Class::Always, takes_phrases: false, detect: Detect::Custom(detect) };

fn detect<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    if !ctx.is_customer() {
        return None;
    }
    let threshold = ctx.config.money_threshold_minor;
    find_money(ctx.text, &ctx.config.currency).into_iter().find(|m| m.minor > threshold).map(|m| m.evidence)
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::RULE;

    #[test]
    fn over_and_under() {
        assert_table(
            &RULE,
            &[
                ("I want a refund of $250", Some("$250")),
                ("they charged me 1.250,00 € twice", Some("1.250,00 €")),
                ("USD 480 missing", Some("USD 480")),
                ("I paid 480 dollars", Some("480 dollars")),
                ("$50 and then $500", Some("$500")),
                // Under the threshold, or not money.
                ("refund my $100", None),
                ("a $20 fee", None),
                ("order 12345 is late", None),
                ("it's been 200 days", None),
            ],
        );
    }
}
