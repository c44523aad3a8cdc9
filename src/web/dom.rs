//! The default UI: a launcher and a chat panel in an open shadow root. All DOM listeners live
//! here and only translate DOM events into the handle's commands (`Shell::command`); all text
//! is inserted as text, never as HTML.

use crate::conversation::{Delivery, Message, Role};
use crate::strings::{fill, Strings};
use crate::widget::HandoffView;
use crate::table::Cat;
use super::Shell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, EventTarget, HtmlElement, HtmlTextAreaElement};

/// The handoff buttons' and forms' `data-action` names, in command order from 4 (`human` is
/// requestHuman, 4; `retry` is retryHandoff, 9). `csat1` to `csat5` are csat (10).
const ACTIONS: [&str; 6] = ["human", "accept", "decline", "email", "callback", "retry"];

/// A `data-action` as its command and number; None for one the widget does not know.
fn action(name: &str) -> Option<(u8, u32)> {
    if let Some(i) = ACTIONS.iter().position(|a| *a == name) {
        return Some((i as u8 + 4, 0));
    }
    let score = crate::protocol::digits(name.strip_prefix("csat")?.as_bytes()).and_then(|n| u8::try_from(n).ok())?;
    Some((10, u32::from(score)))
}

/// The panel chrome the shell draws after each batch of effects.
pub struct Chrome {
    pub open: bool,
    pub unread: u32,
    pub typing: bool,
    pub notice: Option<String>,
    pub handoff: HandoffView,
    /// "Updated 3:15 PM", formatted by the shell in the customer's locale.
    pub updated: Option<String>,
}

/// An event listener that is removed when dropped (gloo-events style).
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    pub fn new(target: &EventTarget, kind: &'static str, f: impl FnMut(web_sys::Event) + 'static) -> Result<Listener, JsValue> {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())?;
        Ok(Listener { target: target.clone(), kind, closure })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(self.kind, self.closure.as_ref().unchecked_ref());
    }
}

#[wasm_bindgen]
extern "C" {
    /// `date.toLocaleTimeString(lang, options)`, with its RangeError caught.
    #[wasm_bindgen(catch, js_namespace = ["Date", "prototype", "toLocaleTimeString"], js_name = call)]
    fn locale_time(date: &js_sys::Date, lang: &str, options: &JsValue) -> Result<String, JsValue>;

    /// Any event, seen through a key event's properties: one `key` getter serves this handler
    /// and the storage events (`StorageEvent.key`), and an event that is not a key event reads
    /// as no key, so it needs no `instanceof KeyboardEvent` check.
    pub(super) type KeyFields;
    #[wasm_bindgen(method, getter)]
    pub(super) fn key(this: &KeyFields) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = shiftKey)]
    fn shift_key(this: &KeyFields) -> bool;
    #[wasm_bindgen(method, getter, js_name = isComposing)]
    fn is_composing(this: &KeyFields) -> bool;

    /// The textbox or a handoff form's input, for its `value`: one getter for both.
    type Field;
    #[wasm_bindgen(method, getter)]
    fn value(this: &Field) -> String;
}

pub struct Ui {
    host: Element,
    root: web_sys::ShadowRoot,
    launcher: HtmlElement,
    /// The unread count on the launcher (hidden from screen readers: the launcher's name and
    /// `announce` say it in words).
    badge: Element,
    /// A polite live region outside the panel, for what arrives while it is closed.
    announce: Element,
    unread: u32,
    panel: Element,
    log: Element,
    typing: Element,
    notice: Element,
    human: Element,
    status: Element,
    updated: Element,
    actions: Element,
    /// What the actions area currently shows; it is rebuilt only when this changes, so focus
    /// and typed text survive unrelated renders.
    actions_key: String,
    input: HtmlTextAreaElement,
    messages: Vec<Element>,
    strings: Strings,
    open: bool,
    /// Move focus on the next open/close (only when the customer caused it, not on page load).
    move_focus: bool,
    listeners: Vec<Listener>,
}

