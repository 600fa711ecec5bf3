//! "Fit to my GPUs": the configurations that start on the chosen GPUs and meet a goal, ranked,
//! each applied in one click (one undo step). Computed only while the panel is open.
use super::state::studio;
use leptos::prelude::*;
use studio_core::fit::{fit, Configuration, Goal};
use studio_core::link;

/// The fit card.
#[component]
pub fn FitPanel() -> impl IntoView {
    let s = studio();
    let open = RwSignal::new(false);
    let largest = RwSignal::new(false);
    let context = RwSignal::new(
        s.effective
            .with_untracked(|p| p.int("max-model-len").filter(|n| *n > 0))
            .map(|n| n.to_string())
            .unwrap_or_else(|| "32768".into()),
    );
    let concurrency = RwSignal::new("1".to_string());
    let goal = Memo::new(move |_| {
        let c = concurrency.with(|t| t.trim().parse::<u64>().ok().filter(|c| *c > 0))?;
        if largest.get() {
            return Some(Goal {
                context: None,
                concurrency: c,
            });
        }
        let n = context.with(|t| t.trim().parse::<u64>().ok().filter(|n| *n > 0))?;
        Some(Goal {
            context: Some(n),
            concurrency: c,
        })
    });
    let result = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        let goal = goal.get()?;
        Some(
            s.pasted_model
                .with(|m| s.effective.with(|p| fit(p, m.as_ref(), goal))),
        )
    });
    let apply = move |c: &Configuration| {
        let changes = c.changes.clone();
        s.edit(move |p| {
            for (k, v) in &changes {
                let _ = link::apply_key(p, k, v);
            }
        });
    };
    view! {
        <details
            class="card"
            data-testid="fit-panel"
            on:toggle=move |ev| {
                open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())
            }
        >
            <summary>
                <h2>"Fit to my GPUs"</h2>
            </summary>
            <p class="muted">
                "Configurations that start on these GPUs with the goal met, cheapest first: an fp8 KV cache costs a little accuracy, gpu-memory-utilization 0.95 leaves less spare memory, more tensor-parallel ranks cost communication, fewer sequences cost throughput."
            </p>
            <div class="fit-goal">
                <label>
                    "Tokens per request "
                    <input
                        type="number"
                        min="1"
                        data-testid="fit-context"
                        prop:value=move || context.get()
                        prop:disabled=move || largest.get()
                        on:input=move |ev| context.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    <input
                        type="checkbox"
                        data-testid="fit-largest"
                        prop:checked=move || largest.get()
                        on:change=move |ev| largest.set(event_target_checked(&ev))
                    />
                    " largest that fits"
                </label>
                <label>
                    "Concurrent requests "
                    <input
                        type="number"
                        min="1"
                        data-testid="fit-concurrency"
                        prop:value=move || concurrency.get()
                        on:input=move |ev| concurrency.set(event_target_value(&ev))
                    />
                </label>
            </div>
            {move || match result.get() {
                None if open.get() => {
                    view! { <p class="bad">"Enter whole numbers above 0."</p> }.into_any()
                }
                None => ().into_any(),
                Some(f) if f.configurations.is_empty() => {
                    view! {
                        <p class="bad" data-testid="fit-none">
                            {format!("Nothing fits: {}.", f.none_fits.unwrap_or_default())}
                        </p>
                    }
                        .into_any()
                }
                Some(f) => {
                    view! {
                        <ol class="fit-list" data-testid="fit-list">
                            {f
                                .configurations
                                .into_iter()
                                .map(|c| {
                                    let label = c
                                        .changes
                                        .iter()
                                        .map(|(k, v)| format!("{k}={v}"))
                                        .collect::<Vec<_>>()
                                        .join(" ");
                                    let figures = format!(
                                        "{} KV tokens · {:.2}× concurrency · {:.2} GiB headroom",
                                        c.kv_tokens,
                                        c.max_concurrency,
                                        c.headroom_gib,
                                    );
                                    let why = c.why.clone();
                                    view! {
                                        <li data-testid="fit-option">
                                            <code>{label}</code>
                                            <span class="muted">{format!(" — {figures}")}</span>
                                            <p class="why">{why}</p>
                                            <button
                                                type="button"
                                                data-testid="fit-apply"
                                                on:click=move |_| apply(&c)
                                            >
                                                "Apply"
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                        .into_any()
                }
            }}
        </details>
    }
}
