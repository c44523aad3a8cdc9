//! `fetch` for the shell: carries out one core request and turns whatever happens (network
//! error, HTTP status, bad JSON, wrong shape) into a typed outcome for the core.

use crate::protocol::{Failure, Outcome, Request};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub async fn send(endpoint: &str, request: &Request) -> Outcome {
    let call = &request.call;
    let init = web_sys::RequestInit::new();
    init.set_method(call.method().as_str());
    let headers = web_sys::Headers::new().map_err(|_| Failure::Network)?;
    let _ = headers.set("Accept", "application/json");
    if let Some((name, value)) = call.header() {
        let _ = headers.set(name, value);
    }
    if let Some(body) = call.body() {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    let url = [endpoint, &call.path()].concat();
    let window = web_sys::window().ok_or(Failure::Network)?;
    let response = JsFuture::from(window.fetch_with_str_and_init(&url, &init)).await.map_err(|_| Failure::Network)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| Failure::Network)?;
    if !response.ok() {
        let retry_after = response.headers().get("Retry-After").ok().flatten();
        let retry_after_ms =
            retry_after.and_then(|v| crate::protocol::parse_retry_after(&v, js_sys::Date::now() as i64));
        return Err(Failure::Status { status: response.status(), retry_after_ms });
    }
    let promise = response.text().map_err(|_| Failure::Network)?;
    let body = JsFuture::from(promise).await.map_err(|_| Failure::Network)?;
    crate::protocol::parse_reply(call.reply_kind(), &body.as_string().unwrap_or_default())
}
