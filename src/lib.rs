//! Baton: the core of an AI-to-human handoff chat widget (skeleton; the core lands next).

pub mod policy;

#[cfg(target_arch = "wasm32")]
mod web;
