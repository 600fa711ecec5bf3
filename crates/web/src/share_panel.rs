//! The share link, and what loading one could not apply.
use super::dom;
use super::outputs::CopyButton;
use super::state::studio;
use leptos::prelude::*;

/// The share-link card and what opening the page changed (a link's keys, the draft).
#[component]
pub fn SharePanel() -> impl IntoView {
    let s = studio();
    let url = Memo::new(move |_| format!("{}?{}", dom::page_base(), s.query.get()));
    view! {
        <section class="card" aria-labelledby="share-title">
            <h2 id="share-title">"Share link"</h2>
            <p class="muted">"Opens exactly this profile; secrets are never included."</p>
            <input
                type="text"
                readonly
                data-testid="share-link"
                aria-label="Share link"
                prop:value=move || url.get()
            />
            <CopyButton text=url label="Copy link" testid="copy-link" />
            <Show when=move || s.notices.with(|n| !n.is_empty())>
                <ul class="notices" data-testid="notices">
                    {move || {
                        s.notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()
                    }}
                </ul>
                <button
                    type="button"
                    data-testid="notices-dismiss"
                    on:click=move |_| s.notices.set(vec![])
                >
                    "Dismiss"
                </button>
            </Show>
        </section>
    }
}
