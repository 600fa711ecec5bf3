//! The live validation score: overall figure, the reference document's category table, every
//! finding with its source and fix, and the two checklists.
use super::state::studio;
use leptos::prelude::*;
use studio_core::rules::{checklists, Finding, Inputs};

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
pub fn FindingItem(finding: Finding) -> impl IntoView {
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

/// The score card.
#[component]
pub fn ScorePanel() -> impl IntoView {
    let s = studio();
    let lists = Memo::new(move |_| {
        s.pasted_model.with(|m| {
            s.effective.with(|p| {
                s.findings
                    .with(|f| checklists(&Inputs::new(p, m.as_ref()), f))
            })
        })
    });
    view! {
        <section class="card" aria-labelledby="score-title">
            <h2 id="score-title">"Validation"</h2>
            <p class="score" data-testid="score" class:bad=move || s.score.with(|x| x.errors > 0)>
                {move || {
                    s.score
                        .with(|x| {
                            format!(
                                "{} % for vLLM {}",
                                x.overall,
                                s.profile.with(|p| p.vllm_version),
                            )
                        })
                }}
                <span class="muted">
                    {move || {
                        s.score
                            .with(|x| {
                                format!(
                                    " — {} errors, {} warnings, {} notes",
                                    x.errors,
                                    x.warnings,
                                    x.infos,
                                )
                            })
                    }}
                </span>
            </p>
            <table class="categories" data-testid="category-table">
                <thead>
                    <tr>
                        <th>"Category"</th>
                        <th>"Verified"</th>
                        <th>"Optimal"</th>
                        <th>"Suboptimal"</th>
                        <th>"Score"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        s.score
                            .get()
                            .rows
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <tr data-testid=format!("category-{}", r.category.id())>
                                        <td>{r.category.title()}</td>
                                        <td>{r.verified}</td>
                                        <td>{r.optimal}</td>
                                        <td>{r.suboptimal}</td>
                                        <td>{format!("{} %", r.percent)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
            <ul class="findings" data-testid="findings">
                {move || {
                    s.findings
                        .get()
                        .into_iter()
                        .map(|f| view! { <FindingItem finding=f /> })
                        .collect_view()
                }}
            </ul>
            <Show when=move || s.findings.with(Vec::is_empty)>
                <p class="ok">"No finding: vLLM should accept and start this profile."</p>
            </Show>
            <details class="checklists">
                <summary>"Checklists from the reference document, evaluated live"</summary>
                {move || {
                    lists
                        .get()
                        .into_iter()
                        .map(|(title, items)| {
                            view! {
                                <h3>{title}</h3>
                                <ul>
                                    {items
                                        .into_iter()
                                        .map(|i| {
                                            view! {
                                                <li class:ok=i.ok class:bad=!i.ok>
                                                    {if i.ok { "✓ " } else { "✗ " }}
                                                    {i.label}
                                                    <span class="muted">{format!(" — {}", i.detail)}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                        })
                        .collect_view()
                }}
            </details>
        </section>
    }
}
