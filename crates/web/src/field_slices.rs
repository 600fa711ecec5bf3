//! Per-flag slices of the state: each open flag field subscribes to a signal of its own value
//! and its own findings, which change only when that flag's do. With every group open 350
//! fields would otherwise each subscribe to the profile and the findings, and reactive_graph's
//! subscriber bookkeeping (`IndexSet::shift_remove` / clone on every re-run) grows with the
//! square of their number: 3.3 ms of a 21 ms keystroke in a CPU profile.
use super::state::FieldNote;
use leptos::prelude::*;
use leptos::reactive::effect::ImmediateEffect;
use std::collections::HashMap;
use studio_core::profile::{ArgValue, Profile};

/// The flags' signals, created on first use. Values are published by the state's writes
/// ([`FieldSlices::publish`]: every profile change goes through `Studio`); findings by one
/// effect over the per-flag index.
#[derive(Clone, Copy)]
pub struct FieldSlices {
    values: StoredValue<HashMap<String, RwSignal<Option<ArgValue>>>, LocalStorage>,
    notes: StoredValue<HashMap<String, RwSignal<Vec<FieldNote>>>, LocalStorage>,
    /// The state's owner: slices outlive the fields that ask for them (a closed group).
    owner: StoredValue<Owner, LocalStorage>,
    profile: RwSignal<Profile>,
    notes_by_flag: Memo<HashMap<String, Vec<FieldNote>>>,
}

impl FieldSlices {
    /// Slices of `profile` and `notes_by_flag`; call inside the state's owner.
    pub fn new(
        profile: RwSignal<Profile>,
        notes_by_flag: Memo<HashMap<String, Vec<FieldNote>>>,
    ) -> FieldSlices {
        let slices = FieldSlices {
            values: StoredValue::new_local(HashMap::new()),
            notes: StoredValue::new_local(HashMap::new()),
            owner: StoredValue::new_local(Owner::current().unwrap_or_default()),
            profile,
            notes_by_flag,
        };
        // One effect hands new findings to the fields whose notes changed: a memo per field
        // would make every change of the findings wake every open field (350 with all groups
        // open), even those whose notes stay the same.
        // Immediate (it runs in the write that changed the findings): the fields' notes are
        // current as soon as the findings are, in the browser and in native tests alike.
        ImmediateEffect::new_scoped(move || {
            notes_by_flag.with(|by| {
                slices.notes.with_value(|m| {
                    for (name, sig) in m {
                        let now = by.get(name).map_or(&[][..], Vec::as_slice);
                        if sig.with_untracked(|v| v.as_slice() != now) {
                            sig.set(now.to_vec());
                        }
                    }
                })
            })
        });
        slices
    }

    /// The value of flag `name` as a signal of its own.
    pub fn value(&self, name: &str) -> ReadSignal<Option<ArgValue>> {
        let profile = self.profile;
        self.slice(self.values, name, || {
            profile.with_untracked(|p| p.get(name).cloned())
        })
    }

    /// The findings of flag `name` as a signal of its own: it changes only when they do.
    pub fn notes(&self, name: &str) -> ReadSignal<Vec<FieldNote>> {
        let by = self.notes_by_flag;
        self.slice(self.notes, name, || {
            by.with_untracked(|by| by.get(name).cloned().unwrap_or_default())
        })
    }

    /// The slice of `name` in `slices`, created (in the state's owner) with `now` on first use.
    fn slice<T: Send + Sync + 'static>(
        &self,
        slices: StoredValue<HashMap<String, RwSignal<T>>, LocalStorage>,
        name: &str,
        now: impl FnOnce() -> T,
    ) -> ReadSignal<T> {
        if let Some(sig) = slices.with_value(|m| m.get(name).copied()) {
            return sig.read_only();
        }
        let sig = self.owner.with_value(|o| o.with(|| RwSignal::new(now())));
        slices.update_value(|m| {
            m.insert(name.to_string(), sig);
        });
        sig.read_only()
    }

    /// Sets the slices whose flag changed in `p` (one pass over the fields that exist; only a
    /// changed slice notifies its field).
    pub fn publish(&self, p: &Profile) {
        self.values.with_value(|m| {
            for (name, sig) in m {
                // Compared in place; only a changed value is copied (this runs on every keystroke
                // for every field on the page).
                let now = p.get(name);
                if sig.with_untracked(|v| v.as_ref() != now) {
                    sig.set(now.cloned());
                }
            }
        })
    }
}
