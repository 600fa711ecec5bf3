//! One `vllm serve` flag as a typed form control, generated from its catalog entry.
use super::state::studio;
use leptos::prelude::*;
use studio_core::catalog::{Availability, Catalog, Flag, Kind};
use studio_core::profile::{ArgValue, Profile};
use studio_core::values::check_value;

fn default_text(flag: &Flag) -> String {
    match &flag.default {
        serde_json::Value::Null => "unset".into(),
        serde_json::Value::String(s) if s.is_empty() => "empty".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A form row for the flag named `name` (canonical). Flags the catalog does not hold (removed or
/// unknown ones kept from an import) get a plain text row.
#[component]
pub fn FlagField(name: String) -> impl IntoView {
    let s = studio();
    let catalog = Catalog::get();
    let flag = catalog.flag(&name).cloned();
    let error = RwSignal::new(None::<String>);
    let n = name.clone();
    let value = Memo::new(move |_| s.profile.with(|p| p.get(&n).cloned()));
    let n = name.clone();
    let changed = Memo::new(move |_| {
        value.with(|v| {
            v.as_ref()
                .is_some_and(|v| !Profile::is_default_value(&n, v))
        })
    });
    let n = name.clone();
    let availability =
        Memo::new(move |_| s.profile.with(|p| catalog.availability(&n, p.vllm_version)));
    let n = name.clone();
    let notes = Memo::new(move |_| {
        s.findings.with(|f| {
            f.iter()
                .filter(|x| x.params.contains(&n))
                .map(|x| (x.severity.as_str(), x.id, x.message.clone()))
                .collect::<Vec<_>>()
        })
    });
    let id = format!("param-{name}");
    let testid = id.clone();
    let kind = flag.as_ref().map_or(Kind::Text, |f| f.kind);

    let apply = {
        let name = name.clone();
        let flag = flag.clone();
        move |text: String| {
            let text_trim = text.trim().to_string();
            if text_trim.is_empty() && kind != Kind::FlagOnly {
                error.set(None);
                s.edit(|p| p.unset(&name));
                return;
            }
            if let Some(f) = &flag {
                if let Err(e) = check_value(f, &text_trim) {
                    error.set(Some(e));
                    return;
                }
            }
            error.set(None);
            let v = match kind {
                Kind::Bool | Kind::FlagOnly => ArgValue::Switch(text_trim == "true"),
                Kind::List => {
                    ArgValue::Words(text_trim.split_whitespace().map(str::to_string).collect())
                }
                _ if flag.is_none() && text_trim.is_empty() => ArgValue::Words(vec![]),
                _ => ArgValue::word(text_trim),
            };
            s.edit(|p| p.set(&name, v));
        }
    };
    let current_text = move || value.with(|v| v.as_ref().map(ArgValue::text).unwrap_or_default());
    let placeholder = flag
        .as_ref()
        .map(|f| format!("default: {}", default_text(f)))
        .unwrap_or_default();
    let describe = format!("{id}-help");

    let control = match (&flag, kind) {
        (Some(_), Kind::Bool) => {
            let apply = apply.clone();
            view! {
                <select
                    id=id.clone()
                    data-testid=testid
                    aria-describedby=describe.clone()
                    on:change=move |ev| apply(event_target_value(&ev))
                    prop:value=move || {
                        value
                            .with(|v| match v {
                                Some(ArgValue::Switch(b)) => b.to_string(),
                                _ => String::new(),
                            })
                    }
                >
                    <option value="">{placeholder.clone()}</option>
                    <option value="true">"true"</option>
                    <option value="false">"false"</option>
                </select>
            }
            .into_any()
        }
        (Some(_), Kind::FlagOnly) => {
            let apply = apply.clone();
            view! {
                <input
                    type="checkbox"
                    id=id.clone()
                    data-testid=testid
                    aria-describedby=describe.clone()
                    prop:checked=move || matches!(value.get(), Some(ArgValue::Switch(true)))
                    on:change=move |ev| apply(
                        if event_target_checked(&ev) { "true".into() } else { String::new() },
                    )
                />
            }
            .into_any()
        }
        (Some(f), _) if !f.choices.is_empty() => {
            let apply = apply.clone();
            let options = f
                .choices
                .iter()
                .map(|c| view! { <option value=c.clone()>{c.clone()}</option> })
                .collect_view();
            view! {
                <select
                    id=id.clone()
                    data-testid=testid
                    aria-describedby=describe.clone()
                    on:change=move |ev| apply(event_target_value(&ev))
                    prop:value=current_text
                >
                    <option value="">{placeholder.clone()}</option>
                    {options}
                </select>
            }
            .into_any()
        }
        (Some(_), Kind::Json) => {
            let apply = apply.clone();
            view! {
                <textarea
                    id=id.clone()
                    data-testid=testid
                    aria-describedby=describe.clone()
                    rows="2"
                    spellcheck="false"
                    placeholder=placeholder.clone()
                    prop:value=current_text
                    on:input=move |ev| apply(event_target_value(&ev))
                ></textarea>
            }
            .into_any()
        }
        (f, _) => {
            let apply = apply.clone();
            let list_id = format!("{id}-options");
            let suggestions = f
                .as_ref()
                .map(|f| f.suggestions.clone())
                .unwrap_or_default();
            let has_list = !suggestions.is_empty();
            let numeric = matches!(kind, Kind::Int | Kind::Float);
            view! {
                <input
                    type="text"
                    id=id.clone()
                    data-testid=testid
                    aria-describedby=describe.clone()
                    placeholder=placeholder.clone()
                    prop:value=current_text
                    inputmode=if numeric { "decimal" } else { "text" }
                    list=has_list.then(|| list_id.clone())
                    on:input=move |ev| apply(event_target_value(&ev))
                />
                {has_list
                    .then(|| {
                        view! {
                            <datalist id=list_id
                                .clone()>
                                {suggestions
                                    .iter()
                                    .map(|v| view! { <option value=v.clone()></option> })
                                    .collect_view()}
                            </datalist>
                        }
                    })}
            }
            .into_any()
        }
    };

    // Our own summary of the facts, then the reference data's short note on the flag.
    let help = flag
        .as_ref()
        .map(|f| format!("{}. Reference note: {}", f.summary(), f.description))
        .unwrap_or_else(|| "Not a flag of the catalogued release; kept as written.".into());
    let reset_name = name.clone();
    let label = format!("--{name}");
    view! {
        <div
            class="field"
            class:changed=move || changed.get()
            class:invalid=move || error.with(Option::is_some)
            class:unavailable=move || availability.get() != Availability::Present
        >
            <label for=id.clone()>{label}</label>
            {control}
            <button
                type="button"
                class="reset"
                title="Back to vLLM's default"
                aria-label=format!("Reset --{name}")
                disabled=move || value.with(Option::is_none)
                on:click=move |_| {
                    error.set(None);
                    s.edit(|p| p.unset(&reset_name))
                }
            >
                "↺"
            </button>
            <p class="help" id=describe>
                {help}
                {move || match availability.get() {
                    Availability::Present => String::new(),
                    Availability::NotYet(v) => format!(" Not in this release (added in {v})."),
                    Availability::Removed(v) => format!(" Removed in {v}."),
                    Availability::Unknown => String::new(),
                }}
            </p>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" role="alert">
                                {e}
                            </p>
                        }
                    })
            }}
            {move || {
                notes
                    .get()
                    .into_iter()
                    .map(|(sev, rule, msg)| {
                        view! {
                            <p
                                class=format!("field-finding {sev}")
                                data-testid=format!("field-finding-{rule}")
                            >
                                {msg}
                            </p>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}
