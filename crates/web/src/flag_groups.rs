//! The flag form: pinned critical parameters in the reference document's five categories and
//! any flag the release does not know (every flag of the release: all_flags.rs).
use super::flag_field::FlagField;
use super::state::studio;
use leptos::prelude::*;
use studio_core::catalog::{Availability, Catalog};
use studio_core::critical::Category;

/// The pinned section.
#[component]
pub fn CriticalParams() -> impl IntoView {
    let s = studio();
    // Memoized: the field is written only when the model changes, not on every keystroke (and
    // with the checks, one task after it: the YAML comes first).
    let model = Memo::new(move |_| s.settled.with(|p| p.model.clone()));
    view! {
        <section class="card" aria-labelledby="critical-title">
            <h2 id="critical-title">"Critical parameters"</h2>
            <div class="field">
                <label for="param-model">"--model"</label>
                <input
                    type="text"
                    id="param-model"
                    data-testid="param-model"
                    value=model.get_untracked()
                    prop:value=model
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        s.edit(|p| p.model = v.trim().to_string())
                    }
                />
                <p class="help">"The Hugging Face model id or local path to serve."</p>
            </div>
            {Category::ALL
                .iter()
                .map(|c| {
                    view! {
                        <fieldset class="category">
                            <legend>{c.title()}</legend>
                            {c
                                .critical_flags()
                                .iter()
                                .map(|f| view! { <FlagField name=f.to_string() /> })
                                .collect_view()}
                        </fieldset>
                    }
                })
                .collect_view()}
        </section>
    }
}

/// Flags set in the profile that the selected release does not accept (removed, not yet added,
/// unknown): kept and shown so nothing is dropped silently.
#[component]
pub fn ForeignFlags() -> impl IntoView {
    let s = studio();
    let catalog = Catalog::get();
    let foreign = Memo::new(move |_| {
        s.settled.with(|p| {
            p.args
                .iter()
                .filter(|a| catalog.availability(&a.name, p.vllm_version) != Availability::Present)
                .filter(|a| {
                    !Category::ALL
                        .iter()
                        .any(|c| c.critical_flags().contains(&a.name.as_str()))
                })
                .map(|a| a.name.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || foreign.with(|f| !f.is_empty())>
            <section class="card warn" aria-labelledby="foreign-title" data-testid="foreign-flags">
                <h2 id="foreign-title">"Flags this release does not accept"</h2>
                <p class="muted">
                    "Kept from the imported file or link; vLLM would refuse to start with them."
                </p>
                {move || {
                    foreign.get().into_iter().map(|f| view! { <FlagField name=f /> }).collect_view()
                }}
            </section>
        </Show>
    }
}
