//! The live validation score: overall figure, the reference document's category table, every
//! finding with its source and fix, and the two checklists.
use super::coverage_note::CoverageNote;
use super::finding_item::FindingItem;
use super::state::studio;
use leptos::prelude::*;
use studio_core::rules::{checklists, Inputs};

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
                                "{} %{} for vLLM {}",
                                x.overall,
                                if x.partial { " (partial)" } else { "" },
                                s.version.get(),
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
            <CoverageNote />
            <div class="table-wrap">
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
                        <For
                            each=move || s.score.with(|x| x.rows.clone())
                            key=|r| (
                                r.category.id(),
                                r.verified,
                                r.optimal,
                                r.suboptimal,
                                r.percent,
                            )
                            let:r
                        >
                            <tr data-testid=format!("category-{}", r.category.id())>
                                <td>{r.category.title()}</td>
                                <td>{r.verified}</td>
                                <td>{r.optimal}</td>
                                <td>{r.suboptimal}</td>
                                <td>{format!("{} %", r.percent)}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <ul class="findings" data-testid="findings">
                // Keyed: a keystroke re-renders only the findings whose text changed.
                <For
                    each=move || s.findings.get()
                    key=|f| (f.id, f.params.clone(), f.message.clone())
                    let:finding
                >
                    <FindingItem finding />
                </For>
            </ul>
            <Show when=move || s.findings.with(Vec::is_empty) && !s.score.with(|x| x.partial)>
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
