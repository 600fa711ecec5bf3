//! The live outputs: compose YAML, `vllm serve` command and `.env`, each with copy and download.
use super::dom;
use super::state::studio;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A copy button that says whether the copy worked.
#[component]
pub fn CopyButton(text: Memo<String>, label: &'static str, testid: &'static str) -> impl IntoView {
    let status = RwSignal::new("");
    view! {
        <button
            type="button"
            data-testid=testid
            on:click=move |_| {
                let t = text.get_untracked();
                spawn_local(async move {
                    status
                        .set(
                            if dom::copy_text(t).await {
                                "Copied"
                            } else {
                                "Copy failed: select the text instead"
                            },
                        );
                });
            }
        >
            {label}
        </button>
        <span class="status" role="status" aria-live="polite">
            {move || status.get()}
        </span>
    }
}

/// One output block.
#[component]
fn Output(
    title: &'static str,
    text: Memo<String>,
    testid: &'static str,
    file: &'static str,
    mime: &'static str,
) -> impl IntoView {
    let downloaded = RwSignal::new(false);
    view! {
        <div class="output">
            <div class="output-head">
                <h3>{title}</h3>
                <CopyButton
                    text=text
                    label="Copy"
                    testid=match testid {
                        "compose-yaml" => "copy-yaml",
                        "cli-command" => "copy-command",
                        _ => "copy-env",
                    }
                />
                <button
                    type="button"
                    data-testid=testid
                        .replace("compose-yaml", "download-yaml")
                        .replace("cli-command", "download-command")
                        .replace("env-file", "download-env")
                    on:click=move |_| {
                        dom::download(file, &text.get_untracked(), mime);
                        downloaded.set(true)
                    }
                >
                    {format!("Download {file}")}
                </button>
                <span class="status" role="status">
                    {move || if downloaded.get() { "Downloaded" } else { "" }}
                </span>
            </div>
            <pre data-testid=testid tabindex="0" aria-label=title>
                {move || text.get()}
            </pre>
        </div>
    }
}

/// The outputs card.
#[component]
pub fn Outputs() -> impl IntoView {
    let s = studio();
    view! {
        <section class="card" aria-label="Outputs">
            <Output
                title="medium.yml"
                text=s.yaml
                testid="compose-yaml"
                file="medium.yml"
                mime="application/yaml"
            />
            <Output
                title="vllm serve"
                text=s.command
                testid="cli-command"
                file="serve.sh"
                mime="text/x-shellscript"
            />
            <Output title=".env" text=s.env testid="env-file" file=".env" mime="text/plain" />
        </section>
    }
}
