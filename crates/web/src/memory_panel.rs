//! The per-GPU memory estimate: a stacked bar against the card's memory, the figures, token
//! capacity, concurrency, the binding limit, the one start verdict (validation and memory
//! together), and a config.json box for models the catalog lacks.
use super::model_config_box::ModelConfigBox;
use super::state::studio;
use leptos::prelude::*;
use studio_core::memory::{binding_limit, smallest_fitting_tp};
use studio_core::rules::{derived_max_len, start_verdict, Inputs};

/// (label, value GiB, css class, test id) of the bar's parts.
fn parts(
    e: &studio_core::memory::Estimate,
) -> Vec<(&'static str, f64, &'static str, &'static str)> {
    let unused = (e.total_gib
        - e.weights_gib
        - e.activation_gib
        - e.non_torch_gib
        - e.cuda_graph_gib
        - e.kv_cache_gib)
        .max(0.0);
    vec![
        ("Weights", e.weights_gib, "w", "mem-weights"),
        ("Activations", e.activation_gib, "a", "mem-activation"),
        ("Non-torch", e.non_torch_gib, "n", "mem-non-torch"),
        ("CUDA graphs", e.cuda_graph_gib, "g", "mem-cuda-graph"),
        ("KV cache", e.kv_cache_gib, "k", "mem-kv"),
        ("Unused headroom", unused, "u", "mem-unused"),
    ]
}

/// The memory card.
#[component]
pub fn MemoryPanel() -> impl IntoView {
    let s = studio();
    let extra = Memo::new(move |_| {
        s.pasted_model.with(|m| {
            s.effective.with(|p| {
                let inputs = Inputs::new(p, m.as_ref());
                let derived = inputs.model.map(|m| derived_max_len(p, m));
                (smallest_fitting_tp(&inputs), derived)
            })
        })
    });
    // One start verdict, from the validation and the memory together.
    let verdict = Memo::new(move |_| {
        s.findings
            .with(|f| s.coverage.with(|c| start_verdict(f, c)))
    });
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
            {move || match s.estimate.get() {
                None => {
                    view! {
                        <p class="muted" data-testid="mem-unknown">
                            "No estimate: unknown model (paste its config.json below) or unknown GPU memory."
                        </p>
                    }
                        .into_any()
                }
                Some(e) => {
                    let total = e
                        .total_gib
                        .max(
                            e.weights_gib + e.activation_gib + e.non_torch_gib + e.cuda_graph_gib
                                + e.kv_cache_gib,
                        );
                    let mut x = 0.0;
                    let bars = parts(&e)
                        .into_iter()
                        .map(|(label, gib, class, _)| {
                            let w = if total > 0.0 { gib / total * 100.0 } else { 0.0 };
                            let rect = view! {
                                <rect
                                    x=format!("{x:.3}")
                                    y="0"
                                    width=format!("{w:.3}")
                                    height="24"
                                    class=format!("seg {class}")
                                >
                                    <title>{format!("{label}: {gib:.2} GiB")}</title>
                                </rect>
                            };
                            x += w;
                            rect
                        })
                        .collect_view();
                    let (tp, derived) = extra.get();
                    let largest = derived.map(|d| binding_limit(&e, d));
                    view! {
                        <svg
                            class="membar"
                            viewBox="0 0 100 24"
                            preserveAspectRatio="none"
                            role="img"
                            data-testid="mem-bar"
                            aria-label=format!(
                                "{:.2} GiB card: weights {:.2}, activations {:.2}, non-torch {:.2}, CUDA graphs {:.2}, KV cache {:.2} GiB",
                                e.total_gib,
                                e.weights_gib,
                                e.activation_gib,
                                e.non_torch_gib,
                                e.cuda_graph_gib,
                                e.kv_cache_gib,
                            )
                        >
                            {bars}
                        </svg>
                        <table class="mem">
                            {parts(&e)
                                .into_iter()
                                .map(|(label, gib, class, id)| {
                                    view! {
                                        <tr>
                                            <td>
                                                <span class=format!("swatch {class}")></span>
                                                {label}
                                            </td>
                                            <td data-testid=id>{format!("{gib:.2} GiB")}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()} <tr>
                                <td>"Seen by vLLM / usable"</td>
                                <td>{format!("{:.2} / {:.2} GiB", e.total_gib, e.usable_gib)}</td>
                            </tr> <tr>
                                <td>"KV cache capacity"</td>
                                <td>
                                    <span data-testid="kv-tokens">{e.kv_tokens.to_string()}</span>
                                    " tokens ("
                                    {e.kv_bytes_per_token.to_string()}
                                    " B/token)"
                                </td>
                            </tr> <tr>
                                <td>{format!("Concurrency at {} tokens", e.max_model_len)}</td>
                                <td data-testid="max-concurrency">
                                    {format!("{:.2}", e.max_concurrency)}
                                </td>
                            </tr> <tr>
                                <td>"Longest max-model-len that starts"</td>
                                <td
                                    data-testid="binding-limit"
                                    data-limit=largest.map(|(_, l)| l.id()).unwrap_or_default()
                                >
                                    {largest
                                        .map(|(n, l)| format!("{n}, bound by {}", l.describe()))
                                        .unwrap_or_else(|| "—".into())}
                                </td>
                            </tr> <tr>
                                <td>"Smallest TP that fits"</td>
                                <td>
                                    {tp
                                        .map(|t| t.to_string())
                                        .unwrap_or_else(|| "none within these GPUs".into())}
                                </td>
                            </tr>
                        </table>
                        <p data-testid="fit-verdict" data-verdict=e.verdict.id() class="muted">
                            {format!("Memory: {}", e.verdict.describe())}
                        </p>
                    }
                        .into_any()
                }
            }}
            <ModelConfigBox />
        </section>
    }
}
