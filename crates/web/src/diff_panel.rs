//! Review mode: the current profile (head) against a baseline, a snapshot, or any config given as
//! a link or a compose file (base). Rows per parameter, consequences, Markdown and a diff link.
use super::dom;
use super::field_error::FieldError;
use super::outputs::CopyButton;
use super::state::studio;
use leptos::prelude::*;
use studio_core::compose::import_compose;
use studio_core::diff::{self, baseline, Change, BASELINES};
use studio_core::link::{self, BaseRef};
use studio_core::profile::Profile;
use studio_core::storage::Snapshot;

/// Where the base comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum BaseChoice {
    None,
    Named(String),
    Snapshot(String),
    Given(Box<Profile>),
}

/// The diff card. `base` is shared so a diff link can open it.
#[component]
pub fn DiffPanel(base: RwSignal<BaseChoice>, snapshots: RwSignal<Vec<Snapshot>>) -> impl IntoView {
    let s = studio();
    let show_same = RwSignal::new(false);
    let other_text = RwSignal::new(String::new());
    let other_error = RwSignal::new(None::<String>);
    let base_profile = Memo::new(move |_| match base.get() {
        BaseChoice::None => None,
        BaseChoice::Named(n) => baseline(&n).map(|b| b.profile()),
        BaseChoice::Snapshot(n) => snapshots.with(|l| {
            l.iter()
                .find(|x| x.name == n)
                .map(|x| link::decode(&x.query).0)
        }),
        BaseChoice::Given(p) => Some(*p),
    });
    let result = Memo::new(move |_| {
        base_profile
            .get()
            .map(|b| s.settled.with(|h| diff::diff(&b, h)))
    });
    let label = move || match base.get() {
        BaseChoice::Named(n) | BaseChoice::Snapshot(n) => n,
        _ => "base".to_string(),
    };
    let markdown = Memo::new(move |_| {
        result
            .get()
            .map(|d| diff::to_markdown(&d, &label(), "current"))
            .unwrap_or_default()
    });
    let diff_url = Memo::new(move |_| {
        let b = match base.get() {
            BaseChoice::Named(n) => BaseRef::Named(n),
            BaseChoice::None => return String::new(),
            _ => match base_profile.get() {
                Some(p) => BaseRef::Profile(Box::new(p)),
                None => return String::new(),
            },
        };
        format!(
            "{}?{}",
            dom::page_base(),
            s.settled.with(|h| link::encode_diff(&b, h))
        )
    });
    let pick = move |ev| {
        let v = event_target_value(&ev);
        other_error.set(None);
        base.set(match v.split_once(':') {
            Some(("baseline", n)) => BaseChoice::Named(n.into()),
            Some(("snapshot", n)) => BaseChoice::Snapshot(n.into()),
            _ => BaseChoice::None,
        });
    };
    let load_other = move |_| {
        let text = other_text.get_untracked();
        let t = text.trim();
        let looks_like_link =
            t.contains("v=1") || t.contains("vllm-version=") || t.starts_with("http");
        let parsed = if looks_like_link {
            let (p, problems) = link::decode(t);
            match problems.first() {
                Some(pr) => Err(format!("link key `{}`: {}", pr.key, pr.message)),
                None => Ok(p),
            }
        } else {
            import_compose(t, &s.profile.get_untracked())
                .map(|i| i.profile)
                .map_err(|e| e.to_string())
        };
        match parsed {
            Ok(p) => {
                other_error.set(None);
                base.set(BaseChoice::Given(Box::new(p)))
            }
            Err(e) => other_error.set(Some(format!("Not used as base — {e}"))),
        }
    };
    view! {
        <section class="card" aria-labelledby="diff-title">
            <h2 id="diff-title">"Compare"</h2>
            <label>
                "Base "
                <select
                    data-testid="diff-baseline"
                    on:change=pick
                    prop:value=move || match base.get() {
                        BaseChoice::Named(n) => format!("baseline:{n}"),
                        BaseChoice::Snapshot(n) => format!("snapshot:{n}"),
                        BaseChoice::Given(_) => "given".into(),
                        BaseChoice::None => String::new(),
                    }
                >
                    <option value="">"— choose —"</option>
                    {BASELINES
                        .iter()
                        .map(|b| {
                            view! {
                                <option value=format!(
                                    "baseline:{}",
                                    b.name,
                                )>
                                    {format!("{} ({}, vLLM {})", b.name, b.date, b.vllm_version)}
                                </option>
                            }
                        })
                        .collect_view()}
                    {move || {
                        snapshots
                            .get()
                            .into_iter()
                            .map(|x| {
                                view! {
                                    <option value=format!(
                                        "snapshot:{}",
                                        x.name,
                                    )>{format!("snapshot {}", x.name)}</option>
                                }
                            })
                            .collect_view()
                    }}
                    <option value="given" disabled=true>
                        "a pasted link or file"
                    </option>
                </select>
            </label>
            <details>
                <summary>"Use a share link or a compose file as base"</summary>
                <textarea
                    rows="3"
                    data-testid="diff-other"
                    aria-label="Base link or compose file"
                    on:input=move |ev| other_text.set(event_target_value(&ev))
                ></textarea>
                <button type="button" data-testid="diff-other-apply" on:click=load_other>
                    "Use as base"
                </button>
                <FieldError error=other_error />
            </details>
            {move || {
                base.with(|b| match b {
                    BaseChoice::Named(n) => {
                        baseline(n)
                            .map(|b| {
                                view! {
                                    <p class="muted">
                                        {format!(
                                            "{} ({}): vLLM {} — {}",
                                            b.name,
                                            b.date,
                                            b.vllm_version,
                                            b.why_version,
                                        )}
                                        {(!b.not_stated.is_empty())
                                            .then(|| {
                                                format!(
                                                    " Not stated in the document (v3 values used): {}.",
                                                    b.not_stated.join(", "),
                                                )
                                            })}
                                    </p>
                                }
                            })
                    }
                    _ => None,
                })
            }}
            <Show when=move || result.with(Option::is_some)>
                <label>
                    <input
                        type="checkbox"
                        on:change=move |ev| show_same.set(event_target_checked(&ev))
                    />
                    " Show unchanged parameters"
                </label>
                <div class="table-wrap">
                    <table class="diff" data-testid="diff-table">
                        <thead>
                            <tr>
                                <th>"Parameter"</th>
                                <th>"Base"</th>
                                <th>"Current"</th>
                                <th>"Change"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                result
                                    .get()
                                    .map(|d| {
                                        d.rows
                                            .into_iter()
                                            .filter(|r| show_same.get() || r.change != Change::Same)
                                            .map(|r| {
                                                view! {
                                                    <tr
                                                        data-testid=format!("diff-row-{}", r.key)
                                                        data-change=r.change.as_str()
                                                        class=r.change.as_str()
                                                    >
                                                        <td>
                                                            <code>{r.key.clone()}</code>
                                                        </td>
                                                        <td>{r.old.clone().unwrap_or_else(|| "—".into())}</td>
                                                        <td>{r.new.clone().unwrap_or_else(|| "—".into())}</td>
                                                        <td>
                                                            {r
                                                                .relative
                                                                .clone()
                                                                .unwrap_or_else(|| r.change.as_str().to_string())}
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()
                                    })
                            }}
                        </tbody>
                    </table>
                </div>
                {move || {
                    result
                        .get()
                        .map(|d| {
                            let (new, gone) = d.findings_delta();
                            let fmt = |x: Option<u64>| {
                                x.map(|n| n.to_string()).unwrap_or_else(|| "—".into())
                            };
                            view! {
                                <p data-testid="diff-consequences">
                                    {format!(
                                        "Score {} % → {} %; KV tokens per GPU {} → {}; verdict {} → {}; {} new and {} resolved findings.",
                                        d.base.score,
                                        d.head.score,
                                        fmt(d.base.kv_tokens),
                                        fmt(d.head.kv_tokens),
                                        d.base.verdict.clone().unwrap_or_else(|| "—".into()),
                                        d.head.verdict.clone().unwrap_or_else(|| "—".into()),
                                        new.len(),
                                        gone.len(),
                                    )}
                                </p>
                            }
                        })
                }}
                <div class="output-head">
                    <h3>"Markdown for the review"</h3>
                    <CopyButton text=markdown label="Copy Markdown" testid="copy-diff-markdown" />
                </div>
                <pre data-testid="diff-markdown">{move || markdown.get()}</pre>
                <p>
                    "Diff link: "
                    <input
                        type="text"
                        readonly
                        data-testid="diff-link"
                        aria-label="Diff link"
                        prop:value=move || diff_url.get()
                    />
                </p>
            </Show>
        </section>
    }
}
