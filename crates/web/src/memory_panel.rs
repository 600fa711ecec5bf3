//! The per-GPU memory card: the one start verdict (validation and memory together), the
//! estimate's figures, and a config.json box for models the catalog lacks.
use super::memory_band::MemoryBand;
use super::memory_figures::MemoryFigures;
use super::model_config_box::ModelConfigBox;
use super::state::studio;
use leptos::prelude::*;

/// The memory card.
#[component]
pub fn MemoryPanel() -> impl IntoView {
    let s = studio();
    let verdict = s.verdict;
    view! {
        <section class="card" aria-labelledby="memory-title">
            <h2 id="memory-title">"Memory per GPU"</h2>
            <p
                data-testid="start-verdict"
                data-verdict=move || verdict.with(|v| v.id())
                class:ok=move || verdict.with(|v| v.id() == "starts")
                class:bad=move || verdict.with(|v| matches!(v.id(), "refused" | "fails"))
            >
                {move || verdict.with(|v| v.describe())}
            </p>
            // Built once; every figure below follows the estimate on its own (a keystroke
            // updates text and attributes, it does not rebuild the card).
            <Show
                when=move || s.estimate.with(Option::is_some)
                fallback=|| {
                    view! {
                        <p class="muted" data-testid="mem-unknown">
                            "No estimate: unknown model (paste its config.json below) or unknown GPU memory."
                        </p>
                    }
                }
            >
                <MemoryFigures />
                <MemoryBand />
            </Show>
            <ModelConfigBox />
        </section>
    }
}
