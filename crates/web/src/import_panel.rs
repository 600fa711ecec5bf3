//! Importing an existing compose file: paste, pick or drop. A broken file shows where it breaks
//! and leaves the current profile as it was.
use super::persistence;
use super::state::studio;
use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::compose::import_any;
use studio_core::compose::interpolate::Env;
use studio_core::storage::Snapshot;
use studio_core::{limits, link};

/// The import card.
#[component]
pub fn ImportPanel(
    /// The saved snapshots: the profile an import replaces is kept there as "before import".
    snapshots: RwSignal<Vec<Snapshot>>,
) -> impl IntoView {
    let s = studio();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // What the last import noted, shown under its button until dismissed.
    let notes = RwSignal::new(Vec::<String>::new());
    // The vLLM services of the last imported file, when it has more than one.
    let services = RwSignal::new(Vec::<String>::new());
    let import = move |service: Option<String>| {
        let current = s.profile.get_untracked();
        let env = s.dotenv.with_untracked(|t| Env::from_dotenv(t));
        match import_any(&text.get_untracked(), &current, service.as_deref(), &env) {
            Ok(imported) => {
                error.set(None);
                notes.set(imported.notes.clone());
                services.set(if imported.vllm_services.len() > 1 {
                    imported.vllm_services.clone()
                } else {
                    Vec::new()
                });
                // What the import replaces survives a reload (and can be a diff base).
                snapshots.update(|l| {
                    l.retain(|x| x.name != "before import");
                    l.push(Snapshot {
                        name: "before import".into(),
                        query: link::encode(&current),
                    });
                });
                snapshots.with_untracked(|l| persistence::save_snapshots(l));
                s.origin.set(Some(imported.origin));
                s.replace(imported.profile);
            }
            Err(e) => {
                notes.set(Vec::new());
                error.set(Some(format!(
                    "Not imported — {e}. Your current profile is unchanged."
                )))
            }
        }
    };
    let apply = move || import(None);
    let read_file = move |file: web_sys::File| {
        // Refused before it is read: a huge file would freeze the tab while loading.
        if file.size() > limits::MAX_DOCUMENT_BYTES as f64 {
            error.set(Some(format!(
                "Not imported — {} is {} bytes; files over {} MiB are not read. Your current \
                    profile is unchanged.",
                file.name(),
                file.size(),
                limits::MAX_DOCUMENT_BYTES >> 20
            )));
            return;
        }
        spawn_local(async move {
            if let Ok(v) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                text.set(v.as_string().unwrap_or_default());
                apply();
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">"Import a compose file"</h2>
            <label for="import-input" class="muted">
                "Paste a docker-compose file, a docker run / vllm serve line or a vLLM --config file (or drop one here)"
            </label>
            <textarea
                id="import-input"
                data-testid="import-input"
                rows="6"
                spellcheck="false"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:dragover=move |ev| ev.prevent_default()
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    if let Some(f) = ev
                        .data_transfer()
                        .and_then(|d| d.files())
                        .and_then(|f| f.get(0))
                    {
                        read_file(f)
                    }
                }
            ></textarea>
            <div class="row">
                <button type="button" data-testid="import-apply" on:click=move |_| apply()>
                    "Import"
                </button>
                <label class="file">
                    "or choose a file "
                    <input
                        type="file"
                        data-testid="import-file"
                        accept=".yml,.yaml,text/yaml"
                        on:change=move |ev| {
                            let input = event_target::<web_sys::HtmlInputElement>(&ev);
                            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                                read_file(f)
                            }
                        }
                    />
                </label>
            </div>
            <Show when=move || notes.with(|n| !n.is_empty())>
                <div class="notice" role="status">
                    <ul class="notices" data-testid="import-notices">
                        {move || {
                            notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()
                        }}
                    </ul>
                    <button
                        type="button"
                        data-testid="import-notices-dismiss"
                        on:click=move |_| notes.set(Vec::new())
                    >
                        "Dismiss"
                    </button>
                </div>
            </Show>
            <label for="env-input" class="muted">
                "Variables for ${VAR} (.env lines; kept in this tab only, never saved)"
            </label>
            <textarea
                id="env-input"
                data-testid="env-input"
                rows="2"
                spellcheck="false"
                prop:value=move || s.dotenv.get()
                on:input=move |ev| s.dotenv.set(event_target_value(&ev))
            ></textarea>
            <Show when=move || services.with(|l| !l.is_empty())>
                <label for="service-picker">
                    "vLLM service to edit (the others stay as they are) "
                </label>
                <select
                    id="service-picker"
                    data-testid="service-picker"
                    prop:value=move || s.origin.with(|o| o.as_ref().map(|o| o.service.clone()))
                    on:change=move |ev| import(Some(event_target_value(&ev)))
                >
                    {move || {
                        services
                            .get()
                            .into_iter()
                            .map(|name| {
                                let label = name.clone();
                                view! { <option value=name>{label}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </Show>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" role="alert" data-testid="import-error">
                                {e}
                            </p>
                        }
                    })
            }}
        </section>
    }
}
