//! The figures of the memory estimate: the stacked bar against the card, each part in GiB, KV
//! capacity, concurrency, the binding limit and the smallest TP. Built once; every figure follows
//! the estimate on its own, so a keystroke updates text and attributes, not the whole card.
use super::memory_bar::{layout, EMPTY_PART, PARTS};
use super::state::studio;
use leptos::prelude::*;
use studio_core::memory::{binding_limit, smallest_fitting_tp, Estimate};
use studio_core::rules::{derived_max_len, Inputs};

/// The bar and the table of the current estimate (shown while there is one).
#[component]
pub fn MemoryFigures() -> impl IntoView {
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
    // Data-parallel replicas each hold their own KV cache (the figures are per GPU of one).
    let replicas = Memo::new(move |_| {
        s.effective
            .with(|p| p.int("data-parallel-size").unwrap_or(1).max(1) as u64)
    });
    let several = Memo::new(move |_| replicas.get() > 1);
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
    view! {
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
        <div class="table-wrap">
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
                    <td>{figure(|e| format!("{:.2} / {:.2} GiB", e.total_gib, e.usable_gib))}</td>
                </tr> <tr>
                    <td>"KV cache capacity"</td>
                    <td>
                        <span data-testid="kv-tokens">{figure(|e| e.kv_tokens.to_string())}</span>
                        " tokens ("
                        {figure(|e| e.kv_bytes_per_token.to_string())}
                        " B/token)"
                    </td>
                </tr> <tr>
                    <td>{figure(|e| format!("Concurrency at {} tokens", e.max_model_len))}</td>
                    <td data-testid="max-concurrency">
                        {figure(|e| format!("{:.2}", e.max_concurrency))}
                    </td>
                </tr> <Show when=move || several.get()>
                    <tr data-testid="dp-total">
                        <td>{move || format!("All {} data-parallel replicas", replicas.get())}</td>
                        <td>
                            {move || {
                                s.estimate
                                    .with(|e| {
                                        e.as_ref()
                                            .map(|e| {
                                                let n = replicas.get();
                                                format!(
                                                    "{} tokens, {:.2}× concurrency",
                                                    e.kv_tokens * n,
                                                    e.max_concurrency * n as f64,
                                                )
                                            })
                                            .unwrap_or_default()
                                    })
                            }}
                        </td>
                    </tr>
                </Show> <tr>
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
        </div>
        <p data-testid="fit-verdict" data-verdict=figure(|e| e.verdict.id().into()) class="muted">
            {figure(|e| format!("Memory: {}", e.verdict.describe()))}
        </p>
    }
}
