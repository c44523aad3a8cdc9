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
    if price_question(ctx) {
        return None;
    }
    find_money(ctx.text, &ctx.config.currency).iter().find(|m| m.minor > threshold).map(|m| m.evidence)
}

/// "Is shipping free on orders over $150?", "Do you sell gift cards for $200?", "My order was
/// $150, when will it ship?": a question with nothing charged, paid, refunded or lost puts no
/// money at stake (QA: these went to a person at high priority, "refunds and charges of this
/// size").
fn price_question(ctx: &Ctx) -> bool {
    crate::table::find(ctx.text, "?", 0, false).is_some() && ctx.any_word(AT_STAKE).is_none()
}

const AT_STAKE: &str = "charged charge paid pay refund refunded owe owed billed debited withdrew withdrawn deducted \
    took lost missing stolen spent back";

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
                ("they charged me 1.250,00 € twice", Some("1.250,00 € twice")),
                // QA: a repeated charge counts in full.
                ("I was billed twice, 89.99 each", Some("twice, 89.99 each")),
                ("charged $60 three times this month", Some("$60 three times")),
                ("charged $45 twice", None),
                ("USD 480 missing", Some("USD 480")),
                ("I paid 480 dollars", Some("480 dollars")),
                ("$50 and then $500", Some("$500")),
                // Under the threshold, or not money.
                ("refund my $100", None),
                ("a $20 fee", None),
                ("order 12345 is late", None),
                ("it's been 200 days", None),
                // Regression (review of issue 3): price bounds in questions are FAQs.
                ("Is shipping free on orders over $150?", None),
                ("do you have laptops under $500?", None),
                ("Why was I charged over $500?", Some("$500")),
                ("I lost over $300", Some("$300")),
                // QA: amounts in questions about something else.
                ("Do you sell gift cards for $200?", None),
                ("My order was $150, when will it ship?", None),
                ("Where is my $300 refund?", Some("$300")),
                ("My $300 order never arrived", Some("$300")),
            ],
        );
    }
}
