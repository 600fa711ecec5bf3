//! How far the memory estimate can be trusted: the range real startups of its class put the KV
//! cache in, how sure the verdict is, and the warnings the figures alone do not show (CUDA
//! graphs outside the budget, more than the card holds, an untested class).
use super::state::studio;
use leptos::prelude::*;

/// The band, the verdict's confidence and the estimate's warnings (shown with the figures).
#[component]
pub fn MemoryBand() -> impl IntoView {
    let s = studio();
    let band = Memo::new(move |_| {
        s.estimate.with(|e| {
            e.as_ref().map(|e| {
                (
                    format!(
                        "{:.2}–{:.2} GiB ({})",
                        e.kv_cache_gib_low, e.kv_cache_gib_high, e.class
                    ),
                    e.confidence.id(),
                )
            })
        })
    });
    let warnings = Memo::new(move |_| {
        s.estimate
            .with(|e| e.as_ref().map(|e| e.warnings()).unwrap_or_default())
    });
    view! {
        <p
            class="muted"
            data-testid="kv-band"
            data-confidence=move || band.with(|b| b.as_ref().map(|b| b.1).unwrap_or_default())
        >
            "KV cache range from real startups: "
            {move || band.with(|b| b.as_ref().map(|b| b.0.clone()).unwrap_or_default())}
        </p>
        <ul class="warnings" data-testid="mem-warnings">
            <For each=move || warnings.get() key=|w| w.clone() let:warning>
                <li class="warn">{warning}</li>
            </For>
        </ul>
    }
}
