//! The customer explicitly asks for a person ("talk to a real person", "agent please",
//! "get me a human"), but not when asking whether the bot is one ("are you a bot?",
//! "am I talking to a human?") or declining one ("no need for an agent").

use super::{Class, Ctx, Detect, Rule};
use crate::policy::ReasonCode;

pub(crate) const RULE: Rule = Rule { code: ReasonCode::HumanRequest, class: Class::Always, takes_phrases: true, detect: Detect::Custom(detect) };

/// Anyone who is not the bot.
pub(crate) const PERSON: &str =
    "human|humans|person|persons|people|ppl|agent|agents|representative|representatives|rep|reps|operator|operators|someone|somebody|somone|sombody|anyone|anybody|staff|employee|employees|manager|supervisor|boss|advisor|adviser|consultant|specialist|associate|man|woman|guy|lady|team|being|beings|salesperson|salesman|founder|founders|ceo|owner|developer|developers|engineer|engineers|expert|experts|technician|humanbeing|colleague|colleagues|humen|hooman|represenative|representitive|reprensentative";
/// A person, said specifically enough that wanting one is a request.
pub(crate) const STRONG: &str =
    "human|humans|person|agent|agents|representative|rep|operator|staff|supervisor|specialist|employee|advisor|adviser|consultant|associate|being|colleague|humen|represenative";
/// A person, in Spanish.
pub(crate) const ES_PERSON: &str =
    "persona|personas|humano|humana|humanos|agente|agentes|asesor|asesora|operador|operadora|representante|empleado|supervisor|encargado|alguien|especialista|jefe|gerente|responsable|dueño|dueno";
/// The bot, and what people call it when they ask what it is.
pub(crate) const MACHINE: &str =
    "bot|bots|robot|robots|machine|machines|computer|ai|automated|automatic|program|chatbot|software|virtual|artificial";

