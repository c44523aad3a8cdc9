//! Baton: the core of an AI-to-human handoff chat widget, and its WebAssembly shell.
//!
//! The core ([`widget::Widget`] and the modules it uses) is sans-IO: no clock, no network, no
//! storage, no DOM. It takes inputs stamped with the current time and hands back effects and
//! one deadline, so every behaviour is tested natively with a simulated clock (`tests/`).
//! The browser shell (`web`, wasm32 only) wires it to the DOM, `fetch`, `localStorage` and one
//! gloo-timers timer, and holds no policy. See `widget` for the calling order.

pub mod config;
pub mod encode;
pub mod fifo;
pub mod handoff;
pub mod heap;
pub mod json;
pub mod conversation;
pub mod policy;
pub mod protocol;
pub mod redact;
pub mod rng;
pub mod snapshot;
pub mod strings;
pub mod strings_es;
pub mod table;
pub mod time;
pub mod widget;

#[cfg(target_arch = "wasm32")]
pub mod web;
