//! The browser shell: small Leptos components over the domain core. State lives in `state`.
mod compose_form;
mod dom;
mod flag_field;
mod flag_groups;
mod hardware_bar;
mod import_panel;
mod outputs;
mod share_panel;
mod state;

use crate::domain::{compose::reference_profile, link};
use leptos::prelude::*;
use state::Studio;

/// Starts the app: the profile in the URL if there is one, else the reference medium profile.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
    // Read by scripts/bench: time from navigation start to a mounted app.
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("app-mounted");
    }
}

#[component]
fn App() -> impl IntoView {
    let query = dom::location_query();
    let (start, notices) = if link::carries_profile(&query) {
        let (p, problems) = link::decode(&query);
        let notes = problems.iter().map(|p| format!("Link key `{}` not applied: {}", p.key, p.message)).collect();
        (p, notes)
    } else {
        (reference_profile(), Vec::new())
    };
    let studio = Studio::new(start);
    studio.notices.set(notices);
    provide_context(studio);
    // State in the URL first: the address bar always opens this exact profile.
    Effect::new(move |_| dom::replace_query(&studio.query.get()));
    view! {
        <header class="top">
            <h1>"vLLM Profile Studio"</h1>
            <p class="muted">"Edit, check and share a vLLM docker-compose serving profile."</p>
        </header>
        <main class="layout" data-testid="app-ready">
            <div class="form-col">
                <hardware_bar::HardwareBar />
                <flag_groups::CriticalParams />
                <flag_groups::ForeignFlags />
                <compose_form::ComposeForm />
                <flag_groups::AllFlags />
            </div>
            <div class="panel-col">
                <share_panel::SharePanel />
                <outputs::Outputs />
                <import_panel::ImportPanel />
            </div>
        </main>
    }
}
