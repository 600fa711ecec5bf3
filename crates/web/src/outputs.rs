//! The live outputs: compose YAML, `vllm serve` command and `.env`, each with copy and download.
use super::dom;
use super::state::{studio, Exports};
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
    /// The block's heading.
    title: &'static str,
    text: Memo<String>,
    testid: &'static str,
    /// The download's file name (named after the service).
    file: Memo<String>,
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
                        dom::download(&file.get_untracked(), &text.get_untracked(), mime);
                        downloaded.set(true)
                    }
                >
                    {move || format!("Download {}", file.get())}
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
    let out = Exports::new(s);
    // Downloads are named after the service, so several profiles can sit in one folder.
    let service = Memo::new(move |_| s.settled.with(|p| file_stem(&p.compose.service)));
    let named =
        move |suffix: &'static str| Memo::new(move |_| format!("{}{suffix}", service.get()));
    view! {
        <section class="card" aria-label="Outputs">
            <Output
                title="docker-compose"
                text=out.yaml
                testid="compose-yaml"
                file=named(".compose.yml")
                mime="application/yaml"
            />
            <Output
                title="vllm serve"
                text=out.command
                testid="cli-command"
                file=named(".serve.sh")
                mime="text/x-shellscript"
            />
            <Output
                title=".env"
                text=out.env
                testid="env-file"
                file=named(".env")
                mime="text/plain"
            />
        </section>
    }
}

/// A service name as a file name: Compose allows `[a-zA-Z0-9._-]`; anything else (and an empty
/// name) falls back to `vllm`.
fn file_stem(service: &str) -> String {
    let ok = !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !service.starts_with('.');
    if ok {
        service.to_string()
    } else {
        "vllm".to_string()
    }
}
