//! The release and hardware the profile is checked against.
use super::state::studio;
use leptos::prelude::*;
use studio_core::gpu::gpus;
use studio_core::version::{nearest_sampled, releases, selectable, Version};

/// vLLM release, GPU model, GPU count and an optional memory override.
#[component]
pub fn HardwareBar() -> impl IntoView {
    let s = studio();
    let versions = selectable();
    let sampled = releases();
    let set_count = move |ev| {
        if let Ok(n) = event_target_value(&ev).parse::<u32>() {
            if (1..=64).contains(&n) {
                s.edit(|p| p.hardware.gpu_count = n)
            }
        }
    };
    let set_memory = move |ev| {
        let t = event_target_value(&ev);
        match t.trim().parse::<f64>() {
            Ok(m) if m > 0.0 => s.edit(|p| p.hardware.gpu_memory_gib = Some(m)),
            _ if t.trim().is_empty() => s.edit(|p| p.hardware.gpu_memory_gib = None),
            _ => {}
        }
    };
    view! {
        <section class="card hardware" aria-label="Release and hardware">
            <label>
                "vLLM release "
                <select
                    data-testid="vllm-version"
                    prop:value=move || s.profile.with(|p| p.vllm_version.to_string())
                    on:change=move |ev| {
                        if let Some(v) = Version::parse(&event_target_value(&ev)) {
                            s.edit(|p| p.vllm_version = v)
                        }
                    }
                >
                    {versions
                        .iter()
                        .rev()
                        .map(|v| view! { <option value=v.to_string()>{v.to_string()}</option> })
                        .collect_view()}
                </select>
            </label>
            // A release the reference data did not sample is checked with the facts of the
            // nearest sampled one before it; say so.
            {move || {
                let v = s.profile.with(|p| p.vllm_version);
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
                    prop:value=move || s.profile.with(|p| p.hardware.gpu.clone())
                    on:change=move |ev| {
                        let g = event_target_value(&ev);
                        s.edit(|p| p.hardware.gpu = g)
                    }
                >
                    {gpus()
                        .iter()
                        .map(|g| {
                            view! {
                                <option value=g
                                    .id()>{format!("{} ({} GiB)", g.name, g.total_gib)}</option>
                            }
                        })
                        .collect_view()}
                    <option value="custom">"Custom card"</option>
                </select>
            </label>
            <label>
                "GPUs "
                <input
                    type="number"
                    min="1"
                    max="64"
                    data-testid="gpu-count"
                    prop:value=move || s.profile.with(|p| p.hardware.gpu_count.to_string())
                    on:input=set_count
                />
            </label>
            <label>
                "Memory per GPU (GiB) "
                <input
                    type="text"
                    inputmode="decimal"
                    data-testid="gpu-memory-gib"
                    placeholder="from the catalog"
                    prop:value=move || {
                        s.profile
                            .with(|p| {
                                p.hardware
                                    .gpu_memory_gib
                                    .map(studio_core::values::num)
                                    .unwrap_or_default()
                            })
                    }
                    on:input=set_memory
                />
            </label>
        </section>
    }
}
