//! The saved snapshots, each restorable (one undo step), renamable and deletable; every change
//! is written to browser storage at once.
use super::persistence::save_snapshots;
use super::state::studio;
use leptos::prelude::*;
use studio_core::link;
use studio_core::storage::Snapshot;

/// The list under the history bar.
#[component]
pub fn SnapshotList(snapshots: RwSignal<Vec<Snapshot>>) -> impl IntoView {
    view! {
        <ul class="snapshots" data-testid="snapshot-list">
            <For each=move || snapshots.get() key=|x| (x.name.clone(), x.query.clone()) let:snap>
                <SnapshotRow snap snapshots />
            </For>
        </ul>
    }
}

/// One snapshot: its name (or a rename box) and its actions.
#[component]
fn SnapshotRow(
    snap: Snapshot,
    /// The list the row belongs to (changed and stored by the row's actions).
    snapshots: RwSignal<Vec<Snapshot>>,
) -> impl IntoView {
    let change = move |f: &dyn Fn(&mut Vec<Snapshot>)| {
        snapshots.update(|l| f(l));
        snapshots.with_untracked(|l| save_snapshots(l));
    };
    let s = studio();
    let renaming = RwSignal::new(None::<String>);
    let name = snap.name.clone();
    let restore = {
        let query = snap.query.clone();
        move |_| s.replace(link::decode(&query).0)
    };
    let delete = {
        let name = name.clone();
        move |_| change(&|l| l.retain(|x| x.name != name))
    };
    let finish = {
        let name = name.clone();
        move || {
            let Some(to) = renaming.get_untracked().map(|t| t.trim().to_string()) else {
                return;
            };
            renaming.set(None);
            if to.is_empty() || to == name {
                return;
            }
            change(&|l| {
                // A rename onto an existing name replaces that snapshot.
                l.retain(|x| x.name != to);
                if let Some(x) = l.iter_mut().find(|x| x.name == name) {
                    x.name = to.clone();
                }
            })
        }
    };
    let finish_on_enter = finish.clone();
    let shown = name.clone();
    view! {
        <li data-testid="snapshot-row" data-name=name.clone()>
            {move || match renaming.get() {
                Some(text) => {
                    let finish = finish_on_enter.clone();
                    view! {
                        <input
                            type="text"
                            data-testid="snapshot-rename-input"
                            aria-label="New snapshot name"
                            prop:value=text
                            on:input=move |ev| renaming.set(Some(event_target_value(&ev)))
                            on:keydown=move |ev: web_sys::KeyboardEvent| {
                                if ev.key() == "Enter" {
                                    finish()
                                }
                            }
                        />
                    }
                        .into_any()
                }
                None => view! { <span class="name">{shown.clone()}</span> }.into_any(),
            }}
            <button type="button" data-testid="snapshot-restore" on:click=restore>
                "Restore"
            </button>
            <button
                type="button"
                data-testid="snapshot-rename"
                on:click={
                    let name = name.clone();
                    let finish = finish.clone();
                    move |_| match renaming.get_untracked() {
                        Some(_) => finish(),
                        None => renaming.set(Some(name.clone())),
                    }
                }
            >
                {move || if renaming.with(Option::is_some) { "Save name" } else { "Rename" }}
            </button>
            <button type="button" data-testid="snapshot-delete" on:click=delete>
                "Delete"
            </button>
        </li>
    }
}