const POSITIVE: &str = lines![
    "talk|talking|speak|speaking|chat|chatting|converse|communicate ~ to|with? ~ @person",
    "connect|transfer|forward|redirect|put|patch|switch|route|pass|hand|send me|us ~ to|with|through|over ~ @person",
    "escalate|pass|hand|send|forward ~ this|it|me|over ~ to ~ @person",
    "get|give|find|bring|gimme me ~ @strong",
    "get|give|find|bring|gimme me your|a|the manager|boss|supervisor",
    "want|need|request|demand|prefer|like|wanna|require ~ @strong",
    "want|need|request|demand|prefer|like|wanna ~ to ~ contact|reach|see ~ @person",
    "representative|representatives|operator",
    "handoff|handover|takeover",
    "take|bring|send|lead|direct|get ~ me|us ~ to|with ~ @person",
    "gimme ~ @strong",
    "get|find|bring|fetch ~ me? ~ someone|somebody",
    "be|get|getting|being ~ transferred|connected|escalated|forwarded|redirected|passed|handed",
    "hand|pass ~ me|us ~ over|on|off",
    "@strong ~ help|assist|answer|handle|call|contact ~ me|us|this",
    "@strong look into|at ~ this|it|my|our",
    "someone|somebody|anyone|person ~ real|human|live|else|alive",
    "get|need|want|have ~ human|humans|person|agent|representative|rep|operator|supervisor|boss",
    "connect|transfer|redirect|escalate me|us",
    "please|pls|plz|can|could|would|will you? put|patch me|us through please? $",
    "need|want|like|prefer ~ to? ~ customer|client ~ service|support|care|services",
    "talk|talking|speak|speaking|chat|chatting ~ to|with ~ customer|client|your ~ service|support|care|services|team|department|helpdesk|side",
    "a|any|some ~ human|humans|person|people|agent|agents|representative ~ here|around|available|online|there",
    "live|real|actual human|humans|person|people|agent|agents|support|operator|rep|chat|being|persons",
    "human|humans support|help|assistance|service|contact|agent|agents|operator|rep|interaction",
    "human|humans|agent|agents|person|representative|operator please|pls|plz|now|asap|already",
    "please|pls|plz ~ human|humans|agent|representative|operator",
    "contact|reach|call|phone|ring|email ~ customer|client|your ~ service|services|support|care|team|helpdesk|helpline|department|office",
    "contact|contacting|reach|call|phone ~ @strong",
    "@person _ i|we can|could ~ talk|speak|chat|contact|reach|call|ask",
    "who can|could|do|should|shall|would i|we ~ talk|speak|chat|contact|call|reach",
    "@person _ call|ring|phone|contact|reach|email|text|message ~ out? ~ me|us",
    "call|ring me|us? back",
    // A call asked for, not a name given ("call me Dana"): `$` is the end of the message.
    "please|pls|plz call|phone|ring me|us $",
    "call me|us please|pls|plz|asap|urgently",
    "can|could|would|will|may i|we|you|u call|phone|ring me|us|you|u $",
    "give|gimme me|us a call|ring",
    "callback",
    "escalat*",
    "dont|not|no|stop|hate|enough|done|tired ~ talking|talk|chatting|speaking|want|of ~ to|with ~ @machine",
    "no more bot|bots|robot|robots|machine|machines|ai|automated",
    "not|no a|an? bot|bots|robot|robots|machine|computer|ai",
    "help|assistance|support|answer|answers from ~ @strong",
    "deal|dealing ~ with ~ @strong",
    "in touch|contact with ~ @person|customer|client|support|team|service|services|department|helpdesk",
    "talk|talking|speak|speaking|chat|chatting|contact|reach ~ to|with? ~ member|members of ~ staff|team|support",
    "bring|invite ~ @strong in|into|here|on",
    "put ~ human|humans|agent|operator|representative on",
    "hook|set me|us up with ~ @person",
    "get|take me|us out|off ~ of? ~ this? ~ @machine|chat",
    "ask ~ @strong",
    "where|how can|do|could i|we ~ find|reach ~ @strong",
    "can|could|may i|we ~ call|phone|ring ~ someone|somebody|@strong",
    "connect|switch|redirect|forward ~ to|with ~ @person",
    "connect|transfer|forward|redirect|switch|route me|us? ~ to|with ~ customer|client|your ~ service|support|care|services|team|department|helpdesk",
    "talk|talking|speak|speaking|chat|chatting|contact|reach ~ to|with? ~ sales|billing|support",
    "need|want|like someone|somebody ~ talk|speak|chat|help|assist|look|check|review|handle",
    "talk|talking|speak|speaking|chat|contact|reach ~ account|relationship|success manager|rep|representative|executive",
    "need|want ~ support|service|care|sales ~ team|department|staff",
    "skip|exit|quit|bypass ~ @machine",
    "done|finished|fed ~ up? ~ with ~ @machine",
    "phone|ring me|us",
    "talk|talking|speak|speaking|chat|chatting ~ to|with ~ you|u ~ guys|folks|people",
    "conversation|meeting|appointment|call|session with ~ @strong",
    // Asking whether one is there is asking for one ("is there a human?", "any agents around").
    "is|are there ~ human|humans|agent|agents|representative|representatives|operator|operators",
    "give|gimme me ~ customer|client ~ service|support|care",
    // Spanish (accents are folded away: "pásame" is `pasame`). Infinitives and requests only:
    // "hablé con un agente ayer" is a story, not a request.
    "hablar|comunicarme|comunicar|contactar|chatear|conversar con un|una|el|la|algun|alguna|otra|otro? ser? @es",
    "quiero|necesito|quisiera|deseo|pasame|paseme|ponme|pongame|comunicame|comuniqueme|transfiereme|conectame ~ con? un|una|el|la|algun|alguna? ser? @es",
    "persona|agente|atencion|asesor real|humano|humana|humanos",
    "agente|humano|persona|asesor|operador por? favor|porfa",
    "hablar|comunicarme|contactar|pasame|comunicame|conectame|llamar con|a el|la? atencion|servicio al cliente|clientes|usuario",
    "no quiero|deseo ~ hablar|chatear ~ con ~ un|una|el|la? bot|robot|maquina|contestador",
    "con quien puedo|pueda|podria hablar|comunicarme|chatear",
    "llamame|llameme|llamenme $",
    "llamame|llameme|llamenme por|porfa|ya|hoy|mañana|pronto|urgente",
    "me puedes|puede|pueden|podrias|podria llamar|contactar $",
];

