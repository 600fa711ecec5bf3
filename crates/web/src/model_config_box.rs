//! The config.json box: a model the catalog lacks gets its architecture from the pasted file.
use super::state::studio;
use leptos::prelude::*;
use studio_core::models::from_config_json;

/// A textarea for a Hugging Face config.json, its error, and what was read from it.
#[component]
pub fn ModelConfigBox() -> impl IntoView {
    let s = studio();
    let config_error = RwSignal::new(None::<String>);
    let on_config = move |ev| {
        let text = event_target_value(&ev);
        if text.trim().is_empty() {
            config_error.set(None);
            s.pasted_model.set(None);
            return;
        }
        match from_config_json(&s.profile.with_untracked(|p| p.model_id()), &text) {
            Ok(m) => {
                config_error.set(None);
                s.pasted_model.set(Some(m))
            }
            Err(e) => config_error.set(Some(e)),
        }
    };
    view! {
        <details>
            <summary>"Model not in the catalog? Paste its config.json"</summary>
            <textarea
                data-testid="model-config"
                rows="4"
                spellcheck="false"
                aria-label="Hugging Face config.json"
                on:input=on_config
            ></textarea>
            {move || {
                config_error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" role="alert" data-testid="model-config-error">
                                {e}
                            </p>
                        }
                    })
            }}
            {move || {
                s.pasted_model
                    .with(|m| {
                        m.as_ref()
                            .map(|m| {
                                format!(
                                    "Using pasted architecture: {} layers, {} heads, {} KV heads, head_dim {}",
                                    m.layers,
                                    m.heads,
                                    m.kv_heads,
                                    m.head_dim,
                                )
                            })
                    })
            }}
        </details>
    }
}
