//! The flag form: pinned critical parameters in the reference document's five categories, then
//! every flag of the selected release in vLLM's own groups (collapsible, searchable), then any
//! flag the release does not know.
use super::flag_field::FlagField;
use super::state::studio;
use leptos::prelude::*;
use studio_core::catalog::{Availability, Catalog};
use studio_core::critical::Category;

/// The pinned section.
#[component]
pub fn CriticalParams() -> impl IntoView {
    let s = studio();
    view! {
        <section class="card" aria-labelledby="critical-title">
            <h2 id="critical-title">"Critical parameters"</h2>
            <div class="field">
                <label for="param-model">"--model"</label>
                <input
                    type="text"
                    id="param-model"
                    data-testid="param-model"
                    prop:value=move || s.profile.with(|p| p.model.clone())
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

/// Every flag of the selected release, grouped.
#[component]
pub fn AllFlags() -> impl IntoView {
    let s = studio();
    let catalog = Catalog::get();
    let search = RwSignal::new(String::new());
    let version = Memo::new(move |_| s.profile.with(|p| p.vllm_version));
    // The groups and their flags for the release and the search, recomputed only when those change.
    let groups = Memo::new(move |_| {
        let needle = search.get().trim().to_ascii_lowercase();
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for f in catalog.flags_in(version.get()) {
            if f.name == "model" {
                continue;
            }
            if !needle.is_empty()
                && !f.name.contains(&needle)
                && !f.description.to_ascii_lowercase().contains(&needle)
            {
                continue;
            }
            match groups.iter_mut().find(|(g, _)| *g == f.group) {
                Some((_, list)) => list.push(f.name.clone()),
                None => groups.push((f.group.clone(), vec![f.name.clone()])),
            }
        }
        groups
    });
    let count = Memo::new(move |_| groups.with(|g| g.iter().map(|(_, l)| l.len()).sum::<usize>()));
    view! {
        <section class="card" aria-labelledby="all-title">
            <h2 id="all-title">"All flags of vLLM " {move || version.get().to_string()}</h2>
            <label class="search">
                <span>"Filter flags by name or description"</span>
                <input
                    type="search"
                    data-testid="flag-search"
                    placeholder="e.g. prefix, lora, cache"
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </label>
            <p class="muted" data-testid="flag-count">
                {move || format!("{} flags", count.get())}
            </p>
            {move || {
                let searching = !search.with(|s| s.trim().is_empty());
                groups
                    .get()
                    .into_iter()
                    .map(|(group, names)| {
                        view! { <FlagGroup group=group names=names open=searching /> }
                    })
                    .collect_view()
            }}
        </section>
    }
}

/// A collapsible group; its fields are only built while it is open.
#[component]
fn FlagGroup(group: String, names: Vec<String>, open: bool) -> impl IntoView {
    let is_open = RwSignal::new(open);
    let n = names.len();
    let slug = group
        .to_ascii_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    view! {
        <details
            class="group"
            data-testid=format!("group-{slug}")
            prop:open=open
            on:toggle=move |ev| is_open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())
        >
            <summary>{group} " " <span class="muted">"(" {n} ")"</span></summary>
            {move || {
                is_open
                    .get()
                    .then(|| {
                        names.iter().map(|f| view! { <FlagField name=f.clone() /> }).collect_view()
                    })
            }}
        </details>
    }
}

/// Flags set in the profile that the selected release does not accept (removed, not yet added,
/// unknown): kept and shown so nothing is dropped silently.
#[component]
pub fn ForeignFlags() -> impl IntoView {
    let s = studio();
    let catalog = Catalog::get();
    let foreign = Memo::new(move |_| {
        s.profile.with(|p| {
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
