//! The browser shell: small Leptos components over the domain core. State lives in `state`.
// Natively the views keep their full types (no `erase_components`), and rendering them to HTML
// (the prerendered first paint) nests deeper than the default limit.
#![recursion_limit = "256"]
mod all_flags;
mod compose_form;
mod coverage_note;
mod crash;
mod deferred;
mod deploy_panel;
mod diff_panel;
mod dom;
mod field_error;
mod field_slices;
mod finding_item;
mod first_paint;
mod fit_panel;
mod fix_all;
mod flag_control;
mod flag_field;
mod flag_groups;
mod hardware_bar;
mod history_bar;
mod import_panel;
mod later;
mod memory_band;
mod memory_bar;
mod memory_figures;
mod memory_panel;
mod model_config_box;
mod outputs;
mod persistence;
mod score_panel;
mod share_panel;
mod snapshot_list;
mod startup;
mod state;
mod summary_bar;
mod theme;

use leptos::prelude::*;
use state::Studio;
use studio_core::link;

/// Starts the app: the profile in the URL if there is one, else the reference medium profile.
pub fn mount() {
    dom::mark("app-start");
    crash::install();
    theme::restore();
    // The prerendered first paint is replaced in the same task as the mount: nothing is
    // painted between.
    #[cfg(target_arch = "wasm32")]
    let typed = first_paint::take();
    leptos::mount::mount_to_body(App);
    #[cfg(target_arch = "wasm32")]
    if let Some(typed) = typed {
        first_paint::give(typed);
    }
    // Read by scripts/bench: the first task ends with the form on the page.
    dom::mark("app-mounted");
}

/// The prerendered first paint (`first_paint.rs`) for the build: the `<template>` and its script.
#[cfg(not(target_arch = "wasm32"))]
pub fn first_paint() -> (String, String) {
    (first_paint::template(), first_paint::script())
}

#[component]
fn App() -> impl IntoView {
    let query = dom::location_query();
    let mut notices = Vec::new();
    let draft = persistence::load_draft(&mut notices);
    let snapshots = RwSignal::new(persistence::load_snapshots(&mut notices));
    let start = startup::choose_start(&query, draft);
    notices.extend(start.notices);
    let diff_base = RwSignal::new(match start.diff_base {
        Some(link::BaseRef::Named(n)) => diff_panel::BaseChoice::Named(n),
        Some(link::BaseRef::Profile(p)) => diff_panel::BaseChoice::Given(p),
        None => diff_panel::BaseChoice::None,
    });
    let previous_draft = RwSignal::new(start.previous_draft);
    let start = start.profile;
    // The draft a link replaced is also kept as the snapshot "previous draft", so it survives
    // the autosave and can serve as a diff base.
    if let Some(prev) = previous_draft.get_untracked() {
        snapshots.update(|l| {
            l.retain(|x| x.name != "previous draft");
            l.push(studio_core::storage::Snapshot {
                name: "previous draft".into(),
                query: link::encode(&prev),
            });
        });
        snapshots.with_untracked(|l| persistence::save_snapshots(l));
    }
    // The imported file goes with the draft it was saved with; a link opens without it.
    let origin = if link::carries_profile(&query) {
        persistence::set_aside_origin();
        None
    } else {
        persistence::load_origin(&mut notices)
    };
    let studio = Studio::new(start);
    dom::mark("state-ready");
    studio.origin.set(origin);
    studio.notices.set(notices);
    provide_context(studio);
    persistence::install(studio);
    // State in the URL first: the address bar always opens this exact profile (a review keeps
    // its diff link until the first edit).
    // Written when the keyboard rests (or before the page goes), not on every keystroke.
    let url = deferred::Deferred::new(move || dom::replace_query(&studio.query.get_untracked()));
    let first = std::cell::Cell::new(true);
    Effect::new(move |_| {
        studio.query.track();
        if !first.replace(false) || !query.contains("view=diff") {
            url.schedule();
        }
    });
    // The first task builds the summary strip and the form with its findings (the page is
    // usable sooner); the panels and the other sections follow once their module has loaded
    // (`later`), below or beside what is there, so nothing moves.
    let rest = studio.started;
    let later_form = StoredValue::new_local(None::<AnyView>);
    let later_panels = StoredValue::new_local(None::<AnyView>);
    let load_failed = RwSignal::new(false);
    // Each section is taken out of its slot once: a memo re-runs the slots only on a change.
    let arrived = Memo::new(move |_| rest.get());
    leptos::task::spawn_local_scoped(async move {
        match later::build(diff_base, snapshots).await {
            Ok(sections) => {
                later_form.set_value(Some(sections.form));
                later_panels.set_value(Some(sections.panels));
                rest.set(true);
                // The checks and sections built in this task's microtasks; marked just after.
                set_timeout(|| dom::mark("app-complete"), std::time::Duration::ZERO);
            }
            // The loader has logged the cause to the console.
            Err(_) => load_failed.set(true),
        }
    });
    view! { <Page snapshots previous_draft later_form later_panels arrived load_failed /> }
}

/// What the first task puts on the page: the header, the summary strip, the release and
/// hardware bar, the history bar and the critical parameters, with the slots the later sections
/// fill once their module has arrived (`arrived`). The prerendered first paint
/// (`first_paint.rs`) is this same view, rendered to HTML at build time.
#[component]
fn Page(
    /// The saved snapshots.
    snapshots: RwSignal<Vec<studio_core::storage::Snapshot>>,
    /// The draft a link replaced, offered back.
    previous_draft: RwSignal<Option<studio_core::profile::Profile>>,
    /// The all-flags form and the other later sections of the form column.
    later_form: StoredValue<Option<AnyView>, LocalStorage>,
    /// The panels.
    later_panels: StoredValue<Option<AnyView>, LocalStorage>,
    /// Whether the later sections have arrived (their slots are then filled once).
    arrived: Memo<bool>,
    /// Whether their module failed to load.
    load_failed: RwSignal<bool>,
) -> impl IntoView {
    let studio = state::studio();
    view! {
        <a class="skip-link" href="#panels" data-testid="skip-link">
            "Skip to the score, memory and outputs"
        </a>
        <header class="top">
            <h1>"vLLM Profile Studio"</h1>
            <p class="muted">
                "Edit, check, size and share a vLLM docker-compose serving profile."
            </p>
            <theme::ThemeToggle />
        </header>
        <summary_bar::SummaryBar />
        <main
            class="layout"
            data-testid="app-ready"
            data-pending=move || {
                if studio.pending.get() || !arrived.get() { "true" } else { "false" }
            }
        >
            <div class="form-col">
                <hardware_bar::HardwareBar />
                <history_bar::HistoryBar snapshots=snapshots previous_draft=previous_draft />
                <flag_groups::CriticalParams />
                {move || arrived.get().then(|| later_form.try_update_value(Option::take).flatten())}
            </div>
            <div class="panel-col" id="panels" tabindex="-1">
                {move || {
                    arrived.get().then(|| later_panels.try_update_value(Option::take).flatten())
                }}
                <Show when=move || load_failed.get()>
                    <later::LoadFailed />
                </Show>
            </div>
        </main>
    }
}
