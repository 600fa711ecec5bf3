//! The release and hardware the profile is checked against.
use super::field_error::FieldError;
use super::state::studio;
use leptos::prelude::*;
use studio_core::gpu::{gpus, UNSTATED_GPU};
use studio_core::version::{nearest_sampled, releases, selectable, Version};

/// vLLM release, GPU model, GPU count and an optional memory override.
#[component]
pub fn HardwareBar() -> impl IntoView {
    let s = studio();
    // Memoized: each control is written only when its value changes, not on every keystroke.
    let version_text = Memo::new(move |_| s.version.get().to_string());
    let gpu_id = Memo::new(move |_| s.settled.with(|p| p.hardware.gpu.clone()));
    let count_text = Memo::new(move |_| s.settled.with(|p| p.hardware.gpu_count.to_string()));
    let versions = selectable();
    let sampled = releases();
    // Counts are validated at entry: the checks keep the last count and say so.
    let count_error = RwSignal::new(None::<String>);
    let set_count = move |ev| {
        let t = event_target_value(&ev);
        match t.trim().parse::<u32>() {
            Ok(n) if (1..=64).contains(&n) => {
                count_error.set(None);
                s.edit(|p| p.hardware.gpu_count = n)
            }
            _ => count_error.set(Some(format!(
                "`{t}` is not a GPU count (1–64); not applied: the checks use {}",
                s.profile.with_untracked(|p| p.hardware.gpu_count)
            ))),
        }
    };
    let memory_error = RwSignal::new(None::<String>);
    let set_memory = move |ev| {
        let t = event_target_value(&ev);
        match t.trim().parse::<f64>() {
            Ok(m) if m > 0.0 && m < 4096.0 => {
                memory_error.set(None);
                s.edit(|p| p.hardware.gpu_memory_gib = Some(m))
            }
            _ if t.trim().is_empty() => {
                memory_error.set(None);
                s.edit(|p| p.hardware.gpu_memory_gib = None)
            }
            _ => memory_error.set(Some(format!(
                "`{t}` is not a memory size in GiB; not applied"
            ))),
        }
    };
    let memory_text = move || {
        s.profile.with(|p| {
            p.hardware
                .gpu_memory_gib
                .map(studio_core::values::num)
                .unwrap_or_default()
        })
    };
    view! {
        <section class="card hardware" aria-label="Release and hardware">
            <label>
                "vLLM release "
                <select
                    data-testid="vllm-version"
                    prop:value=version_text
                    on:change=move |ev| {
                        if let Some(v) = Version::parse(&event_target_value(&ev)) {
                            s.edit(|p| p.vllm_version = v)
                        }
                    }
                >
                    {versions
                        .iter()
                        .rev()
                        .map(|v| {
                            let text = v.to_string();
                            let selected = version_text.with_untracked(|now| *now == text);
                            let label = text.clone();
                            // The starting choice as HTML too, for the prerendered first paint.
                            view! {
                                <option value=text selected=selected>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            // A release the reference data did not sample is checked with the facts of the
            // nearest sampled one before it; say so.
            {move || {
                let v = s.version.get();
                (!sampled.contains(&v))
                    .then(|| nearest_sampled(v))
                    .flatten()
                    .map(|near| {
                        view! {
                            <span class="muted" data-testid="release-facts">
                                {format!("flag facts of {near}, the nearest sampled release")}
                            </span>
                        }
                    })
            }}
            <label>
                "GPU "
                <select
                    data-testid="gpu"
                    prop:value=gpu_id
                    on:change=move |ev| {
                        let g = event_target_value(&ev);
                        s.edit(|p| p.hardware.gpu = g)
                    }
                >
                    {gpus()
                        .iter()
                        .map(|g| {
                            let selected = gpu_id.with_untracked(|now| *now == g.id());
                            view! {
                                <option value=g.id() selected=selected>
                                    {format!("{} ({} GiB)", g.name, g.total_gib)}
                                </option>
                            }
                        })
                        .collect_view()}
                    <option value="custom" selected=gpu_id.with_untracked(|g| g == "custom")>
                        "Custom card"
                    </option>
                    <option
                        value=UNSTATED_GPU
                        selected=gpu_id.with_untracked(|g| g == UNSTATED_GPU)
                    >
                        "Not stated — pick your GPU"
                    </option>
                </select>
            </label>
            // An imported file never names its GPU model: ask, and say what waits for it.
            <Show when=move || gpu_id.with(|g| g == UNSTATED_GPU)>
                <span class="ask" role="status" data-testid="gpu-ask">
                    "Which GPU does this run on? The file does not say; the memory and GPU checks \
                     wait for it."
                </span>
            </Show>
            <label>
                "GPUs "
                <input
                    type="number"
                    min="1"
                    max="64"
                    data-testid="gpu-count"
                    value=count_text.get_untracked()
                    prop:value=count_text
                    on:input=set_count
                />
            </label>
            <FieldError error=count_error />
            <label>
                "Memory per GPU (GiB) "
                <input
                    type="text"
                    inputmode="decimal"
                    data-testid="gpu-memory-gib"
                    placeholder="from the catalog"
                    value=untrack(memory_text)
                    prop:value=memory_text
                    on:input=set_memory
                />
            </label>
            <FieldError error=memory_error />
        </section>
    }
}
