//! The handoff to a human: the package the agent receives (`package`, assembled from what the
//! conversation says (`scan`) and the browser (`ua`), summarised for a person (`summary`) and
//! written as JSON (`write`)), the customer's browser and page context (`environment`), and
//! delivery of the package exactly once (`outbox`).

pub mod environment;
pub mod outbox;
pub mod package;
pub mod scan;
pub mod summary;
pub mod ua;
mod write;
