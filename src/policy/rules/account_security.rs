//! Account security: a hacked or compromised account, payments or withdrawals the customer
//! does not recognise, a lost or stolen card or phone, fraud, login codes nobody asked
//! for, a blocked or frozen account. A plain password reset is not security (it is simple).

use super::{Class, Ctx, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::AccountSecurity, class: Class::Always, takes_phrases: true, detect };

macro_rules! payment {
    () => {
        "payment|payments|charge|charges|transaction|transactions|withdrawal|withdrawals|debit|debits|purchase|purchases|transfer|transfers|activity|purchases|spending|order|orders|login|logins|sign|signin|access|money|cash|deduction|deductions|entry|entries|pull|pulls|item|items|amount|transations|trasaction|payement|pament"
    };
}
macro_rules! account {
    () => {
        "account|accounts|card|cards|phone|wallet|purse|bag|identity|details|info|information|data|email|login|password|pin|credentials|number|visa|mastercard|amex|bank|app|mobile|cellphone|device|id"
    };
}

const POSITIVE: &[&str] = &[
    "hack*",
    "compromis*",
    "fraud*",
    "scam|scammed|scammer|scammers|phishing|phished|skimmed|skimmer|skimming|cloned",
    "stolen|stole|steal|stealing|theft|thief|thieves|robbed|mugged|pickpocketed",
    "unauthori*|unathori*|unauthor*",
    "identity theft",
    "impersonat*",
    concat!("lost|misplaced|lose|losing ~ ", account!()),
    concat!(account!(), " ~ lost|missing|gone|disappeared"),
    concat!("cant|cannot|couldnt|unable ~ find|locate ~ ", account!()),
    concat!("left|forgot ~ ", account!(), " _ somewhere|at|in|on"),
    concat!("dont|didnt|not|never|cant|doesnt|wasnt|havent|hadnt ~ recogni*|know|remember|make|do|authori*|perform|made|request|requested|approve|initiate|order|buy|purchase|take|withdraw|spend|sign|complete|set|create|want|agree|consent|recall|identify ~ ", payment!()),
    concat!("not|never|unknown|unfamiliar|unrecogni*|strange|weird|odd|suspicious|shady|foreign|unusual|mysterious|random|fake|bogus|incorrect|unidentified|dodgy|wrong|mystery|false ~ ", payment!()),
    concat!(payment!(), " ~ i|we ~ dont|didnt|do|did|never|cant|havent|hadnt|have ~ not|never? ~ recogni*|know|remember|make|made|authori*|perform|performed|request|requested|approve|approved|initiate|initiated|buy|take|withdraw|spend|complete|completed|create|created|do|done|agree|agreed|recall|identify|ordered"),
    concat!(payment!(), " _ not ~ mine|me"),
    concat!(payment!(), " _ wasnt|werent|isnt|arent ~ me|mine"),
    "not me|mine",
    "wasnt me",
    "isnt|arent mine",
    "dont|didnt|never ~ recogni*",
    "not|un recogni*|recognised|recognized",
    "someone|somebody|anyone|person|people|thief|others|stranger ~ else|other ~ has|have|had|is|are|was|got|gained|may|might|could|must|using|used|use|accessed|access|took|withdrew|spent|made|charged|logged|knows|know|stole|saw|seen|copied|cloned ~ my|into|access|the|card|account",
    "someone|somebody|anyone|person|people|thief|stranger|stranger ~ else ~ using|used|use|accessed|access|withdrew|spent|knows|has|took|took|logged",
    "access|accessed|logged _ my|into _ account|card|app|phone",
    concat!("freez*|froze|frozen|block|blocked|blocking|lock|locked|lockdown|suspend|suspended|disable|disabled|deactivat*|cancel|stop|pause|hold|halt|shut|close|restrict*|restrict|limit ~ on|down|off|place|put? ~ ", account!()),
    concat!(account!(), " ~ is|was|has|been|got|being|seems|appears|get? ~ freez*|froze|frozen|block|blocked|locked|suspended|disabled|deactivated|restricted|closed|hold|held|on|compromised|cloned|copied|exposed|leaked|breached|misused"),
    "block|hold|freeze|stop|lock|restriction|suspension ~ on|against|placed|put ~ my|the|our|joint|this ~ account|card|funds|money|bank|accounts",
    "report ~ stolen|lost|card|fraud|theft|suspicious",
    "dispute|disputing|chargeback|chargebacks",
    concat!("verification|security|login|confirmation|2fa|otp|one|authentication|sms|text|reset ~ code|codes|message|messages|email|emails|link|links ~ i|that|which ~ didnt|did|never|havent|not ~ request|requested|ask|asked|expect|trigger|triggered"),
    "didnt|never|not ~ request|requested|ask|asked|initiate|initiated ~ for ~ a|this|the|any|that ~ code|codes|reset|password|login|verification|otp",
    "password|email|phone|pin|details|number ~ was|were|has|have|been|got ~ changed|reset ~ without|by",
    "changed ~ without ~ my|me",
    "breach*|leak|leaked|exposed",
    "someone|somebody ~ saw|watched|know|knows|has|got|seen ~ my ~ pin|password|code|details|passcode",
    "copy|copied|clone|cloned of ~ my ~ card",
    "missing ~ cash|money|funds|from ~ my|account",
    "money|funds|cash ~ is|are|has|have|was|went ~ missing|gone|disappeared|vanished",
    "taken|withdrawn|removed|disappeared ~ from ~ my ~ account|card",
    "victim",
    "without ~ my ~ permission|consent|knowledge|authori*",
];

const NEGATIVE: &[&str] = &[
    "card|cards _ lost|missing ~ in|during ~ the|mail|post|delivery|transit",
    "lost|forgot|forgotten|remember|reset|change ~ my|the ~ password|passcode|pin|code|login|username",
    "lost ~ password|passcode|pin|code",
    "is|if|was ~ it|my card ~ lost",
    "card|cards ~ arrive|arrived|delivery|delivered|lost in",
];

fn detect<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    if !ctx.is_customer() {
        return None;
    }
    ctx.phrases(ReasonCode::AccountSecurity, POSITIVE, NEGATIVE)
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::RULE;

    #[test]
    fn security_and_look_alikes() {
        assert_table(
            &RULE,
            &[
                ("my account was hacked", Some("hacked")),
                ("There is a charge I don't recognize", Some("charge I don't recognize")),
                ("I think my card has been stolen!", Some("stolen")),
                ("I got a login code I didn't request", Some("login code I didn't request")),
                ("A payment I didn't make appears in my app", Some("payment I didn't make")),
                ("I need to freeze my account", Some("freeze my account")),
                ("why is my account blocked", Some("account blocked")),
                ("I lost my phone", Some("lost my phone")),
                ("someone else is using my card", Some("someone else is using my")),
                // Not security.
                ("How do I reset my password?", None),
                ("I forgot my password", None),
                ("I lost my passcode", None),
                ("my card hasn't arrived, is it lost?", None),
                ("What is my balance?", None),
                ("Where is my order?", None),
            ],
        );
    }
}
