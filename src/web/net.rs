//! `fetch` for the shell: carries out one core request and turns whatever happens (network
//! error, HTTP status, bad JSON, wrong shape) into a typed outcome for the core.
//!
//! Promises are followed with plain callbacks rather than Rust futures: an executor and its
//! waker machinery would be the only users of `wasm-bindgen-futures` in the widget, and cost
//! every visitor more than the two callbacks here.

use crate::protocol::{Failure, Outcome, Request};
use crate::json;
use crate::table::Cat;
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// A promise seen only as its `then`, which here takes plain JS functions.
    type Thenable;
    #[wasm_bindgen(method, js_name = then)]
    fn then_with(this: &Thenable, on_fulfilled: &JsValue, on_rejected: &JsValue);
}

/// Calls `f` once with what `promise` settles to, its value or its rejection reason. One
/// self-freeing function serves as both handlers: exactly one of them is ever called, so it is
/// always called, and always freed.
pub fn settle(promise: &Promise, f: impl FnOnce(JsValue) + 'static) {
    settle_boxed(promise, Box::new(f));
}

/// `settle` for one closure type: `once_into_js` builds its JS function glue per type, so the
/// callers' closures are boxed and share one copy of it.
fn settle_boxed(promise: &Promise, f: Box<dyn FnOnce(JsValue)>) {
    let handler = Closure::<dyn FnMut(JsValue)>::once_into_js(f);
    promise.unchecked_ref::<Thenable>().then_with(&handler, &handler);
}

/// Sends one request and calls `done` with its outcome, exactly once.
pub fn send(endpoint: &str, request: &Request, done: impl FnOnce(Outcome) + 'static) {
    let call = &request.call;
    // The request's options as JSON, read by `JSON.parse` (imported already): fetch reads the
    // headers as a plain record as it reads a `Headers` object, and web-sys's `RequestInit` and
    // `Headers` constructors and setters were five imports and glue functions of their own.
    let mut init = String::from("{\"method\":\"");
    init.push_str(call.method().as_str());
    init.push_str("\",\"headers\":{\"Accept\":\"application/json\"");
    if let Some((name, value)) = call.header() {
        init.push(',');
        json::write_str(&mut init, name);
        init.push(':');
        json::write_str(&mut init, value);
    }
    if let Some(body) = call.body() {
        init.push_str(",\"Content-Type\":\"application/json\"},\"body\":");
        json::write_str(&mut init, &body);
    } else {
        init.push('}');
    }
    init.push('}');
    let (Ok(init), Some(window)) = (js_sys::JSON::parse(&init), super::window()) else {
        return done(Err(Failure::Network));
    };
    let url = [endpoint, &call.path()].cat();
    let kind = call.reply_kind();
    // A rejection (network error, CORS, abort) settles with an Error, not a Response.
    settle(&window.fetch_with_str_and_init(&url, init.unchecked_ref()), move |response| {
        let Ok(response) = response.dyn_into::<web_sys::Response>() else {
            return done(Err(Failure::Network));
        };
        if !response.ok() {
            let retry_after = response.headers().get("Retry-After").ok().flatten();
            let retry_after_ms =
                retry_after.and_then(|v| crate::protocol::parse_retry_after(&v, js_sys::Date::now() as i64));
            return done(Err(Failure::Status { status: response.status(), retry_after_ms }));
        }
        match response.text() {
            // The body settles to a string, or to an Error if reading it failed.
            Ok(body) => settle(&body, move |body| {
                done(match body.as_string() {
                    Some(body) => crate::protocol::parse_reply(kind, &body),
                    None => Err(Failure::Network),
                })
            }),
            Err(_) => done(Err(Failure::Network)),
        }
    });
}
