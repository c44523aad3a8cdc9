//! Spanish, the second built-in language, and how the `locale` option picks the built-in
//! strings that the site's `strings` overrides then replace key by key. Kept apart from
//! `strings.rs` so a translation is a table, not a change to the string list.

use crate::strings::Strings;
use serde::{Deserialize, Deserializer};

/// The table's texts in key order (what the wasm keeps), and its keys (for the tests only).
macro_rules! translation {
    ($(($key:literal, $text:literal),)*) => {
        /// Spanish for every key of [`Strings`], in key order, each ended by U+001F.
        const SPANISH: &str = concat!($($text, "\u{1f}",)*);
        #[cfg(test)]
        const SPANISH_KEYS: &[&str] = &[$($key),*];
    };
}

// Spanish for every key of [`Strings`] (snake_case field names), in the order of
// `strings.rs`: a test fails when a key is missing or out of place, so new strings get
// translated. Only the texts reach the wasm: it takes them by position.
translation! {
        ("launcher", "Chat de ayuda"),
        ("launcher_unread", "Chat de ayuda: {n} sin leer"),
        ("title", "Ayuda"),
        ("close", "Cerrar el chat"),
        ("message_label", "Mensaje"),
        ("placeholder", "Escribe tu mensaje…"),
        ("send", "Enviar"),
        ("greeting", "¡Hola! Soy el asistente de ayuda. Pregúntame lo que quieras; si lo prefieres, te paso con una persona en cualquier momento."),
        ("typing", "El asistente está escribiendo…"),
        ("you", "Tú"),
        ("assistant", "Asistente"),
        ("agent", "Agente"),
        ("not_sent", "No enviado."),
        ("resend", "Reenviar"),
        ("too_long", "Ese mensaje es demasiado largo. Escribe como mucho {max} caracteres."),
        ("bot_unavailable", "No se pudo contactar con el asistente. Tu mensaje se ha guardado y puedes reenviarlo."),
        ("bad_contact", "Eso no parece un correo ni un teléfono. Revísalo, por favor."),
        ("human", "Hablar con una persona"),
        ("connect", "Conéctame"),
        ("keep_chatting", "Seguir con el asistente"),
        ("help_me_here", "Ayúdame aquí"),
        ("carry_on", "De acuerdo, seguimos por aquí. Puedes pedir hablar con una persona cuando quieras."),
        ("offer", "{why} Una persona de nuestro equipo puede continuar. {wait} ¿Quieres que te conecte?"),
        ("choice", "Puedo ayudarte con esto directamente: suele llevar solo un par de minutos. ¿Prefieres que te guíe o hablar con nuestro equipo? {wait}"),
        ("wait_known", "La espera ahora es de {minutes}."),
        ("wait_unknown", "No he podido consultar la espera actual."),
        ("connecting", "Te conecto ahora con una persona. {why} {wait} Puedes seguir escribiendo aquí: verán toda la conversación, así que no tendrás que repetir nada."),
        ("queued", "Estás en la cola. Tu número de caso es {case}."),
        ("emailed", "Hemos enviado un resumen a {email}."),
        ("queue_status", "Eres el n.º {position} en la cola · {minutes}"),
        ("waiting", "Esperando a un agente…"),
        ("updated", "Actualizado {time}"),
        ("minutes_none", "menos de un minuto"),
        ("minutes_one", "un minuto aproximadamente"),
        ("minutes_many", "unos {n} minutos"),
        ("minutes_short", "unos {n} min"),
        ("offline", "Nuestro equipo no está disponible ahora.{reopen} Déjanos tu correo y te responderemos, o pide que te llamemos."),
        ("reopen", " Volvemos a las {time}."),
        ("long_wait", "La espera es larga. Puedes dejar tu correo o pedir que te llamemos, y conservas tu lugar en la cola."),
        ("email_label", "Tu correo"),
        ("phone_label", "Tu teléfono"),
        ("email_me", "Recibir un correo"),
        ("call_me", "Pedir una llamada"),
        ("left_email", "¡Gracias! Te responderemos en {contact}. Tu número de caso es {case}; lo que escribas aquí se añade a él."),
        ("left_callback", "¡Gracias! Te llamaremos al {contact}. Tu número de caso es {case}; lo que escribas aquí se añade a él."),
        ("contact_instead_email", "Por favor, respóndanme por correo a {contact} en lugar de aquí."),
        ("contact_instead_phone", "Por favor, llámenme al {contact}."),
        ("stuck", "No hemos podido pasar tu solicitud a nuestro equipo ({detail}). Está guardada, con toda la conversación."),
        ("failed_network", "sin conexión"),
        ("failed_timeout", "sin respuesta a tiempo"),
        ("failed_status", "error {status}"),
        ("failed_reply", "una respuesta inesperada"),
        ("retry", "Reintentar"),
        ("shared", "Si aceptas, nuestro equipo verá {items}."),
        ("shared_conversation", "esta conversación"),
        ("shared_identity", "tus datos de contacto"),
        ("shared_account", "los datos de tu cuenta"),
        ("shared_page", "la página en la que estás y tu navegador"),
        ("resolved", "La conversación con nuestro equipo ha terminado."),
        ("agent_joined", "{agent} se ha unido a la conversación"),
        ("csat_question", "¿Qué tal te ha atendido nuestro equipo? 1 es malo, 5 es excelente."),
        ("csat_thanks", "¡Gracias por tu opinión!"),
        ("told_urgent", "He avisado al equipo de que es urgente."),
        ("csat_score", "{n} de 5"),
        ("why_request", "Como pediste, te paso con nuestro equipo."),
        ("why_emotion", "Siento mucho que esto esté siendo tan frustrante."),
        ("why_security", "La seguridad de tu cuenta necesita la atención de una persona ya."),
        ("why_money", "Los reembolsos y cargos de este importe los gestiona nuestro equipo."),
        ("why_policy", "Las excepciones necesitan la aprobación de una persona."),
        ("why_vip", "Como cliente prioritario, puedes hablar directamente con nuestro equipo."),
        ("why_legal", "Las solicitudes legales y de privacidad las gestiona nuestro equipo."),
        ("why_low_confidence", "No estoy seguro de haber entendido tu problema."),
        ("why_repeated", "Parece que no estoy respondiendo a tu pregunta."),
        ("why_failed", "Los pasos que te sugerí no lo han resuelto."),
        ("why_consider", "Esto puede necesitar el criterio de una persona."),
        ("answers_yes", "sí|si|sí por favor|si por favor|vale|claro|de acuerdo|conéctame|conectame|s"),
        ("answers_no", "no|no gracias|ahora no|no hace falta|n"),
        ("closed", "Nuestro equipo ha cerrado esta solicitud. Si aún necesitas ayuda, escribe aquí."),
}

