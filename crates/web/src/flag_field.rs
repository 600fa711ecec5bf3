//! One `vllm serve` flag as a typed form control, generated from its catalog entry.
use super::flag_control::{flag_control, value_from_text, ControlWiring};
use super::state::studio;
use leptos::prelude::*;
use studio_core::catalog::{Availability, Catalog, Flag};
use studio_core::profile::Profile;
use studio_core::rules::RuleId;

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
pub fn FlagField(
    /// The flag's canonical name (no dashes).
    name: String,
) -> impl IntoView {
    let s = studio();
    let catalog = Catalog::get();
    // The catalog lives as long as the page: fields borrow their flag instead of copying it.
    let flag: Option<&'static Flag> = catalog.flag(&name);
    // The slice changes only when this flag's value does: no memo of it is needed.
    let value = s.fields.value(&name);
    let n = name.clone();
    let changed = Memo::new(move |_| {
        value.with(|v| {
            v.as_ref()
                .is_some_and(|v| !Profile::is_default_value(&n, v))
        })
    });
    let n = name.clone();
    let availability = Memo::new(move |_| catalog.availability(&n, s.version.get()));
    let notes = s.fields.notes(&name);
    let invalid = RuleId::ValueInvalid.as_str();
    let id = format!("param-{name}");
    let describe = format!("{id}-help");
    let apply = {
        let name = name.clone();
        Callback::new(move |text: String| {
            let next = value_from_text(flag, &text);
            s.edit_typing(&name, |p| match next {
                Some(v) => p.set(&name, v),
                None => p.unset(&name),
            })
        })
    };
    let placeholder = flag
        .as_ref()
        .map(|f| format!("default: {}", default_text(f)))
        .unwrap_or_default();
    let control = flag_control(
        flag,
        ControlWiring {
            id: id.clone(),
            describe: describe.clone(),
            placeholder,
            value,
            apply,
        },
    );

    // Our own summary of the facts, then the reference data's short note on the flag.
    let help = flag
        .as_ref()
        .map(|f| format!("{}. Reference note: {}", f.summary(), f.description))
        .unwrap_or_else(|| "Not a flag of the catalogued release; kept as written.".into());
    let reset_name = name.clone();
    let label = format!("--{name}");
    // One class attribute for the three states (one effect per field instead of three: a
    // search builds dozens of fields per keystroke).
    let class = move || {
        let mut class = String::from("field");
        if changed.get() {
            class.push_str(" changed");
        }
        if notes.with(|n| n.iter().any(|(_, rule, _)| *rule == invalid)) {
            class.push_str(" invalid");
        }
        if availability.get() != Availability::Present {
            class.push_str(" unavailable");
        }
        class
    };
    // The help text and what the release says of the flag, as one text.
    let help = move || match availability.get() {
        Availability::NotYet(v) => format!("{help} Not in this release (added in {v})."),
        Availability::Removed(v) => format!("{help} Removed in {v}."),
        Availability::Present | Availability::Unknown => help.clone(),
    };
    view! {
        <div class=class>
            <label for=id.clone()>{label}</label>
            {control}
            <button
                type="button"
                class="reset"
                title="Back to vLLM's default"
                aria-label=format!("Reset --{name}")
                disabled=move || value.with(Option::is_none)
                on:click=move |_| s.edit(|p| p.unset(&reset_name))
            >
                "↺"
            </button>
            <p class="help" id=describe>
                {help}
            </p>
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
