//! The one place the app's state lives: the profile signal and what is derived from it.
use crate::domain::{compose, link, profile::Profile};
use leptos::prelude::*;

/// Everything the components share, provided once through context.
#[derive(Clone, Copy)]
pub struct Studio {
    /// The working profile; every edit, import and fix goes through `edit`.
    pub profile: RwSignal<Profile>,
    /// The compose YAML of the profile.
    pub yaml: Memo<String>,
    /// The `vllm serve` command.
    pub command: Memo<String>,
    /// The `.env` file.
    pub env: Memo<String>,
    /// The share-link query (without `?`).
    pub query: Memo<String>,
    /// Messages about what loading a link or a file changed or could not apply.
    pub notices: RwSignal<Vec<String>>,
}

impl Studio {
    /// Creates the state around a starting profile.
    pub fn new(start: Profile) -> Studio {
        let profile = RwSignal::new(start);
        Studio {
            profile,
            yaml: Memo::new(move |_| profile.with(compose::to_yaml)),
            command: Memo::new(move |_| profile.with(compose::to_command)),
            env: Memo::new(move |_| profile.with(compose::to_env)),
            query: Memo::new(move |_| profile.with(link::encode)),
            notices: RwSignal::new(Vec::new()),
        }
    }

    /// Applies one edit to the profile.
    pub fn edit(&self, change: impl FnOnce(&mut Profile)) {
        self.profile.update(change);
    }

    /// Replaces the whole profile (import, link, reset).
    pub fn replace(&self, next: Profile) {
        self.profile.set(next);
    }
}

/// The studio from context.
pub fn studio() -> Studio {
    expect_context::<Studio>()
}