const NEGATIVE: &str = lines![
    "are|r|arent|were you|u ~ @person|@machine|real|fake|alive",
    "you|u ~ be|being|sound|seem|look|act ~ like? ~ @person|@machine",
    "act|think|sound|behave|seem|seems|sounds|look|looks|acting|thinking ~ like|as ~ @person",
    "i|im ~ am? ~ not ~ a|an ~ bot|robot|machine|computer|ai",
    "is|are this|it|that|these|thing ~ @person|@machine",
    "am|was i ~ talking|speaking|chatting|texting|messaging|dealing|writing ~ to|with ~ @person|@machine",
    "you|u are|re|r ~ @person|@machine",
    "youre|ur ~ @person|@machine",
    "@person or|vs|and|versus ~ @machine",
    "@machine or|vs|versus ~ @person|@machine",
    "real|fake or|vs|versus ~ @person|@machine|not|fake",
    "no need|reason ~ for|to ~ @person",
    "no need|reason ~ to ~ connect|transfer|put|pass|escalate|talk|speak|chat ~ me|us|this? ~ to|with|through ~ @person",
    "dont|doesnt|not|never|wont|without ~ need|want|require ~ @person",
    "dont|doesnt|not|never|wont|without ~ need|want|require to ~ @person",
    "no @person needed|necessary|required",
    // Declining a transfer (review: each of these connected at once).
    "dont|doesnt|didnt|never ~ want|need|wish|trying|try|like|asking|ask|mean ~ to? ~ be|get? ~ transfer|transferred|transferring|connect|connected|connecting|escalate|escalated|escalating|forward|forwarded|redirect|redirected|pass|passed|hand|handed|patch|switch|route",
    "not ~ want|need|wish|trying|asking|looking ~ to? ~ be|get? ~ transfer|transferred|transferring|connect|connected|connecting|escalate|escalated|escalating|forward|forwarded|redirect|redirected|pass|passed|hand|handed|patch|switch|route",
    "dont|never ~ transfer|transferred|transferring|connect|connected|connecting|escalate|escalated|escalating|forward|forwarded|redirect|redirected|pass|passed|hand|handed|patch|switch|route",
    "do not ~ transfer|transferred|transferring|connect|connected|connecting|escalate|escalated|escalating|forward|forwarded|redirect|redirected|pass|passed|hand|handed|patch|switch|route",
    "no need|reason ~ to ~ transfer|transferred|transferring|connect|connected|connecting|escalate|escalated|escalating|forward|forwarded|redirect|redirected|pass|passed|hand|handed|patch|switch|route",
    // Somebody else's people ("I'll ask my colleague", "I need to talk to my team first").
    "my|our|his|her|their manager|boss|team|colleague|colleagues|coworker|coworkers|developer|developers|engineer|engineers|owner|founder|staff|employee|employees|supervisor|ceo|people",
    // A story about a person ("The representative on the phone was great").
    // Past tense or a time word only: "an agent who can help", "an agent I can talk to" and "an
    // agent from billing" describe the person wanted (review: they were all missed).
    "the|that|your|a|an|one|my ~ last|previous|other|first? ~ representative|representatives|operator|operators|rep|reps|agent|agents ~ said|told|yesterday|earlier|before|was|were|gave|helped|spoke|did|called",
    "@person on the phone|call|line ~ was|were|said|told|gave|helped",
    // Using the product's own routing ("How do I transfer a chat to another agent?").
    "how|way ~ to|do|can|does|would|should ~ i|we|one? ~ transfer|assign|route|forward|reassign|move ~ chat|chats|ticket|tickets|conversation|conversations|call|calls|case|cases|customers|visitors|lead|leads|contacts",
    "i|we am|are|m ~ @person",
    // Not a person: "a human hair wig", "human resources".
    "human|humans hair|resources|rights|error",
    // The customer's own people ("I'll speak to someone in my team first").
    "@person in|at|from|of my|our ~ team|office|company|family|work|side|department",
    "@es de mi|mis|nuestra|nuestro equipo|empresa|oficina|familia|trabajo",
    "im ~ @person",
    "if|whether you|u ~ are|re ~ @person|@machine",
    "money|funds|cash|payment|payments|balance|amount|transfer ~ be|get|being|been|was|were transferred|forwarded",
    "eres|sos tu|vos? un|una? ser? @es|bot|robot|maquina|real",
    "es usted un|una? ser? @es|bot|robot|maquina|real",
    "hablo|hablando|chateo|chateando con ~ un|una? ser? @es|bot|robot|maquina",
    "atiende|atendiendo ~ un|una? ser? @es|bot|robot|maquina",
    "no necesito|quiero ~ un|una? @es",
    "no quiero|deseo|necesito|pedi ~ hablar|chatear|comunicarme con ~ un|una|el|la? ser? @es",
    "no hablar|chatear|comunicarme con ~ un|una|el|la? ser? @es",
    "nunca pedi|quise|quiero ~ hablar|chatear|comunicarme con ~ un|una|el|la? ser? @es",
    "no hace falta ~ un|una? @es",
];

