//! The one place the app's state lives: the profile signal, its history, and what is derived from
//! it (outputs, link, findings, score, memory estimate) as memos.
use leptos::prelude::*;
use studio_core::memory::{self, Estimate};
use studio_core::models::ModelArch;
use studio_core::rules::{self, Finding, Inputs, Score};
use studio_core::{compose, link, profile::Profile};

/// How many edits undo can go back.
const HISTORY_LIMIT: usize = 200;

/// Everything the components share, provided once through context.
#[derive(Clone, Copy)]
pub struct Studio {
    /// The working profile; every edit, import and fix goes through `edit` or `replace`.
    pub profile: RwSignal<Profile>,
    /// Earlier profiles (undo) and undone ones (redo).
    pub past: RwSignal<Vec<Profile>>,
    pub future: RwSignal<Vec<Profile>>,
    /// An architecture pasted as config.json, for models the catalog lacks.
    pub pasted_model: RwSignal<Option<ModelArch>>,
    pub yaml: Memo<String>,
    pub command: Memo<String>,
    pub env: Memo<String>,
    /// The share-link query (without `?`).
    pub query: Memo<String>,
    pub findings: Memo<Vec<Finding>>,
    pub score: Memo<Score>,
    pub estimate: Memo<Option<Estimate>>,
    /// Messages about what loading a link, a file or the saved draft changed or could not apply.
    pub notices: RwSignal<Vec<String>>,
}

impl Studio {
    /// Creates the state around a starting profile.
    pub fn new(start: Profile) -> Studio {
        let profile = RwSignal::new(start);
        let pasted_model = RwSignal::new(None::<ModelArch>);
        let findings = Memo::new(move |_| {
            pasted_model.with(|m| profile.with(|p| rules::evaluate(&Inputs::new(p, m.as_ref()))))
        });
        Studio {
            profile,
            past: RwSignal::new(Vec::new()),
            future: RwSignal::new(Vec::new()),
            pasted_model,
            yaml: Memo::new(move |_| profile.with(compose::to_yaml)),
            command: Memo::new(move |_| profile.with(compose::to_command)),
            env: Memo::new(move |_| profile.with(compose::to_env)),
            query: Memo::new(move |_| profile.with(link::encode)),
            findings,
            score: Memo::new(move |_| {
                pasted_model.with(|m| {
                    profile
                        .with(|p| findings.with(|f| rules::score(&Inputs::new(p, m.as_ref()), f)))
                })
            }),
            estimate: Memo::new(move |_| {
                pasted_model
                    .with(|m| profile.with(|p| memory::estimate(&Inputs::new(p, m.as_ref()))))
            }),
            notices: RwSignal::new(Vec::new()),
        }
    }

    /// Applies one edit to the profile (undoable).
    pub fn edit(&self, change: impl FnOnce(&mut Profile)) {
        let mut next = self.profile.get_untracked();
        change(&mut next);
        self.replace(next);
    }

    /// Replaces the whole profile (import, link, fix); undoable.
    pub fn replace(&self, next: Profile) {
        let current = self.profile.get_untracked();
        if current == next {
            return;
        }
        self.past.update(|p| {
            p.push(current);
            if p.len() > HISTORY_LIMIT {
                p.remove(0);
            }
        });
        self.future.set(Vec::new());
        self.profile.set(next);
    }

    /// Goes back one edit.
    pub fn undo(&self) {
        if let Some(prev) = self.past.try_update(|p| p.pop()).flatten() {
            let current = self.profile.get_untracked();
            self.future.update(|f| f.push(current));
            self.profile.set(prev);
        }
    }

    /// Re-applies an undone edit.
    pub fn redo(&self) {
        if let Some(next) = self.future.try_update(|f| f.pop()).flatten() {
            let current = self.profile.get_untracked();
            self.past.update(|p| p.push(current));
            self.profile.set(next);
        }
    }
}

/// The studio from context.
pub fn studio() -> Studio {
    expect_context::<Studio>()
}
