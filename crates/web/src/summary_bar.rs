//! The strip under the title: the score, the one start verdict and "Fix all", reached in two
//! Tab presses and kept in view on narrow screens (sticky, main.css) while the form scrolls.
use super::fix_all::FixAll;
use super::state::studio;
use leptos::prelude::*;

/// The summary strip.
#[component]
pub fn SummaryBar() -> impl IntoView {
    let s = studio();
    let verdict = s.verdict;
    view! {
        <div class="summary-bar" data-testid="summary-bar" role="region" aria-label="Summary">
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
        </div>
    }
}