#[inline(never)]
fn el(doc: &Document, tag: &str, attrs: &[(&str, &str)]) -> Result<Element, JsValue> {
    let e = doc.create_element(tag)?;
    for (k, v) in attrs {
        e.set_attribute(k, v)?;
    }
    Ok(e)
}

#[inline(never)]
fn text_el(doc: &Document, tag: &str, attrs: &[(&str, &str)], text: &str) -> Result<Element, JsValue> {
    let e = el(doc, tag, attrs)?;
    e.set_text_content(Some(text));
    Ok(e)
}

impl Ui {
    pub fn mount(strings: &Strings, stylesheet: Option<&str>, shell: Weak<Shell>) -> Result<Ui, JsValue> {
        let window = super::window().ok_or("no window")?;
        let doc = window.document().ok_or("no document")?;
        let body = doc.body().ok_or("no document body")?;
        let host = el(&doc, "div", &[("data-baton", "")])?;
        // `{mode: "open"}` through `JSON.parse`, already imported for `time`: web-sys's
        // `ShadowRootInit` would add its mode setter and the mode names to the glue.
        let init = js_sys::JSON::parse(r#"{"mode":"open"}"#)?;
        let root = host.attach_shadow(init.unchecked_ref())?;
        // The shadow root takes `innerHTML`, `querySelector` and `querySelectorAll` as an element
        // does: called through the element bindings the rest of the UI uses, they need no
        // imports of their own.
        let tree: &Element = root.unchecked_ref();
        // Our own constant markup; every configurable label is filled in as text below.
        tree.set_inner_html(TEMPLATE);
        label(tree.query_selector_all(LABELLED)?, strings)?;
        if let Some(href) = stylesheet {
            root.prepend_with_node_1(&*el(&doc, "link", &[("rel", "stylesheet"), ("href", href)])?)?;
        }
        // The template's parts, found in one loop: one failure point (which the constant markup
        // never reaches) instead of one per part, each dropping the parts found before it. The
        // launcher is a `<button>` and the textbox a `<textarea>` in that markup, so their types
        // need no check.
        let mut parts = Vec::new();
        for selector in crate::table::words(PARTS) {
            parts.push(tree.query_selector(selector)?.ok_or_else(|| JsValue::from_str(selector))?);
        }
        let Ok([launcher, badge, announce, panel, log, typing, notice, human, status, updated, actions, input]) = <[Element; 12]>::try_from(parts) else {
            return Err(JsValue::from_str(PARTS));
        };
        let mut ui = Ui {
            launcher: launcher.unchecked_into(),
            badge,
            announce,
            unread: 0,
            panel,
            log,
            typing,
            notice,
            human,
            status,
            updated,
            actions,
            actions_key: String::new(),
            input: input.unchecked_into(),
            messages: Vec::new(),
            strings: strings.clone(),
            open: false,
            move_focus: false,
            listeners: Vec::new(),
            host,
            root: root.clone(),
        };
        ui.listen(&root, shell)?;
        body.append_child(&ui.host)?;
        Ok(ui)
    }

    /// Wires every DOM event the default UI handles: one delegated handler on the shadow root
    /// for clicks, submits and keys (one closure in the wasm, not one per control), which
    /// looks at what was hit.
    ///
    /// What the customer does goes to the shell as the handle's commands (`Shell::command`), the
    /// way the host page's calls go: no enum and mapping of the UI's own in the wasm. The shell
    /// is called directly, not through a `dyn Fn`: a call through the function table with a new
    /// signature keeps unrelated js-sys closure shims alive (+480 bytes measured).
    fn listen(&mut self, root: &EventTarget, shell: Weak<Shell>) -> Result<(), JsValue> {
        // Constant arrays are walked by reference here and elsewhere: walked by value, each
        // element type is an array `IntoIter` of its own in the wasm.
        for &kind in &["click", "submit", "keydown"] {
            let (weak, panel, input) = (shell.clone(), self.panel.clone(), self.input.clone());
            self.add(root, kind, move |e| {
                if let Some(shell) = weak.upgrade() {
                    handle(&e, &shell, &panel, &input);
                }
            })?;
        }
        Ok(())
    }

    fn add(&mut self, target: &EventTarget, kind: &'static str, f: impl FnMut(web_sys::Event) + 'static) -> Result<(), JsValue> {
        self.listeners.push(Listener::new(target, kind, f)?);
        Ok(())
    }

    /// Text given to `send()` that is too long: put in the textbox to shorten, as if typed.
    pub fn keep_draft(&self, text: &str) {
        self.input.set_value(text);
    }

    /// The customer opened or closed the panel themselves: focus follows.
    pub fn focus_on_next_toggle(&mut self) {
        self.move_focus = true;
    }

    /// Whether the log shows its newest line (give or take a line): only then does new
    /// content keep it there, so a customer reading back is not pulled down by a queue update.
    fn at_bottom(&self) -> bool {
        self.log.scroll_height() - self.log.scroll_top() - self.log.client_height() < 40
    }

    fn to_bottom(&self) {
        self.log.set_scroll_top(self.log.scroll_height());
    }

    pub fn render(&mut self, chrome: &Chrome) {
        let focused = self.root.active_element();
        let stick = self.at_bottom();
        if chrome.open != self.open {
            self.open = chrome.open;
            let _ = self.panel.toggle_attribute_with_force("hidden", !chrome.open);
            let _ = self.launcher.set_attribute("aria-expanded", if chrome.open { "true" } else { "false" });
            if self.move_focus {
                let _ = if chrome.open { self.input.focus() } else { self.launcher.focus() };
            }
            if chrome.open {
                self.to_bottom();
            }
            // Spent only on the toggle it was meant for, not on an unrelated render first.
            self.move_focus = false;
        }
        if chrome.unread != self.unread {
            self.unread = chrome.unread;
            let n = crate::json::int_text(i64::from(chrome.unread));
            let name = match chrome.unread {
                0 => self.strings.launcher().to_owned(),
                _ => fill(self.strings.launcher_unread(), &[("n", &n)]),
            };
            let _ = self.launcher.set_attribute("aria-label", &name);
            show_text(&self.badge, (chrome.unread > 0).then_some(if chrome.unread > 9 { "9+" } else { &n }));
            // Said once as the count grows; emptied (silently) once read.
            self.announce.set_text_content(Some(if chrome.unread > 0 { &name } else { "" }));
        }
        let _ = self.typing.toggle_attribute_with_force("hidden", !chrome.typing);
        show_text(&self.notice, chrome.notice.as_deref());
        let h = &chrome.handoff;
        let _ = self.human.toggle_attribute_with_force("hidden", !h.can_request_human);
        show_text(&self.status, h.status_text.as_deref());
        show_text(&self.updated, chrome.updated.as_deref());
        let _ = self.render_actions(h);
        // The action bar can take room from the log: keep the newest line in view, if it was.
        if stick {
            self.to_bottom();
        }
        self.keep_focus(focused);
    }

    /// A keyboard user whose focused control was just hidden or replaced (the "Speak to a
    /// human" button, an offer's buttons, a Resend) would be dropped to the top of the page:
    /// focus moves to the first new action, else the textbox, or the launcher once closed.
    fn keep_focus(&self, focused: Option<Element>) {
        let Some(was) = focused else { return };
        if was.is_connected() && was.closest("[hidden]").ok().flatten().is_none() {
            return;
        }
        let next = match self.open {
            // Buttons and inputs are HTML elements: focusable without a check.
            true => self.actions.query_selector("button,input").ok().flatten().map(JsCast::unchecked_into),
            false => Some(self.launcher.clone()),
        };
        let _ = next.unwrap_or_else(|| self.input.clone().into()).focus();
    }

    /// The buttons and forms for the current handoff step.
    fn render_actions(&mut self, h: &HandoffView) -> Result<(), JsValue> {
        let contact = h.asks_contact();
        let csat = h.can_rate;
        let key = [h.stage, "|", h.offer.unwrap_or(""), if contact { "|c" } else { "|" }, if csat { "|s" } else { "|" }].cat();
        if key != self.actions_key {
            self.actions_key = key;
            self.draw_actions(h, contact, csat)?;
        }
        // The email known from identify() fills the form, also one shown before it was known.
        // Only the attribute (the default): what the customer typed stays.
        if let (Some(email), Some(input)) = (&h.email, self.actions.query_selector("[type=email]")?) {
            if input.get_attribute("value").as_ref() != Some(email) {
                input.set_attribute("value", email)?;
            }
        }
        Ok(())
    }

    fn draw_actions(&self, h: &HandoffView, contact: bool, csat: bool) -> Result<(), JsValue> {
        let contact_forms = "<form class=contact data-action=email novalidate><input type=email required data-a=\"aria-label:email_label placeholder:email_label\"><button type=submit data-l=email_me></button></form><form class=contact data-action=callback novalidate><input type=tel required data-a=\"aria-label:phone_label placeholder:phone_label\"><button type=submit data-l=call_me></button></form>";
        let mut html = String::from(match (h.stage, h.offer) {
            ("offered", Some("choice")) => "<button type=button data-action=decline data-l=help_me_here></button><button type=button data-action=accept data-l=connect></button>",
            ("offered", _) => "<button type=button data-action=accept data-l=connect></button><button type=button data-action=decline data-l=keep_chatting></button>",
            ("stuck", _) => "<button type=button data-action=retry data-l=retry></button>",
            _ => "",
        });
        if contact {
            if h.stage == "queued" {
                html.push_str("<p class=hint data-l=long_wait></p>");
            }
            html.push_str(contact_forms);
            if h.stage == "offline" {
                html.push_str("<button type=button data-action=decline data-l=keep_chatting></button>");
            }
        }
        if csat {
            html.push_str("<div class=csat role=group data-a=aria-label:csat_question>");
            for n in &["1", "2", "3", "4", "5"] {
                html.push_str("<button type=button data-a=aria-label:csat_score data-action=csat");
                html.push_str(n);
                html.push('>');
                html.push_str(n);
                html.push_str("</button>");
            }
            html.push_str("</div>");
        }
        // Constant markup chosen by stage (no untrusted text); labels are filled as text.
        self.actions.set_inner_html(&html);
        label(self.actions.query_selector_all(LABELLED)?, &self.strings)
    }

    /// Draws one message: appended when new, redrawn in place when it changed.
    pub fn show_message(&mut self, message: &Message) -> Result<(), JsValue> {
        let doc = super::window().and_then(|w| w.document()).ok_or("no document")?;
        let node = message_node(&doc, message, &self.strings)?;
        let index = message.id as usize;
        if let Some(old) = self.messages.get_mut(index) {
            let focused = self.root.active_element();
            old.replace_with_with_node_1(&node)?;
            *old = node;
            self.keep_focus(focused);
        } else {
            // Followed when the customer was at the end, or wrote it.
            let stick = self.at_bottom() || message.role == Role::Customer;
            self.log.append_child(&node)?;
            self.messages.push(node);
            if stick {
                self.to_bottom();
            }
        }
        Ok(())
    }

    /// A wall-clock time (ms since the epoch) as the widget's language writes it: the host's
    /// `lang`, which the loader sets to the language of the strings (the browser's own language
    /// can differ: a Spanish site read in an English browser says "14:05", not "2:05 PM"). A
    /// tag the browser rejects (`es_MX`, or none) throws a RangeError, and English is used.
    /// Hours and minutes only: seconds are noise on a line refreshed every two minutes (QA:
    /// "Updated 6:58:17 PM").
    pub fn time(&self, at_ms: i64) -> String {
        let date = js_sys::Date::new(&JsValue::from_f64(at_ms as f64));
        let lang = self.host.get_attribute("lang").unwrap_or_default();
        let options = js_sys::JSON::parse(r#"{"hour":"numeric","minute":"2-digit"}"#).unwrap_or(JsValue::UNDEFINED);
        locale_time(&date, &lang, &options).or_else(|_| locale_time(&date, "en", &options)).unwrap_or_default()
    }

    /// Removes the widget from the page; listeners go with `self`.
    pub fn remove(self) {
        self.host.remove();
    }
}

fn show_text(e: &Element, text: Option<&str>) {
    if e.text_content().as_deref() != Some(text.unwrap_or("")) {
        e.set_text_content(text);
    }
    let _ = e.toggle_attribute_with_force("hidden", text.is_none());
}

/// Fills labels named in markup: `data-l=key` sets the text, `data-a="attr:key …"` sets
/// attributes, always from the configured strings and always as text. A `{n}` in a string takes
/// the element's own text (rating buttons).
fn label(nodes: web_sys::NodeList, strings: &Strings) -> Result<(), JsValue> {
    // Walked as an array, with the length and index getters `environment` already imports (a
    // node list's own are the same properties, imported again); a selector finds only elements.
    for node in js_sys::Array::from(&nodes).iter() {
        let e: Element = node.unchecked_into();
        let own = e.text_content().unwrap_or_default();
        if let Some(key) = e.get_attribute("data-l") {
            e.set_text_content(Some(strings.by_key(&key)));
        }
        for pair in crate::table::split(&e.get_attribute("data-a").unwrap_or_default(), " ") {
            if let Some((attr, key)) = crate::table::split_once(pair, ":") {
                e.set_attribute(attr, &fill(strings.by_key(key), &[("n", &own)]))?;
            }
        }
    }
    Ok(())
}

/// The template's parts the UI keeps, in the order `Ui::mount` takes them.
const PARTS: &str = ".launcher .badge .announce .panel .log .typing .notice .human .status .updated .actions textarea";

/// Elements whose text or attributes come from the strings.
const LABELLED: &str = "[data-l],[data-a]";

/// The default UI's static markup.
const TEMPLATE: &str = concat!(
    "<button type=button class=launcher part=launcher aria-expanded=false aria-controls=baton-panel data-a=aria-label:launcher>",
    "<span class=badge part=badge aria-hidden=true hidden></span></button><p class=announce role=status></p>",
    "<section id=baton-panel class=panel part=panel role=dialog aria-labelledby=baton-title hidden>",
    "<div class=header part=header><h2 id=baton-title class=title part=title data-l=title></h2>",
    "<button type=button class=close part=close data-a=aria-label:close>\u{d7}</button></div>",
    "<div class=bar part=bar><button type=button class=human part=human data-action=human data-l=human></button>",
    "<p class=status part=status role=status aria-live=polite hidden></p><p class=updated part=updated hidden></p></div>",
    "<div class=log part=log role=log tabindex=0 data-a=aria-label:title><p class=greeting part=greeting data-l=greeting></p></div>",
    "<p class=typing part=typing role=status hidden data-l=typing></p>",
    "<p class=notice part=notice role=alert hidden></p>",
    "<div class=actions part=actions></div>",
    "<form class=composer part=composer><textarea class=input part=input rows=2 dir=auto ",
    "data-a=\"aria-label:message_label placeholder:placeholder\"></textarea>",
    "<button type=submit class=send part=send data-l=send></button></form></section>",
);

/// One DOM event inside the widget, from the shadow root's listener (inside the shadow tree
/// `target` is the element itself, not the host).
fn handle(e: &web_sys::Event, shell: &Rc<Shell>, panel: &Element, input: &HtmlTextAreaElement) {
    let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    let closest = |selector: &str| target.closest(selector).ok().flatten();
    match e.type_().as_str() {
        "keydown" => {
            let key = e.unchecked_ref::<KeyFields>();
            let key_name = key.key().unwrap_or_default();
            if key_name == "Escape" && closest(".panel").is_some() {
                e.prevent_default();
                shell.command(1, String::new(), 0);
            } else if key_name == "Enter" && !key.shift_key() && !key.is_composing() && closest("textarea").is_some() {
                // In the textbox (which holds no elements, so `closest` finds only itself).
                e.prevent_default();
                submit(input, shell);
            }
        }
        "submit" => {
            e.prevent_default();
            match target.get_attribute("data-action") {
                // A handoff form (email, callback): its one input is the value.
                Some(name) => {
                    let value = target
                        .query_selector("input")
                        .ok()
                        .flatten()
                        .map(|i| i.unchecked_ref::<Field>().value())
                        .unwrap_or_default();
                    // Empty too: the core's notice says what is missing (the form is
                    // `novalidate`, so the browser's own bubble does not).
                    if let Some((kind, n)) = action(&name) {
                        shell.command(kind, value.trim().to_owned(), n);
                    }
                }
                None => submit(input, shell),
            }
        }
        _ => {
            if closest(".launcher").is_some() {
                // Open (0) when hidden, else close (1).
                shell.command(u8::from(panel.get_attribute("hidden").is_none()), String::new(), 0);
            } else if closest(".close").is_some() {
                shell.command(1, String::new(), 0);
            } else if let Some(button) = closest("button[data-action]") {
                // Handoff buttons: `data-action` names what to do (forms submit instead).
                let name = button.get_attribute("data-action").filter(|a| a != "email" && a != "callback");
                if let Some((kind, n)) = name.as_deref().and_then(action) {
                    shell.command(kind, String::new(), n);
                }
            } else if let Some(resend) = closest("[data-resend]") {
                let id = resend.get_attribute("data-resend").and_then(|v| crate::protocol::digits(v.as_bytes()));
                if let Some(id) = id.and_then(|n| u32::try_from(n).ok()) {
                    shell.command(3, String::new(), id);
                }
            }
        }
    }
}

fn submit(input: &HtmlTextAreaElement, shell: &Rc<Shell>) {
    let text = input.unchecked_ref::<Field>().value();
    if text.trim().is_empty() {
        return;
    }
    // Too long: the core refuses it and says so; the customer keeps the text to shorten.
    if !crate::conversation::too_long(&text) {
        input.set_value("");
    }
    shell.command(2, text, 0);
}

fn message_node(doc: &Document, m: &Message, s: &Strings) -> Result<Element, JsValue> {
    let role = m.role.as_str();
    let who = match m.role {
        Role::Customer => s.you(),
        Role::Ai => s.assistant(),
        Role::Agent => m.author.as_deref().unwrap_or(s.agent()),
        Role::System => "",
    };
    let part = ["message message-", role].cat();
    let id = crate::json::int_text(i64::from(m.id));
    let node = el(doc, "div", &[("class", "msg"), ("data-role", role), ("data-id", &id), ("part", &part)])?;
    if !who.is_empty() {
        node.append_child(&*text_el(doc, "span", &[("class", "who")], who)?)?;
    }
    // What someone wrote runs in its own direction (Arabic, Hebrew); the widget's own lines
    // ("رنا joined") in the widget's: an empty `dir` is no direction, so it is inherited.
    let dir = if m.role == Role::System { "" } else { "auto" };
    node.append_child(&*text_el(doc, "p", &[("class", "text"), ("part", "text"), ("dir", dir)], &m.text)?)?;
    match m.delivery {
        Delivery::Failed => {
            // "Not sent " with its space in one text node: no `createTextNode` import for it.
            let line = text_el(doc, "p", &[("class", "failed")], &[s.not_sent(), " "].cat())?;
            line.append_child(&*text_el(doc, "button", &[("type", "button"), ("class", "resend"), ("data-resend", &id)], s.resend())?)?;
            node.append_child(&line)?;
        }
        Delivery::Queued | Delivery::Sending => node.set_attribute("aria-busy", "true")?,
        Delivery::Sent => {}
    }
    Ok(node)
}
