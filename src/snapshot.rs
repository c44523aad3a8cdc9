//! What the core persists between page loads: a small versioned header plus one record per
//! message, so saving after a message costs the same at message 5 as at message 5,000.
//!
//! Storage layout (owned by the driver): `baton:{site}:h` holds the [`Header`],
//! `baton:{site}:m:{id}` holds message `id`.

use crate::conversation::{Customer, Message};
use crate::policy::PolicyState;
use serde::{Deserialize, Serialize};

/// Bumped whenever the stored shape changes incompatibly; older snapshots are migrated or
/// discarded quietly, never shown as an error to the customer.
pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Snapshot format version.
    pub v: u32,
    pub conversation_id: String,
    pub created_at: i64,
    /// Last activity (wall clock), for expiry.
    pub saved_at: i64,
    /// How many message records belong to this conversation.
    pub messages: u32,
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub customer: Option<Customer>,
    #[serde(default)]
    pub policy: PolicyState,
}

/// A snapshot as read back by the driver.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub header: Header,
    /// Message records in id order; missing or unreadable ones are left out by the driver.
    pub messages: Vec<Message>,
}

/// The storage key of the header, and the prefix shared by every key of a site.
pub fn header_key(site: &str) -> String {
    format!("baton:{site}:h")
}

pub fn message_key(site: &str, id: u32) -> String {
    format!("baton:{site}:m:{id}")
}

pub fn key_prefix(site: &str) -> String {
    format!("baton:{site}:")
}
