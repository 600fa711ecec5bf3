//! The per-GPU memory estimate: a stacked bar against the card's memory, the figures, token
//! capacity, concurrency, the binding limit, the one start verdict (validation and memory
//! together), and a config.json box for models the catalog lacks.
use super::model_config_box::ModelConfigBox;
use super::state::studio;
use leptos::prelude::*;
use studio_core::memory::{binding_limit, smallest_fitting_tp, Estimate};
use studio_core::rules::{derived_max_len, start_verdict, Inputs};

/// (label, value GiB, css class, test id) of the bar's parts.
fn parts(e: &Estimate) -> Vec<(&'static str, f64, &'static str, &'static str)> {
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

/// The number of parts of the bar.
const PARTS: usize = 6;

/// One part of the bar as drawn: (x, width, class, title, label, test id, GiB).
type Part = (
    f64,
    f64,
    &'static str,
    String,
    &'static str,
    &'static str,
    f64,
);

const EMPTY_PART: Part = (0.0, 0.0, "", String::new(), "", "", 0.0);

/// The bar's parts laid out over the larger of the card and what is used.
fn layout(e: &Estimate) -> Vec<Part> {
    let total = e.total_gib.max(
        e.weights_gib + e.activation_gib + e.non_torch_gib + e.cuda_graph_gib + e.kv_cache_gib,
    );
    let mut x = 0.0;
    parts(e)
        .into_iter()
        .map(|(label, gib, class, id)| {
            let w = if total > 0.0 {
                gib / total * 100.0
            } else {
                0.0
            };
            let part = (
                x,
                w,
                class,
                format!("{label}: {gib:.2} GiB"),
                label,
                id,
                gib,
            );
            x += w;
            part
        })
        .collect()
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
    // A figure of the estimate as text (empty while there is none).
    let figure = move |f: fn(&Estimate) -> String| {
        move || s.estimate.with(|e| e.as_ref().map(f).unwrap_or_default())
    };
    // (x, width, class, title, label, test id, GiB) of each part of the bar.
    let bars = Memo::new(move |_| {
        s.estimate.with(|e| {
            e.as_ref()
                .map(layout)
                .unwrap_or_else(|| vec![EMPTY_PART; PARTS])
        })
    });
    let longest = Memo::new(move |_| {
        s.estimate.with(|e| {
            let derived = extra.with(|(_, d)| *d)?;
            e.as_ref().map(|e| binding_limit(e, derived))
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
                <svg
                    class="membar"
                    viewBox="0 0 100 24"
                    preserveAspectRatio="none"
                    role="img"
                    data-testid="mem-bar"
                    aria-label=figure(|e| {
                        format!(
                            "{:.2} GiB card: weights {:.2}, activations {:.2}, non-torch {:.2}, CUDA graphs {:.2}, KV cache {:.2} GiB",
                            e.total_gib,
                            e.weights_gib,
                            e.activation_gib,
                            e.non_torch_gib,
                            e.cuda_graph_gib,
                            e.kv_cache_gib,
                        )
                    })
                >
                    {(0..PARTS)
                        .map(|i| {
                            view! {
                                <rect
                                    x=move || bars.with(|b| format!("{:.3}", b[i].0))
                                    y="0"
                                    width=move || bars.with(|b| format!("{:.3}", b[i].1))
                                    height="24"
                                    class=move || bars.with(|b| format!("seg {}", b[i].2))
                                >
                                    <title>{move || bars.with(|b| b[i].3.clone())}</title>
                                </rect>
                            }
                        })
                        .collect_view()}
                </svg>
                <table class="mem">
                    {(0..PARTS)
                        .map(|i| {
                            view! {
                                <tr>
                                    <td>
                                        <span class=move || {
                                            bars.with(|b| format!("swatch {}", b[i].2))
                                        }></span>
                                        {move || bars.with(|b| b[i].4)}
                                    </td>
                                    <td data-testid=move || {
                                        bars.with(|b| b[i].5)
                                    }>{move || bars.with(|b| format!("{:.2} GiB", b[i].6))}</td>
                                </tr>
                            }
                        })
                        .collect_view()} <tr>
                        <td>"Seen by vLLM / usable"</td>
                        <td>
                            {figure(|e| format!("{:.2} / {:.2} GiB", e.total_gib, e.usable_gib))}
                        </td>
                    </tr> <tr>
                        <td>"KV cache capacity"</td>
                        <td>
                            <span data-testid="kv-tokens">
                                {figure(|e| e.kv_tokens.to_string())}
                            </span>
                            " tokens ("
                            {figure(|e| e.kv_bytes_per_token.to_string())}
                            " B/token)"
                        </td>
                    </tr> <tr>
                        <td>{figure(|e| format!("Concurrency at {} tokens", e.max_model_len))}</td>
                        <td data-testid="max-concurrency">
                            {figure(|e| format!("{:.2}", e.max_concurrency))}
                        </td>
                    </tr> <tr>
                        <td>"Longest max-model-len that starts"</td>
                        <td
                            data-testid="binding-limit"
                            data-limit=move || {
                                longest.with(|l| l.map(|(_, l)| l.id()).unwrap_or_default())
                            }
                        >
                            {move || {
                                longest
                                    .with(|l| {
                                        l.map(|(n, l)| format!("{n}, bound by {}", l.describe()))
                                            .unwrap_or_else(|| "—".into())
                                    })
                            }}
                        </td>
                    </tr> <tr>
                        <td>"Smallest TP that fits"</td>
                        <td>
                            {move || {
                                extra
                                    .with(|(tp, _)| {
                                        tp.map(|t| t.to_string())
                                            .unwrap_or_else(|| "none within these GPUs".into())
                                    })
                            }}
                        </td>
                    </tr>
                </table>
                <p
                    data-testid="fit-verdict"
                    data-verdict=figure(|e| e.verdict.id().into())
                    class="muted"
                >
                    {figure(|e| format!("Memory: {}", e.verdict.describe()))}
                </p>
            </Show>
            <ModelConfigBox />
        </section>
    }
}
