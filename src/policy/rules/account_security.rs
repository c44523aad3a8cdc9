//! Account security: a hacked or compromised account, payments or withdrawals the customer
//! does not recognise, a lost or stolen card or phone, fraud, login codes nobody asked
//! for, a blocked or frozen account. A plain password reset is not security (it is simple).

use super::{Class, Ctx, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::AccountSecurity, class: Class::Always, takes_phrases: true, detect: Detect::Custom(detect) };

pub(crate) const PAYMENT: &str =
    "payment|payments|charge|charges|transaction|transactions|withdrawal|withdrawals|debit|debits|purchase|purchases|transfer|transfers|activity|purchases|spending|order|orders|login|logins|sign|signin|access|money|cash|deduction|deductions|entry|entries|pull|pulls|item|items|amount|transations|trasaction|payement|pament";
pub(crate) const ACCOUNT: &str =
    "account|accounts|card|cards|phone|wallet|purse|bag|identity|details|info|information|data|email|login|password|pin|credentials|number|visa|mastercard|amex|bank|app|mobile|cellphone|device|id";

const POSITIVE: &str = lines![
    "hack*",
    "fradul*|fraudl*|frauds*",
    "suspicious|suspicous|fishy|sketchy",
    "used|using|use ~ by ~ someone|somebody|another|others|stranger|strangers|a",
    "disagree ~ with ~ a|the|this ~ charge|payment|transaction|debit",
    "compromis*",
    "fraud*",
    "scam|scammed|scammer|scammers|phishing|phished|skimmed|skimmer|skimming|cloned",
    "stolen|stole|steal|stealing|theft|thief|thieves|robbed|mugged|pickpocketed",
    "unauthori*|unathori*|unauthor*",
    "identity theft",
    "impersonat*",
    "lost|misplaced|lose|losing ~ @account",
    "@account ~ lost|missing|disappeared",
    "cant|cannot|couldnt|unable ~ find|locate ~ @account",
    "left|forgot ~ @account _ somewhere|at|in|on",
    "dont|didnt|not|never|cant|doesnt|wasnt|havent|hadnt ~ recogni*|know|remember|make|do|authori*|perform|made|request|requested|approve|initiate|order|buy|purchase|take|withdraw|spend|sign|complete|set|create|want|agree|consent|recall|identify ~ @payment",
    "not|never|unknown|unfamiliar|unrecogni*|strange|weird|odd|suspicious|shady|unusual|mysterious|random|fake|bogus|incorrect|unidentified|dodgy|wrong|mystery|false ~ @payment",
    "@payment ~ i|we ~ dont|didnt|do|did|never|cant|havent|hadnt|have ~ not|never? ~ recogni*|know|remember|make|made|authori*|perform|performed|request|requested|approve|approved|initiate|initiated|buy|take|withdraw|spend|complete|completed|create|created|do|done|agree|agreed|recall|identify|ordered|place|placed",
    "@payment _ not ~ mine|me",
    "@payment _ wasnt|werent|isnt|arent ~ me|mine",
    "not me|mine",
    "wasnt me",
    "isnt|arent mine",
    "dont|didnt|never ~ recogni*",
    "not|un recogni*|recognised|recognized",
    "someone|somebody|anyone|person|people|thief|others|stranger ~ else|other ~ has|have|had|is|are|was|got|gained|may|might|could|must|using|used|use|accessed|access|took|withdrew|spent|made|charged|logged|knows|know|stole|saw|seen|copied|cloned ~ my|into|access|the|card|account",
    "someone|somebody|anyone|person|people|thief|stranger|stranger ~ else ~ using|used|use|accessed|access|withdrew|spent|knows|has|took|took|logged",
    "@account ~ is|was|has|been|got|being|seems|appears|get? ~ freez*|froze|frozen|block|blocked|locked|suspended|disabled|deactivated|restricted|compromised|cloned|copied|exposed|leaked|breached|misused",
    "block|hold|freeze|stop|lock|restriction|suspension ~ on|against|placed|put ~ my|the|our|joint|this ~ account|funds|money|bank|accounts|checking|savings",
    "report ~ stolen|lost|card|fraud|theft|suspicious",
    "dispute|disputing|chargeback|chargebacks",
    "verification|security|login|confirmation|2fa|otp|one|authentication|sms|text|reset ~ code|codes|message|messages|email|emails|link|links ~ i|that|which ~ didnt|did|never|havent|not ~ request|requested|ask|asked|expect|trigger|triggered",
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
    // Takeovers, and sign-ins the customer did not make.
    "hijack*|takeover",
    "taken|took over",
    "someone|somebody|stranger|strangers ~ else? ~ changed|reset|trying|tried|tries|attempting|attempted|logged|logging|signed|signing ~ my|to|into|in",
    "not|never|wasnt|werent|didnt|im ~ not? ~ trying|try|tried|attempting ~ to ~ log|sign|login|access",
    "code|codes|otp|otps _ out of nowhere",
    "changed ~ and|but ~ i|it ~ didnt|wasnt|never",
    "changed ~ and|but ~ i|it ~ did|was not",
    "accessed|logged|signed ~ in|into? ~ from ~ a|an|another|unknown|new|strange|different ~ device|location|country|ip|computer|phone",
    // QA: "orders on my account I didn't place", "my account was accessed from Russia".
    "orders|purchases|order|purchase|bookings|subscriptions on|in ~ account|accounts ~ i|we? ~ didnt|never|not ~ place|placed|make|made|order|ordered|authori*|recogni*",
    "account|accounts ~ accessed|entered ~ from|in|by",
];