/// Short messages that are nothing but a person-word ("human", "agent!", "real person").
const SHORT: &str = "human humans agent agents representative rep operator person people supervisor manager";
/// A short message made only of these asks for the support team ("customer service",
/// "support team please"); one more word makes it a question about them ("customer service hours").
const SERVICE: &str = "customer client service support care team desk please pls plz now";

fn detect<'a>(ctx: &Ctx<'a>) -> Option<&'a str> {
    if !ctx.is_customer() {
        return None;
    }
    if let Some(evidence) = ctx.phrases(ReasonCode::HumanRequest, POSITIVE, NEGATIVE) {
        return Some(evidence);
    }
    let short = ctx.tokens.len() <= 3 && crate::table::find(ctx.text, "?", 0, false).is_none();
    if short && ctx.phrases(ReasonCode::HumanRequest, "", "").is_none() {
        let asks_what = ctx.any_word("bot robot ai machine computer you are").is_some();
        if let (Some(word), false) = (ctx.any_word(SHORT), asks_what) {
            return Some(word);
        }
        let service = (0..ctx.tokens.len()).all(|i| crate::table::words(SERVICE).any(|w| w == ctx.tokens.word(i)));
        if service && ctx.tokens.len() >= 2 {
            return Some(ctx.text.trim());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::RULE;

    #[test]
    fn requests_and_look_alikes() {
        assert_table(
            &RULE,
            &[
                ("I want to talk to a real person", Some("talk to a real person")),
                ("agent please", Some("agent please")),
                ("can I speak to someone?", Some("speak to someone")),
                ("get me a human", Some("get me a human")),
                ("representative", Some("representative")),
                ("OPERATOR!!", Some("OPERATOR")),
                ("Human.", Some("Human")),
                ("transfer me to an agent now", Some("transfer me to an agent")),
                ("Is there a person I can talk to?", Some("person I can talk")),
                ("have someone call me back", Some("someone call me")),
                ("I don't want to chat with a bot", Some("don't want to chat with a bot")),
                ("are you a bot? I want a human", Some("want a human")),
                ("how do I contact customer service", Some("contact customer service")),
                // Hard negatives.
                ("Are you a bot?", None),
                ("am I talking to a human?", None),
                ("call me Dana", None),
                ("no need for an agent", None),
                ("are you a real person or a robot", None),
                ("prove that you're a person", None),
                ("I want to add a person to my account", None),
                ("Can someone in the US have a card?", None),
                ("transfer money to my friend", None),
                ("human?", None),
                ("can you act and think like a real person", None),
                ("could you be a real person", None),
                ("can you tell me if you are a real live person", None),
                ("i am not a bot, are you", None),
                ("am i speaking with ai or a real, live person", None),
                ("I need customer service", Some("need customer service")),
                ("let me talk to your boss", Some("talk to your boss")),
                ("please transfer me", Some("transfer me")),
                ("I don't need a human, thanks", None),
                ("I need help from a human", Some("help from a human")),
                ("is there a human", Some("is there a human")),
                // Review: requests that describe the person wanted, and a "No," that answers the bot.
                ("I want an agent who can actually help me", Some("want an agent")),
                ("Can I get a representative who speaks Spanish?", Some("representative")),
                ("Is there an agent I can talk to?", Some("agent I can talk")),
                ("I need to speak to an agent from billing", Some("speak to an agent")),
                ("Can I get someone on the phone? This is urgent", Some("get someone")),
                ("No, I want to be transferred", Some("be transferred")),
                ("The agent I spoke to yesterday was rude", None),
                ("the last rep told me to wait", None),
                ("are there any humans", Some("are there any humans")),
                ("give me customer service", Some("give me customer service")),
                ("Customer service!", Some("Customer service!")),
                ("customer support please", Some("customer support please")),
                ("customer service hours", None),
                ("is there a person on my account", None),
                ("support", None),
                ("put me in touch with a person", Some("in touch with a person")),
                ("how can I get in touch with customer support", Some("in touch with customer")),
                ("I'd prefer to deal with a human", Some("deal with a human")),
                ("can i speak to a member of your team", Some("speak to a member of your team")),
                ("bring a human into this chat", Some("bring a human into")),
                ("can i ask a human", Some("ask a human")),
                ("where can I find a human", Some("where can I find a human")),
                ("can I call someone", Some("can I call someone")),
                ("please pass me to a colleague", Some("pass me to a colleague")),
                ("i want to talk to a humen", Some("talk to a humen")),
                ("Can I put another person on my account?", None),
                ("am I dealing with a human?", None),
                ("connect to a human", Some("connect to a human")),
                // Review: declined transfers, other people's staff, stories, the product's routing.
                ("No, I don't want to be transferred", None),
                ("I don't want to be transferred to an agent", None),
                ("Please don't transfer me", None),
                ("Thanks, no need to transfer me", None),
                ("don't connect me to anyone", None),
                ("do not escalate this", None),
                ("I'm not trying to escalate, just asking", None),
                ("I'll talk to my manager and get back to you", None),
                ("I need to talk to my team first", None),
                ("I'll ask my colleague", None),
                ("The representative on the phone was great", None),
                ("The last agent I spoke to was very helpful", None),
                ("How do I transfer a chat to another agent?", None),
                ("I need someone to look at this", Some("need someone to look")),
                ("why won't you transfer me to a person", Some("transfer me to a person")),
                ("I don't mind being transferred", Some("being transferred")),
                ("can I get an agent on the phone", Some("get an agent")),
                ("I want to talk to my account manager", Some("talk to my account manager")),
                ("send this to a human", Some("send this to a human")),
                ("forward me to customer care", Some("forward me to customer care")),
                ("can I speak to sales", Some("speak to sales")),
                ("I need someone to talk to", Some("need someone to talk")),
                ("i need the support team", Some("need the support team")),
                ("can I transfer to another person?", None),
                ("Can you have someone reach out to me?", Some("someone reach out to me")),
                ("skip the bot", Some("skip the bot")),
                ("I'm done with this bot", Some("done with this bot")),
                ("ring me please", Some("ring me")),
                ("can I speak to you guys directly", Some("speak to you guys")),
                ("I want an actual conversation with a person", Some("conversation with a person")),
                ("call me Dana", None),
                ("Can I skip the verification step?", None),
                ("hook me up with a person", Some("hook me up with a person")),
                ("can I put someone on my plan", None),
                ("get me out of this bot", Some("get me out of this bot")),
                ("could a person look into this", Some("person look into this")),
                ("has anyone looked at my application", None),
                ("how do I get out of this page", None),
                ("When can I expect money to be transferred to my account?", None),
                // Spanish, with and without accents.
                ("Quiero hablar con una persona", Some("hablar con una persona")),
                ("¿Puedo hablar con un agente?", Some("hablar con un agente")),
                ("pásame con un asesor por favor", Some("pásame con un asesor")),
                ("Necesito alguien que me ayude", Some("Necesito alguien")),
                ("quiero un humano", Some("quiero un humano")),
                ("¡Persona real, ya!", Some("Persona real")),
                ("comunícame con atención al cliente", Some("comunícame con atención al cliente")),
                ("no quiero hablar con un bot", Some("no quiero hablar con un bot")),
                ("Agente, por favor", Some("Agente, por favor")),
                ("¿Eres un humano?", None),
                ("¿estoy hablando con una persona?", None),
                ("no necesito un agente, gracias", None),
                ("¿Eres real?", None),
                ("quiero cambiar mi contraseña", None),
                // Review: "No," answers the bot; past tense is a story; the bot's nature asked.
                ("No, quiero un agente", Some("quiero un agente")),
                ("no. necesito un agente humano", Some("necesito un agente")),
                ("Hablé con un agente ayer y no me lo solucionó", None),
                ("Mi jefe habla con un asesor financiero cada semana", None),
                ("Hablé con un asesor, quiero hablar con otra persona", Some("hablar con otra persona")),
                ("¿Hablo con una persona real?", None),
                ("¿Me está atendiendo una persona real?", None),
                ("¿Es usted una persona real?", None),
                ("¿Eres tú una persona real?", None),
                ("Lo que quiero es una persona real", Some("persona real")),
                ("Agente porfa", Some("Agente porfa")),
                ("El agente ya me respondió", None),
                ("Quiero hablar con un ser humano", Some("hablar con un ser humano")),
                ("pásame con un ser humano", Some("pásame con un ser humano")),
                ("quiero hablar con el servicio al cliente", Some("hablar con el servicio al cliente")),
                ("quiero hablar con humanos", Some("hablar con humanos")),
                ("pa\u{301}same con un asesor", Some("pa\u{301}same con un asesor")),
                ("No, I need an agent", Some("need an agent")),
                // QA: saying no to a person.
                ("no quiero hablar con una persona", None),
                ("no quiero hablar con un agente, gracias", None),
                ("prefiero no hablar con una persona", None),
                ("nunca pedí hablar con una persona", None),
                ("no need to connect me with an agent", None),
                ("No, quiero hablar con una persona", Some("hablar con una persona")),
                // External phrasings (public intent data and handoff test suites, not the eval's).
                ("please put me through", Some("please put me through")),
                ("Can you put me through?", Some("Can you put me through")),
                ("look what you put me through", None),
                ("you put me through hell", None),
                ("Get me your manager", Some("Get me your manager")),
                ("please call me", Some("please call me")),
                ("please call me Dana", None),
                ("Call me asap", Some("Call me asap")),
                ("Give me a call tomorrow", Some("Give me a call")),
                ("Can I call you?", Some("Can I call you")),
                ("Can I call you Lily?", None),
                ("I am trying to chat with a damn agent", Some("chat with a damn agent")),
                // Review: look-alikes of the external phrasings.
                ("I tried contacting someone at the store", None),
                ("The courier was supposed to call me today but never did", None),
                ("Can you give me manager access to the dashboard?", None),
                ("I was talking to the assistant and it said to restart", None),
                ("I'm trying to talk to somone", Some("talk to somone")),
                ("I want a human hair wig in black", None),
                ("We got help from a human resources firm", None),
                ("I'll speak to someone in my team and get back to you", None),
                ("Llámame por favor", Some("Llámame por")),
                ("Llámame Ana", None),
                ("¿Me puedes llamar?", Some("Me puedes llamar")),
                ("¿Hay alguien con quien pueda hablar?", Some("con quien pueda hablar")),
                ("Quiero hablar con el dueño", Some("hablar con el dueño")),
                ("Voy a hablar con alguien de mi equipo y te digo", None),
            ],
        );
    }
}
