//! Local persistence for the shell: `localStorage` when it works, memory when it is missing,
//! full or throws (private modes, sandboxed iframes, quota), so the widget always keeps working.

use crate::snapshot::{self, key_prefix, Stored};

pub struct Store {
    local: Option<web_sys::Storage>,
    /// `localStorage` after a write to it failed (full): tried again at each write, and taken
    /// back, with what was kept in memory meanwhile, once writes fit again (QA: a full
    /// storage made the rest of the page memory-only, and a reload lost the case).
    full: Option<web_sys::Storage>,
    /// Used when `localStorage` is not: sorted by key, so finding one takes a binary search
    /// (review: a list searched key by key made each write cost more as the conversation grew).
    memory: Vec<(String, String)>,
}

impl Store {
    /// Opens `localStorage`, or memory if it is unavailable (reading it can itself throw).
    pub fn open() -> Store {
        let local = super::window().and_then(|w| w.local_storage().ok().flatten());
        Store { local, full: None, memory: Vec::new() }
    }

    /// A store that only keeps data in memory.
    pub fn memory() -> Store {
        Store { local: None, full: None, memory: Vec::new() }
    }

    /// Whether writes currently reach `localStorage`.
    pub fn is_persistent(&self) -> bool {
        self.local.is_some()
    }

    pub fn get(&mut self, key: &str) -> Option<String> {
        if let Some(local) = &self.local {
            match local.get_item(key) {
                Ok(value) => return value,
                Err(_) => self.fall_back(false),
            }
        }
        let at = self.memory.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        self.memory.get(at).map(|(_, v)| v.clone())
    }

    pub fn set(&mut self, key: &str, value: &str) {
        if let Some(local) = &self.local {
            if local.set_item(key, value).is_ok() {
                return;
            }
            self.fall_back(true);
        }
        self.keep(key.to_owned(), value.to_owned());
        // Room again? This write first (one failing call while still full), then the rest.
        if let Some(full) = &self.full {
            if full.set_item(key, value).is_ok() && self.memory.iter().all(|(k, v)| full.set_item(k, v).is_ok()) {
                self.local = self.full.take();
                self.memory.clear();
            }
        }
    }

    /// Removes every key starting with `prefix`.
    pub fn remove_prefix(&mut self, prefix: &str) {
        self.memory.retain(|(k, _)| !k.starts_with(prefix));
        // A full localStorage still holds the records it had (review: an expired conversation's
        // records stayed there, to be read back later).
        let Some(local) = self.local.as_ref().or(self.full.as_ref()) else { return };
        let mut doomed = Vec::new();
        let len = local.length().unwrap_or(0);
        for i in 0..len {
            if let Ok(Some(key)) = local.key(i) {
                if key.starts_with(prefix) {
                    doomed.push(key);
                }
            }
        }
        for key in &doomed {
            // A failing remove leaves a stale record that the next header write supersedes.
            let _ = local.remove_item(key);
        }
    }

    /// Keeps a value in memory, in key order.
    fn keep(&mut self, key: String, value: String) {
        match self.memory.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(at) => {
                if let Some(entry) = self.memory.get_mut(at) {
                    entry.1 = value;
                }
            }
            Err(at) => self.memory.insert(at, (key, value)),
        }
    }

    /// Switches to memory, carrying over what can still be read; after a failed write (`full`),
    /// `localStorage` is tried again at the next writes.
    fn fall_back(&mut self, full: bool) {
        if let Some(local) = self.local.take() {
            let len = local.length().unwrap_or(0);
            for i in 0..len {
                if let Ok(Some(key)) = local.key(i) {
                    if key.starts_with("baton:") {
                        if let Ok(Some(value)) = local.get_item(&key) {
                            self.keep(key, value);
                        }
                    }
                }
            }
            if full {
                self.full = Some(local);
            }
        }
    }

    /// Reads a site's snapshot: `Err` when the header is unreadable (the core then starts afresh).
    pub fn read_snapshot(&mut self, site: &str) -> Result<Option<Stored>, String> {
        snapshot::read(site, |key| self.get(key))
    }

    pub fn clear_site(&mut self, site: &str) {
        self.remove_prefix(&key_prefix(site));
    }
}