const NEGATIVE: &str = lines![
    // Losing one's work is not a security case ("I'd hate to lose my data").
    "lose|lost|losing ~ all? ~ data|work|files|progress|history|settings|changes|photos",
    "card|cards _ lost|missing ~ in|during ~ the|mail|post|delivery|transit|shipping|shipment",
    "lost|missing ~ in|during ~ the ~ mail|post|delivery|transit|shipping",
    "no|never ~ problem|worries|mind",
    "lost|forgot|forgotten|remember|reset|change ~ my|the ~ password|passcode|pin|code|login|username",
    "lost ~ password|passcode|pin|code",
    "is|if|was ~ it|my card ~ lost",
    "card|cards ~ arrive|arrived|delivery|delivered|lost in",
    // "I don't know how to make a payment": a how-to, not a denial.
    "how|where|when|which ~ to",
];

/// Money that moved: a payment, charge, withdrawal, debit...
const MOVEMENT: &str = lines![
    "payment|payments|charge|charges|charged|transaction|transactions|transation|transations|trasaction|withdrawal|withdrawals|withdrawl|withdrawls|witdrawal|witdhrawal|witdhrawals|witdrawals|withdraw|withdrawn|withdrew|debit|debits|purchase|purchases|purchased|activity|activities|cash|funds|deduction|deductions|deducted|payement|pament|payed|paid|bought|spending|spent|deposit|subscription|money",
];
/// Saying it was not them: "didn't make", "not mine", "don't recognise", "strange".
const DENIAL: &str = lines![
    "didnt|dont|never|not|cant|havent|hadnt|wasnt|doesnt|isnt|arent|werent|couldnt|wouldnt|no ~ make|made|do|did|done|authori*|authoris*|perform|performed|recogni*|recogi*|recongi*|regoni*|remember|request|requested|initiate|initiated|set|setup|create|created|complete|completed|submit|submitted|approve|approved|order|ordered|withdraw|take|took|buy|bought|spend|spent|accept|accepted|deposit|put|familiar|seen|purchase|purchased|belong|belongs|mine|recall|agree|agreed|authorise|sign|signed|expect|expected|use|used|touch|touched|go|me|supposed|suppose|legit|legitimate|right|correct",
    "unknown|unfamiliar|unrecogni*|unrecogi*|strange|weird|odd|suspicious|shady|unusual|questionable|illegal|illegitimate|mysterious|unexpected|unauthori*|unathori*|unauthoris*|mistaken|mistake|random|unidentified|fishy|dodgy|bogus|incorrect|wrong",
    // Not knowing where it came from, not how to do something ("don't know how to pay").
    "dont|didnt|not ~ know|sure ~ if|whether|who|where|why|what|about",
    "someone|somebody|people|person ~ i ~ dont|do ~ not? ~ know",
    "by|besides|except ~ me|myself",
    "what|whats ~ is|are ~ this|these|that",
    "what|whats ~ this|these",
    "where|why ~ did|does|is|are|was|has ~ this|these|that|there",
    "how|where ~ _ came|come|coming|from",
    "who|whom ~ is|made|charged|took",
    "shouldnt ~ be",
    "should ~ not ~ be",
    "but|though|yet|although ~ i|it ~ didnt|did|wasnt|was|never|havent|have ~ not?",
    "dont|didnt|not ~ think|believe|remember ~ i ~ made|make|did|authori*|used",
    "wasnt|not|never ~ aware",
    "never ~ been|visited|was|in",
    "false|fake|phony|fraudulant|fradulent",
    "not me|mine",
];
/// Things that can be lost or stolen.
const BELONGINGS: &str = lines![
    "card|cards|phone|wallet|purse|bag|mobile|cellphone|device|visa|mastercard|amex|debit|creditcard|handbag|backpack|iphone|android",
];
/// Losing them.
const LOSS: &str = lines![
    "lost|lose|losing|misplaced|missing|stolen|stole|steal|taken|took",
    "cant|cannot|couldnt|unable ~ find|locate",
    "left ~ behind|at|in|on|it|my",
    // (Review: "no longer|dont|do not" was four items, not three phrases: spaces split items.)
    "dont ~ have",
    "do not ~ have",
    "no longer ~ have",
];
/// A phone or wallet, which can go missing in more ways than a card.
const DEVICE: &str = lines!["phone|wallet|purse|mobile|cellphone|iphone|handbag"];
const DEVICE_GONE: &str = lines!["gone", "dont|not ~ know|sure ~ where", "possession"];
/// Cash that shows up in the app but never reached the customer.
const CASH: &str = lines!["cash|withdrawal|withdrawals|withdrawl|withdrawls|atm"];
const NOT_RECEIVED: &str = lines!["not|didnt|never|dont|havent ~ get|receive|received|got|take|took|withdraw|withdrew"];

