//! Every flag of the selected release in vLLM's own groups: collapsible, searchable the way
//! people type (core `flag_search`), and filterable to the flags changed from vLLM's default.
use super::flag_field::FlagField;
use super::state::studio;
use leptos::prelude::*;
use studio_core::catalog::Catalog;
use studio_core::flag_search::{Query, Searchable};
use studio_core::profile::Profile;

/// Every flag of the selected release, grouped.
#[component]
pub fn AllFlags() -> impl IntoView {
    let s = studio();
    let catalog = Catalog::get();
    let search = RwSignal::new(String::new());
    let changed_only = RwSignal::new(false);
    let version = s.version;
    // Flags the profile sets to something other than vLLM's default (followed only while the
    // filter is on, and one task after a keystroke).
    let changed = Memo::new(move |_| {
        if !changed_only.get() {
            return None;
        }
        Some(s.settled.with(|p| {
            p.args
                .iter()
                .filter(|a| !Profile::is_default_value(&a.name, &a.value))
                .map(|a| a.name.clone())
                .collect::<std::collections::HashSet<_>>()
        }))
    });
    // The release's flags with their texts normalized for the search, once per release (the
    // filter and Enter's best match both rank these).
    let searchable = Memo::new(move |_| {
        catalog
            .flags_in(version.get())
            .filter(|f| f.name != "model")
            .map(Searchable::new)
            .collect::<Vec<_>>()
    });
    // The groups and their flags for the release and the filters, recomputed only when those change.
    let groups = Memo::new(move |_| {
        let query = search.with(|typed| Query::new(typed));
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for f in searchable.read().iter() {
            if f.rank(&query).is_none() {
                continue;
            }
            let f = f.flag;
            if changed.with(|c| c.as_ref().is_some_and(|c| !c.contains(&f.name))) {
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
    let group_names = Memo::new(move |_| {
        groups.with(|g| g.iter().map(|(group, _)| group.clone()).collect::<Vec<_>>())
    });
    let searching = Memo::new(move |_| !search.with(|s| s.trim().is_empty()) || changed_only.get());
    view! {
        <section class="card all-flags" aria-labelledby="all-title">
            <h2 id="all-title">"All flags of vLLM " {move || version.get().to_string()}</h2>
            <label class="search">
                <span>"Filter flags by name or description"</span>
                <input
                    type="search"
                    data-testid="flag-search"
                    placeholder="e.g. prefix caching, max_num_seqs, context"
                    on:input=move |ev| search.set(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        if matches!(ev.key().as_str(), "Enter" | "ArrowDown") {
                            ev.prevent_default();
                            let query = search.with_untracked(|typed| Query::new(typed));
                            searchable.with_untracked(|flags| focus_best_result(flags, &query));
                        }
                    }
                />
            </label>
            <label>
                <input
                    type="checkbox"
                    data-testid="flag-changed-only"
                    on:change=move |ev| changed_only.set(event_target_checked(&ev))
                />
                " only flags changed from vLLM's default"
            </label>
            <p class="muted" data-testid="flag-count">
                {move || match count.get() {
                    1 => "1 flag".to_string(),
                    n => format!("{n} flags"),
                }}
            </p>
            // Keyed by group, and each group's fields by flag: a keystroke in the search adds
            // and removes the rows that enter or leave the results, nothing else.
            <For each=move || group_names.get() key=|group| group.clone() let:group>
                <FlagGroup group groups searching />
            </For>
        </section>
    }
}

/// Enter or ↓ in the search box moves to the field of the best match (its name before its help
/// text), else the first field shown.
fn focus_best_result(flags: &[Searchable], query: &Query) {
    use wasm_bindgen::JsCast;
    let best = flags
        .iter()
        .filter_map(|f| f.rank(query).map(|r| (r, &f.flag.name)))
        .min()
        .map(|(_, name)| format!("[data-testid=\"param-{name}\"]"));
    let results = "section[aria-labelledby=all-title]";
    let first = best
        .and_then(|b| {
            document()
                .query_selector(&format!("{results} {b}"))
                .ok()
                .flatten()
        })
        .or_else(|| {
            document()
                .query_selector(&format!("{results} .field :is(input, select, textarea)"))
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(e) = first {
        let _ = e.focus();
    }
}

/// A collapsible group; its fields are only built while it is open.
#[component]
fn FlagGroup(
    /// vLLM's name of the group.
    group: String,
    /// The groups and their flags shown for the filters (this group's are picked out).
    groups: Memo<Vec<(String, Vec<String>)>>,
    /// Whether a search or filter is on: it opens every group so the results show, and
    /// clearing it closes them again.
    searching: Memo<bool>,
) -> impl IntoView {
    let slug = group
        .to_ascii_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let names = {
        let group = group.clone();
        Memo::new(move |_| {
            groups.with(|g| {
                g.iter()
                    .find(|(name, _)| *name == group)
                    .map(|(_, list)| list.clone())
                    .unwrap_or_default()
            })
        })
    };
    let is_open = RwSignal::new(searching.get_untracked());
    Effect::watch(
        move || searching.get(),
        move |on, _, _| is_open.set(*on),
        false,
    );
    view! {
        <details
            class="group"
            data-testid=format!("group-{slug}")
            prop:open=is_open
            on:toggle=move |ev| {
                let now = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                if is_open.get_untracked() != now {
                    is_open.set(now);
                }
            }
        >
            <summary>
                {group} " " <span class="muted">"(" {move || names.with(Vec::len)} ")"</span>
            </summary>
            {move || {
                is_open
                    .get()
                    .then(|| {
                        view! {
                            <For each=move || names.get() key=|name| name.clone() let:name>
                                <FlagField name />
                            </For>
                        }
                    })
            }}
        </details>
    }
}
