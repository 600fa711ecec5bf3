//! "Beyond one box": the nodes and the fabric of the deployment, and what the same profile
//! becomes there — vLLM's config file, one compose file per node with its run order, the
//! Kubernetes manifests and production-stack Helm values — each live, copyable and
//! downloadable. Built only while open.
use super::dom;
use super::outputs::CopyButton;
use super::state::studio;
use leptos::prelude::*;
use studio_core::deploy::{self, k8s};
use studio_core::memory::weights_total_gib;
use studio_core::rules::Inputs;

/// One artifact: a heading, Copy, Download and the text.
#[component]
fn Artifact(
    /// The file name (heading and download).
    name: String,
    text: String,
    /// `data-testid` of the text; Download is `download-<testid>`.
    testid: String,
) -> impl IntoView {
    let shown = Memo::new({
        let text = text.clone();
        move |_| text.clone()
    });
    let (file, download) = (name.clone(), format!("download-{testid}"));
    view! {
        <div class="output">
            <div class="output-head">
                <h3>{name}</h3>
                <CopyButton text=shown label="Copy" testid="copy-deploy" />
                <button
                    type="button"
                    data-testid=download
                    on:click=move |_| dom::download(&file, &shown.get_untracked(), "text/yaml")
                >
                    "Download"
                </button>
            </div>
            <pre data-testid=testid tabindex="0">
                {text}
            </pre>
        </div>
    }
}

/// The deployment card.
#[component]
pub fn DeployPanel() -> impl IntoView {
    let s = studio();
    let open = RwSignal::new(false);
    let artifacts = Memo::new(move |_| {
        if !open.get() {
            return vec![];
        }
        s.pasted_model.with(|m| {
            s.settled.with(|p| {
                let weights = Inputs::new(p, m.as_ref())
                    .model
                    .map(|arch| weights_total_gib(arch, p));
                let mut out = vec![
                    (
                        "config.yaml".to_string(),
                        deploy::vllm_config(p),
                        "deploy-config".to_string(),
                    ),
                    (
                        format!("{}.k8s.yaml", p.compose.service),
                        k8s::manifests(p, weights),
                        "deploy-k8s".to_string(),
                    ),
                ];
                if let Ok(values) = deploy::helm::values(p) {
                    out.push((
                        format!("{}.values.yaml", p.compose.service),
                        values,
                        "deploy-helm".to_string(),
                    ));
                }
                if p.hardware.nodes > 1 {
                    for (r, (name, text)) in deploy::node_files(p).into_iter().enumerate() {
                        out.push((name, text, format!("deploy-node-{r}")));
                    }
                    out.push((
                        "RUN.txt".into(),
                        deploy::run_order(p),
                        "deploy-run-order".into(),
                    ));
                }
                out
            })
        })
    });
    let nodes = Memo::new(move |_| s.settled.with(|p| p.hardware.nodes.to_string()));
    let interconnect = Memo::new(move |_| s.settled.with(|p| p.hardware.interconnect.clone()));
    view! {
        <details
            class="card"
            data-testid="deploy-panel"
            on:toggle=move |ev| open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())
        >
            <summary>
                <h2>"Beyond one box: config file, nodes, Kubernetes"</h2>
            </summary>
            <div class="fit-goal">
                <label>
                    "Nodes (GPUs per node: the GPU count above) "
                    <input
                        type="number"
                        min="1"
                        max="64"
                        data-testid="deploy-nodes"
                        prop:value=nodes
                        on:input=move |ev| {
                            if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                                if (1..=64).contains(&n) {
                                    s.edit(|p| p.hardware.nodes = n);
                                }
                            }
                        }
                    />
                </label>
                <label>
                    "Interconnect between GPUs "
                    <select
                        data-testid="deploy-interconnect"
                        prop:value=interconnect
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            s.edit(|p| p.hardware.interconnect = v)
                        }
                    >
                        <option value="">"not stated"</option>
                        <option value="nvlink">"NVLink"</option>
                        <option value="pcie">"PCIe"</option>
                        <option value="infiniband">"InfiniBand"</option>
                        <option value="ethernet">"Ethernet"</option>
                    </select>
                </label>
            </div>
            <For
                each=move || artifacts.get()
                key=|(name, text, _)| (name.clone(), text.clone())
                let:a
            >
                <Artifact name=a.0 text=a.1 testid=a.2 />
            </For>
        </details>
    }
}
