//! One finding of the validation: severity, rule id, message, source (linked to vLLM's file at
//! the selected release) and its one-click fix.
use super::state::studio;
use leptos::prelude::*;
use studio_core::rules::Finding;

/// A source as a link (to the file at the selected release's tag) when it names a vLLM file.
fn source_view(source: &'static str, release: String) -> impl IntoView {
    let url = if source.starts_with("vllm/") {
        let path = source
            .split("::")
            .next()
            .unwrap_or(source)
            .split([' ', ';'])
            .next()
            .unwrap_or(source);
        Some(format!(
            "https://github.com/vllm-project/vllm/blob/v{release}/{path}"
        ))
    } else {
        None
    };
    match url {
        Some(u) => view! {
            <a href=u target="_blank" rel="noopener" class="source">
                {source}
            </a>
        }
        .into_any(),
        None => view! { <span class="source">{source}</span> }.into_any(),
    }
}

/// One finding with its Fix button.
#[component]
pub fn FindingItem(
    /// The finding to show.
    finding: Finding,
) -> impl IntoView {
    let s = studio();
    let fix = finding.fix.clone();
    let id = finding.id.as_str();
    view! {
        <li
            class=format!("finding {}", finding.severity.as_str())
            data-testid=format!("rule-{id}")
            data-severity=finding.severity.as_str()
        >
            <span class="sev">{finding.severity.as_str()}</span>
            " "
            <code>{id}</code>
            " "
            <span class="msg">{finding.message.clone()}</span>
            <div class="meta">
                "Source: "
                {source_view(
                    finding.source,
                    s.profile.with_untracked(|p| p.vllm_version.to_string()),
                )}
                {fix
                    .map(|f| {
                        let title = f
                            .ops
                            .iter()
                            .map(|o| o.describe())
                            .collect::<Vec<_>>()
                            .join("; ");
                        view! {
                            " "
                            <button
                                type="button"
                                class="fix"
                                data-testid=format!("fix-{id}")
                                title=title
                                on:click=move |_| s.edit(|p| f.apply(p))
                            >
                                {format!("Fix: {}", f.label)}
                            </button>
                        }
                    })}
            </div>
        </li>
    }
}
