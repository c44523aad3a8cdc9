//! The handoff to a human: the package the agent receives (`package`), the customer's browser
//! and page context (`environment`), and delivery of the package exactly once (`outbox`).

pub mod environment;
pub mod outbox;
pub mod package;
