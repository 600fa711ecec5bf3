//! The strip under the title: the score, the one start verdict and "Fix all", reached in two
//! Tab presses and kept in view on narrow screens (sticky, main.css) while the form scrolls.
use super::fix_all::FixAll;
use super::state::studio;
use leptos::prelude::*;

/// The summary strip.
#[component]
pub fn SummaryBar() -> impl IntoView {
    let s = studio();
    // Until the first checks ran (the app's second task) the strip holds its place with the
    // same elements, so the form below it does not move when they arrive.
    let checking = || {
        view! {
            <span class="summary-score">"…"</span>
            <span class="summary-verdict">"Checking…"</span>
            <div class="fix-all">
                <button type="button" disabled=true>
                    "Fix all"
                </button>
            </div>
        }
    };
    view! {
        <div class="summary-bar" data-testid="summary-bar" role="region" aria-label="Summary">
            <Show when=move || s.started.get() fallback=checking>
                <Checked />
            </Show>
        </div>
    }
}

/// The score, the verdict and "Fix all", once the checks have run.
#[component]
fn Checked() -> impl IntoView {
    let s = studio();
    let verdict = s.verdict;
    view! {
        <a class="summary-score" href="#score-title" data-testid="summary-score">
            {move || {
                s.score
                    .with(|x| {
                        format!("{} %{}", x.overall, if x.partial { " (partial)" } else { "" })
                    })
            }}
        </a>
        <span
            class="summary-verdict"
            data-testid="summary-verdict"
            class:ok=move || verdict.with(|v| v.id() == "starts")
            class:bad=move || verdict.with(|v| matches!(v.id(), "refused" | "fails"))
            title=move || verdict.with(|v| v.describe())
        >
            {move || {
                verdict
                    .with(|v| match v.id() {
                        "starts" => "Starts",
                        "starts-partial" => "Starts (some checks could not run)",
                        "refused" => "vLLM refuses the arguments",
                        _ => "vLLM does not start",
                    })
            }}
        </span>
        <FixAll />
    }
}
