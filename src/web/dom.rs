//! The default UI: a launcher and a chat panel in an open shadow root. All DOM listeners live
//! here and only translate DOM events into [`UiEvent`]s; all text is inserted as text, never
//! as HTML.

use crate::conversation::{Delivery, Message, Role};
use crate::strings::Strings;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, EventTarget, HtmlElement, HtmlTextAreaElement};

/// What the customer did in the default UI.
pub enum UiEvent {
    SetOpen(bool),
    Submit(String),
    Resend(u32),
}

/// The panel chrome the shell draws after each batch of effects.
pub struct Chrome {
    pub open: bool,
    pub typing: bool,
    pub notice: Option<String>,
}

/// An event listener that is removed when dropped (gloo-events style).
struct Listener {
    target: EventTarget,
    kind: &'static str,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(self.kind, self.closure.as_ref().unchecked_ref());
    }
}

pub struct Ui {
    host: Element,
    launcher: HtmlElement,
    panel: Element,
    log: Element,
    typing: Element,
    notice: Element,
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
    pub fn mount(strings: &Strings, stylesheet: Option<&str>, on: Rc<dyn Fn(UiEvent)>) -> Result<Ui, JsValue> {
        let window = web_sys::window().ok_or("no window")?;
        let doc = window.document().ok_or("no document")?;
        let body = doc.body().ok_or("no document body")?;
        let host = el(&doc, "div", &[("data-baton", "")])?;
        let root = host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?;
        if let Some(href) = stylesheet {
            root.append_child(&*el(&doc, "link", &[("rel", "stylesheet"), ("href", href)])?)?;
        }
        let s = strings;
        let launcher = text_el(
            &doc,
            "button",
            &[
                ("type", "button"),
                ("class", "launcher"),
                ("part", "launcher"),
                ("aria-label", &s.launcher),
                ("aria-expanded", "false"),
                ("aria-controls", "baton-panel"),
            ],
            "💬",
        )?;
        let panel = el(
            &doc,
            "section",
            &[("id", "baton-panel"), ("class", "panel"), ("part", "panel"), ("role", "dialog"), ("aria-labelledby", "baton-title"), ("hidden", "")],
        )?;
        let header = el(&doc, "div", &[("class", "header"), ("part", "header")])?;
        header.append_child(&*text_el(&doc, "h2", &[("id", "baton-title"), ("class", "title"), ("part", "title")], &s.title)?)?;
        let close = text_el(
            &doc,
            "button",
            &[("type", "button"), ("class", "close"), ("part", "close"), ("aria-label", &s.close)],
            "×",
        )?;
        header.append_child(&close)?;
        panel.append_child(&header)?;
        let log = el(&doc, "div", &[("class", "log"), ("part", "log"), ("role", "log"), ("aria-label", &s.title), ("tabindex", "0")])?;
        log.append_child(&*text_el(&doc, "p", &[("class", "greeting"), ("part", "greeting")], &s.greeting)?)?;
        panel.append_child(&log)?;
        let typing = text_el(&doc, "p", &[("class", "typing"), ("part", "typing"), ("role", "status"), ("hidden", "")], &s.typing)?;
        panel.append_child(&typing)?;
        let notice = el(&doc, "p", &[("class", "notice"), ("part", "notice"), ("role", "alert"), ("hidden", "")])?;
        panel.append_child(&notice)?;
        let form = el(&doc, "form", &[("class", "composer"), ("part", "composer")])?;
        let input: HtmlTextAreaElement = el(
            &doc,
            "textarea",
            &[("class", "input"), ("part", "input"), ("aria-label", &s.message_label), ("placeholder", &s.placeholder), ("rows", "2"), ("maxlength", "4000")],
        )?
        .dyn_into()?;
        form.append_child(&input)?;
        form.append_child(&*text_el(&doc, "button", &[("type", "submit"), ("class", "send"), ("part", "send")], &s.send)?)?;
        panel.append_child(&form)?;
        root.append_child(&launcher)?;
        root.append_child(&panel)?;
        body.append_child(&host)?;

        let launcher: HtmlElement = launcher.dyn_into()?;
        let mut ui = Ui {
            host,
            launcher,
            panel,
            log,
            typing,
            notice,
            input,
            messages: Vec::new(),
            strings: s.clone(),
            open: false,
            move_focus: false,
            listeners: Vec::new(),
        };
        ui.listen(on, &close, &form)?;
        Ok(ui)
    }

