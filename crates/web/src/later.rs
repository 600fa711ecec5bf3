//! The sections built after the first task: the rest of the form column and the panel column.
//! Their code is a wasm module of its own (split off at link time by `scripts/wasm-link`), so
//! the first load carries only what the summary strip, the bars and the critical parameters
//! need; the app fetches this module as it starts and builds the sections when it arrives.
use crate::{
    all_flags, compose_form, deploy_panel, diff_panel, fit_panel, flag_groups, import_panel,
    memory_panel, outputs, score_panel, share_panel,
};
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use studio_core::storage::Snapshot;

/// The later sections, one view per column.
pub struct LaterSections {
    /// Foreign flags, the compose settings and every flag group, below the critical parameters.
    pub form: AnyView,
    /// Score, memory, fit, share, outputs, deploy, diff and import.
    pub panels: AnyView,
}

/// Builds the later sections once their module has loaded (natively: at once). Fails only when
/// the module cannot be fetched or instantiated.
#[wasm_split(later_sections, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn build(
    diff_base: RwSignal<diff_panel::BaseChoice>,
    snapshots: RwSignal<Vec<Snapshot>>,
) -> Result<LaterSections, SplitLoaderError> {
    let form = view! {
        <flag_groups::ForeignFlags />
        <compose_form::ComposeForm />
        <all_flags::AllFlags />
    }
    .into_any();
    let panels = view! {
        <score_panel::ScorePanel />
        <memory_panel::MemoryPanel />
        <fit_panel::FitPanel />
        <share_panel::SharePanel />
        <outputs::Outputs />
        <deploy_panel::DeployPanel />
        <diff_panel::DiffPanel base=diff_base snapshots=snapshots />
        <import_panel::ImportPanel snapshots=snapshots />
    }
    .into_any();
    Ok(LaterSections { form, panels })
}

/// Shown in place of the panels when their module did not load (offline before the first
/// complete visit, or a server that lost the file): the form above keeps working.
#[component]
pub fn LoadFailed() -> impl IntoView {
    view! {
        <p class="load-error" role="alert" data-testid="later-load-error">
            "The panels and the other sections could not be loaded (their file did not arrive). "
            "The form above still works and the draft is saved; reload the page to try again."
        </p>
    }
}
