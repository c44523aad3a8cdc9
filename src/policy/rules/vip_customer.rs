//! VIP and enterprise customers: the host page's tier (`identify()`) is one of `vipTiers`
//! (default "vip", "enterprise"), compared case-insensitively. Fires on customer turns.

use super::{Class, Ctx, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::VipCustomer, class: Class::Always, takes_phrases: false, detect: Detect::Custom(detect) };

fn detect<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    let tier = ctx.tier?.trim();
    (ctx.is_customer() && is_vip(ctx)).then_some(tier)
}

/// Whether the customer's tier is one of `vipTiers`. Besides firing on customer turns, it
/// raises the priority of every escalation, the bot turn's too (`combine`).
pub(crate) fn is_vip(ctx: &Ctx) -> bool {
    ctx.tier.is_some_and(|tier| ctx.config.vip_tiers.iter().any(|t| t.trim().eq_ignore_ascii_case(tier.trim())))
}

#[cfg(test)]
mod tests {
    use super::super::on_fresh;
    use super::*;

    #[test]
    fn tiers() {
        let table: &[(Option<&str>, bool)] =
            &[(Some("VIP"), true), (Some("Enterprise "), true), (Some("free"), false), (Some(""), false), (None, false)];
        for &(tier, want) in table {
            let fired = on_fresh("hi", |ctx| ctx.tier = tier, |ctx| detect(ctx).is_some());
            assert_eq!(fired, want, "{tier:?}");
        }
    }
}
