//! "N of M checks ran": which checks could not run for want of a fact, and what would let them.
use super::state::studio;
use leptos::prelude::*;

/// The coverage line under the score, with one entry per missing fact.
#[component]
pub fn CoverageNote() -> impl IntoView {
    let s = studio();
    let missing = Memo::new(move |_| {
        s.coverage.with(|c| {
            c.missing()
                .into_iter()
                .map(|need| (need.as_str(), c.skipped_for(need), need.enable()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <p class="coverage" data-testid="checks-ran">
            {move || {
                s.score
                    .with(|x| {
                        let partial = if x.partial {
                            ": the score is partial, each skipped check counted as failed"
                        } else {
                            ""
                        };
                        format!("{} of {} checks ran{partial}", x.checks_run, x.checks_total)
                    })
            }}
        </p>
        <ul class="skipped" data-testid="checks-skipped">
            <For each=move || missing.get() key=|(need, n, _)| (*need, *n) let:((need, n, enable))>
                <li data-testid=format!("skipped-{need}")>
                    {format!("{n} checks need the {need}: {enable}.")}
                </li>
            </For>
        </ul>
    }
}
