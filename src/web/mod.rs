//! The browser shell (skeleton): wires the core to the DOM, fetch, storage and timers.
#![deny(clippy::unwrap_used, clippy::expect_used)]

use wasm_bindgen::prelude::*;

/// The widget's version, for the loader and the handoff package.
#[wasm_bindgen]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}