/// A bank account or card that can be blocked.
const HOLDINGS: &str = lines![
    "account|accounts|card|cards|checking|savings|bank|funds|money|balance|activity|transactions|payments|cash",
];
/// Blocking or freezing it.
const BLOCK: &str = lines![
    "block|blocked|blocking|blocks|freeze|freezing|frozen|froze|locked|suspend|suspended|suspension|deactivate|deactivated|disable|disabled|pause|paused|restricted",
    "hold|holds|stop|halt|hault|freeze ~ on|placed|put|against",
    "put|place|placed|add ~ a|the ~ hold|stop|block|halt|hault|freeze",
    "stop|pause|hold|halt|unlock|unblock|unfreeze ~ my|the|our ~ account|bank|card|banking|accounts",
    "barred|denied|denying ~ from|access",
    "stop ~ all|any|payments|processing|transactions|activity|future",
    "turn|shut ~ off|down ~ my|the|our|this ~ card|cards|account|accounts|bank|banking",
    "dont ~ allow",
    "do not ~ allow",
    "let|letting ~ me ~ into|in|access",
];
/// Someone else at work.
const OTHERS: &str = lines![
    "someone|somebody|people|anyone|thief|stranger|strangers|person|others ~ else? _ using|used|use|took|taken|copied|accessed|access|stole|ordered|withdrew|spent|gained|charged|logged|made|got|knows|saw|seen|has|had|have|cloned|bought|withdrawn",
];

/// Messages about a card that has not arrived yet, or about delivery: whatever else they
/// say, no pair of words in them means a security problem.
const NOT_A_PAIR: &str = lines![
    "not|didnt|never|havent|hasnt|yet|still|waiting ~ received|receive|arrived|arrive|came|come|get|got|gotten|delivered|delivery|for",
    "lost|missing ~ in|during ~ the ~ mail|post|delivery|transit|shipping",
    "is ~ it ~ lost",
    "top up|topup",
    "exchange rate",
    "locked out",
];

fn detect<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    if !ctx.is_customer() {
        return None;
    }
    let single = ctx.phrases(ReasonCode::AccountSecurity, POSITIVE, NEGATIVE);
    if single.is_some() || ctx.tokens.find(NOT_A_PAIR, &[], "", &[]).is_some() {
        return single;
    }
    let both = |first, second| ctx.both(ReasonCode::AccountSecurity, first, second, NEGATIVE);
    None.or_else(|| both(MOVEMENT, DENIAL))
        .or_else(|| both(BELONGINGS, LOSS))
        .or_else(|| both(HOLDINGS, BLOCK))
        .or_else(|| both(OTHERS, BELONGINGS))
        .or_else(|| both(DEVICE, DEVICE_GONE))
        .or_else(|| both(CASH, NOT_RECEIVED))
        .or_else(|| both(OTHERS, HOLDINGS))
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
                ("I'd hate to lose my data", None),
                ("the app crashed and I lost all my work", None),
                ("I lost my card", Some("lost my card")),
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
                ("There is a payment in the app I did not make", Some("payment in the app I did not make")),
                ("i lost my debit card and need it reported", Some("lost my debit")),
                ("please put a block on my capital one account", Some("block on my capital one account")),
                ("why hasn't my transfer arrived", None),
                ("I didn't get my card yet", None),
                ("Where is my order?", None),
                // Regression (review of issue 3): settings and how-to questions read as an
                // emergency because two word classes met anywhere in the message.
                ("How do I turn off notifications in my account?", None),
                ("I'm not sure which payment method to choose", None),
                ("I don't know how to make a payment", None),
                ("please turn off my card", Some("turn off my card")),
                // Regression (review of issue 3): takeovers and sign-ins nobody asked for.
                ("Someone is trying to log into my account", Some("Someone is trying to")),
                ("someone changed my password", Some("someone changed my")),
                ("My account got taken over", Some("taken over")),
                ("I see an order I didn't place", Some("order I didn't place")),
                ("I keep getting verification codes but I'm not trying to sign in", Some("I'm not trying to sign")),
                ("My email address was changed and I didn't do it", Some("changed and I didn't")),
                ("My account was accessed from a device I don't own", Some("accessed from a device")),
                // QA.
                ("There are orders on my account I didn't place", Some("orders on my account I didn't place")),
                ("my account was accessed from Russia", Some("account was accessed from")),
            ],
        );
    }
}