/// Whether a locale tag asks for Spanish: `es`, `es-MX`, `es_419`, any case.
pub fn is_spanish(locale: &str) -> bool {
    // Bytes, not `split`: the pattern machinery costs more wasm than this whole check.
    match locale.as_bytes() {
        [e, s, rest @ ..] => e | 0x20 == b'e' && s | 0x20 == b's' && matches!(rest.first(), None | Some(b'-' | b'_')),
        _ => false,
    }
}

/// The widget's strings: the built-in language for `locale` (Spanish for `es*`, English
/// otherwise), then the site's overrides on top, so an override wins in every language.
pub fn localized(locale: Option<&str>, overrides: Option<Overrides>) -> Strings {
    let mut strings = if locale.is_some_and(is_spanish) { Strings::table(SPANISH) } else { Strings::default() };
    for (key, text) in overrides.map(|o| o.0).unwrap_or_default() {
        strings.set(&key, text);
    }
    strings
}

/// The `strings` option as the site gave it: `(key, text)` pairs, keys already checked.
/// Kept as pairs (not a full [`Strings`]) so they can be laid over any language.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Overrides {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OverridesVisitor)
    }
}

struct OverridesVisitor;

impl<'de> serde::de::Visitor<'de> for OverridesVisitor {
    type Value = Overrides;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object of strings")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Overrides, A::Error> {
        let mut probe = Strings::default();
        let mut pairs = Vec::new();
        while let Some((key, text)) = map.next_entry::<String, String>()? {
            if !probe.set(&key, String::new()) {
                // snake_case keys are accepted too, and listing them needs no conversion code.
                return Err(serde::de::Error::custom(format_args!(
                    "unknown string `{key}`, expected one of: {}",
                    crate::strings::string_key_list()
                )));
            }
            pairs.push((key, text));
        }
        Ok(Overrides(pairs))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // serde_json is a native-only dev-dependency
mod tests {
    use super::{is_spanish, localized, Overrides, SPANISH_KEYS};
    use crate::strings::{string_keys, Strings};

    #[test]
    fn the_spanish_table_has_every_key_of_the_widget_in_its_order() {
        let keys: Vec<&str> = string_keys().collect();
        let missing: Vec<_> = keys.iter().filter(|k| !SPANISH_KEYS.contains(k)).collect();
        assert!(missing.is_empty(), "add these to strings_es.rs: {missing:?}");
        let unknown: Vec<_> = SPANISH_KEYS.iter().filter(|k| !keys.contains(k)).collect();
        assert!(unknown.is_empty(), "Spanish keys that Strings does not have: {unknown:?}");
        let out_of_place = keys.iter().zip(SPANISH_KEYS).find(|(a, b)| a != b);
        assert_eq!(out_of_place, None, "strings_es.rs must follow the order of strings.rs");
        let es = localized(Some("es"), None);
        assert_eq!((es.send(), es.why_consider()), ("Enviar", "Esto puede necesitar el criterio de una persona."));
    }

    #[test]
    fn placeholders_survive_translation() {
        let es = localized(Some("es"), None);
        assert!(es.too_long().contains("{max}"), "{}", es.too_long());
    }

    #[test]
    fn locale_tags_pick_spanish_only_for_es() {
        for tag in ["es", "ES", "es-MX", "es_419", "es-ES"] {
            assert!(is_spanish(tag), "{tag}");
        }
        for tag in ["", "e", "en", "en-US", "est", "fr-ES", "pt-BR"] {
            assert!(!is_spanish(tag), "{tag}");
        }
    }

    #[test]
    fn overrides_win_over_the_built_in_language_and_others_stay_translated() {
        let overrides: Overrides = serde_json::from_str(r#"{"send": "Mandar", "message_label": "Tu mensaje"}"#).unwrap();
        let s = localized(Some("es-MX"), Some(overrides));
        assert_eq!((s.send(), s.message_label()), ("Mandar", "Tu mensaje"));
        assert_eq!(s.title(), "Ayuda");
        let en = localized(Some("fr"), None);
        assert_eq!(en, Strings::default(), "languages without a translation fall back to English");
    }

    #[test]
    fn an_unknown_override_key_is_named_with_the_known_keys() {
        let err = serde_json::from_str::<Overrides>(r#"{"sned": "x"}"#).unwrap_err().to_string();
        assert!(err.contains("`sned`") && err.contains("message_label") && err.contains("bot_unavailable"), "{err}");
    }
}
