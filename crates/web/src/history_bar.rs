//! Undo/redo, the previous draft, and named snapshots (saved locally, exportable).
use super::dom;
use super::persistence::save_snapshots;
use super::snapshot_list::SnapshotList;
use super::state::studio;
use leptos::prelude::*;
use studio_core::profile::Profile;
use studio_core::storage::{encode_snapshots, Snapshot};

/// The history card.
#[component]
pub fn HistoryBar(
    snapshots: RwSignal<Vec<Snapshot>>,
    previous_draft: RwSignal<Option<Profile>>,
) -> impl IntoView {
    let s = studio();
    let name = RwSignal::new(String::new());
    let save = move |_| {
        let n = name.get_untracked().trim().to_string();
        let n = if n.is_empty() {
            format!("v{}", 4 + snapshots.with_untracked(Vec::len))
        } else {
            n
        };
        let query = s.query.get_untracked();
        snapshots.update(|l| {
            l.retain(|x| x.name != n);
            l.push(Snapshot { name: n, query });
        });
        snapshots.with_untracked(|l| save_snapshots(l));
        name.set(String::new());
    };
    view! {
        <section class="card history" aria-label="History">
            <button
                type="button"
                data-testid="undo"
                disabled=move || s.past.with(Vec::is_empty)
                on:click=move |_| s.undo()
                title="Ctrl/Cmd+Z"
            >
                "↶ Undo"
            </button>
            <button
                type="button"
                data-testid="redo"
                disabled=move || s.future.with(Vec::is_empty)
                on:click=move |_| s.redo()
                title="Shift+Ctrl/Cmd+Z"
            >
                "↷ Redo"
            </button>
            <Show when=move || previous_draft.with(Option::is_some)>
                <button
                    type="button"
                    data-testid="restore-draft"
                    on:click=move |_| {
                        if let Some(p) = previous_draft.get_untracked() {
                            s.replace(p);
                            previous_draft.set(None)
                        }
                    }
                >
                    "Restore the draft you had before this link"
                </button>
            </Show>
            <input
                type="text"
                data-testid="snapshot-name"
                placeholder="snapshot name (v4)"
                aria-label="Snapshot name"
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            <button type="button" data-testid="snapshot-save" on:click=save>
                "Save snapshot"
            </button>
            <button
                type="button"
                disabled=move || snapshots.with(Vec::is_empty)
                on:click=move |_| dom::download(
                    "snapshots.json",
                    &snapshots.with_untracked(|l| encode_snapshots(l)),
                    "application/json",
                )
            >
                "Export snapshots"
            </button>
            <SnapshotList snapshots />
        </section>
    }
}