    /// Wires every DOM event the default UI handles, in one place.
    fn listen(&mut self, on: Rc<dyn Fn(UiEvent)>, close: &Element, form: &Element) -> Result<(), JsValue> {
        let panel_open = {
            let panel = self.panel.clone();
            move || !panel.has_attribute("hidden")
        };
        {
            let on = on.clone();
            let open = panel_open.clone();
            self.add(&self.launcher.clone(), "click", move |_| on(UiEvent::SetOpen(!open())))?;
        }
        {
            let on = on.clone();
            self.add(close, "click", move |_| on(UiEvent::SetOpen(false)))?;
        }
        {
            let on = on.clone();
            let input = self.input.clone();
            self.add(form, "submit", move |e| {
                e.prevent_default();
                submit(&input, &on);
            })?;
        }
        {
            let on = on.clone();
            let input = self.input.clone();
            self.add(&self.input.clone(), "keydown", move |e| {
                let Some(key) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                if key.key() == "Enter" && !key.shift_key() && !key.is_composing() {
                    e.prevent_default();
                    submit(&input, &on);
                }
            })?;
        }
        {
            let on = on.clone();
            self.add(&self.panel.clone(), "keydown", move |e| {
                if e.dyn_ref::<web_sys::KeyboardEvent>().is_some_and(|k| k.key() == "Escape") {
                    e.prevent_default();
                    on(UiEvent::SetOpen(false));
                }
            })?;
        }
        self.add(&self.log.clone(), "click", move |e| {
            let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
            let button = target.and_then(|t| t.closest("[data-resend]").ok().flatten());
            if let Some(id) = button.and_then(|b| b.get_attribute("data-resend")).and_then(|v| v.parse().ok()) {
                on(UiEvent::Resend(id));
            }
        })?;
        Ok(())
    }

    fn add(&mut self, target: &EventTarget, kind: &'static str, f: impl FnMut(web_sys::Event) + 'static) -> Result<(), JsValue> {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())?;
        self.listeners.push(Listener { target: target.clone(), kind, closure });
        Ok(())
    }

    /// The customer opened or closed the panel themselves: focus follows.
    pub fn focus_on_next_toggle(&mut self) {
        self.move_focus = true;
    }

    pub fn render(&mut self, chrome: &Chrome) {
        if chrome.open != self.open {
            self.open = chrome.open;
            let _ = self.panel.toggle_attribute_with_force("hidden", !chrome.open);
            let _ = self.launcher.set_attribute("aria-expanded", if chrome.open { "true" } else { "false" });
            if self.move_focus {
                let _ = if chrome.open { self.input.focus() } else { self.launcher.focus() };
            }
            if chrome.open {
                self.log.set_scroll_top(self.log.scroll_height());
            }
        }
        self.move_focus = false;
        let _ = self.typing.toggle_attribute_with_force("hidden", !chrome.typing);
        match &chrome.notice {
            Some(text) => {
                self.notice.set_text_content(Some(text));
                let _ = self.notice.remove_attribute("hidden");
            }
            None => {
                let _ = self.notice.set_attribute("hidden", "");
                self.notice.set_text_content(None);
            }
        }
    }

    /// Draws one message: appended when new, redrawn in place when it changed.
    pub fn show_message(&mut self, message: &Message) -> Result<(), JsValue> {
        let doc = self.host.owner_document().ok_or("no document")?;
        let node = message_node(&doc, message, &self.strings)?;
        let index = message.id as usize;
        if let Some(old) = self.messages.get_mut(index) {
            old.replace_with_with_node_1(&node)?;
            *old = node;
        } else {
            self.log.append_child(&node)?;
            self.messages.push(node);
            self.log.set_scroll_top(self.log.scroll_height());
        }
        Ok(())
    }

    /// Removes the widget from the page; listeners go with `self`.
    pub fn remove(self) {
        self.host.remove();
    }
}

fn submit(input: &HtmlTextAreaElement, on: &Rc<dyn Fn(UiEvent)>) {
    let text = input.value();
    if text.trim().is_empty() {
        return;
    }
    input.set_value("");
    on(UiEvent::Submit(text));
}

fn message_node(doc: &Document, m: &Message, s: &Strings) -> Result<Element, JsValue> {
    let (role, who) = match m.role {
        Role::Customer => ("customer", s.you.as_str()),
        Role::Ai => ("ai", s.assistant.as_str()),
        Role::Agent => ("agent", m.author.as_deref().unwrap_or("Agent")),
        Role::System => ("system", ""),
    };
    let part = format!("message message-{role}");
    let id = m.id.to_string();
    let node = el(doc, "div", &[("class", "msg"), ("data-role", role), ("data-id", &id), ("part", &part)])?;
    if !who.is_empty() {
        node.append_child(&*text_el(doc, "span", &[("class", "who")], who)?)?;
    }
    node.append_child(&*text_el(doc, "p", &[("class", "text"), ("part", "text")], &m.text)?)?;
    match m.delivery {
        Delivery::Failed => {
            let line = text_el(doc, "p", &[("class", "failed")], &s.not_sent)?;
            line.append_child(&doc.create_text_node(" "))?;
            line.append_child(&*text_el(doc, "button", &[("type", "button"), ("class", "resend"), ("data-resend", &id)], &s.resend)?)?;
            node.append_child(&line)?;
        }
        Delivery::Queued | Delivery::Sending => node.set_attribute("aria-busy", "true")?,
        Delivery::Sent => {}
    }
    Ok(node)
}
