//! VIP and enterprise customers: the host page's tier (`identify()`) is one of `vipTiers`
//! (default "vip", "enterprise"), compared case-insensitively. Fires on customer turns.

use super::{Class, Ctx, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::VipCustomer, class: Class::Always, takes_phrases: false, detect: Detect::Custom(detect) };

fn detect<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    let tier = ctx.tier?.trim();
    (ctx.is_customer() && ctx.config.vip_tiers.iter().any(|t| t.trim().eq_ignore_ascii_case(tier))).then_some(tier)
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
