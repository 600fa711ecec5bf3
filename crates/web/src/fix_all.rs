//! "Fix all": every one-click fix in one undoable step, and the list of what it changed next to
//! the button (dismissible), so the user sees what happened to the file.
use super::state::studio;
use leptos::prelude::*;
use studio_core::compose::interpolate::Env;
use studio_core::rules;

/// The button and its report.
#[component]
pub fn FixAll() -> impl IntoView {
    let s = studio();
    let report = RwSignal::new(None::<Vec<String>>);
    let fixable = Memo::new(move |_| {
        s.findings
            .with(|f| f.iter().filter(|x| x.fix.is_some()).count())
    });
    let run = move |_| {
        let env = s.dotenv.with_untracked(|t| Env::from_dotenv(t));
        let (next, applied) = s.pasted_model.with_untracked(|m| {
            s.profile
                .with_untracked(|p| rules::fix_all(p, m.as_ref(), &env))
        });
        s.replace(next);
        report.set(Some(applied));
    };
    view! {
        <div class="fix-all">
            <button
                type="button"
                data-testid="fix-all"
                disabled=move || fixable.get() == 0
                on:click=run
            >
                {move || match fixable.get() {
                    0 => "Nothing to fix".to_string(),
                    n => format!("Fix all ({n})"),
                }}
            </button>
            {move || {
                report
                    .get()
                    .map(|applied| {
                        view! {
                            <div class="notice" role="status" data-testid="fix-all-report">
                                <p>
                                    {match applied.len() {
                                        0 => "Nothing was changed.".to_string(),
                                        1 => "1 fix applied (Ctrl+Z undoes it):".to_string(),
                                        n => format!("{n} fixes applied (Ctrl+Z undoes them):"),
                                    }}
                                </p>
                                <ul>
                                    {applied
                                        .into_iter()
                                        .map(|l| view! { <li>{l}</li> })
                                        .collect_view()}
                                </ul>
                                <button
                                    type="button"
                                    data-testid="fix-all-dismiss"
                                    on:click=move |_| report.set(None)
                                >
                                    "Dismiss"
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
