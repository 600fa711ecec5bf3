//! The input for one flag, by the kind of value the catalog says it takes: a tri-state select
//! for booleans, a checkbox for bare switches, a select for argparse choices, a textarea for
//! JSON, and a text field (with the known names as suggestions) for the rest.
use leptos::prelude::*;
use studio_core::catalog::{Flag, Kind};
use studio_core::profile::ArgValue;

/// What every control needs: its ids, the value in effect and where typed text goes.
#[derive(Clone)]
pub struct ControlWiring {
    /// The element id (`param-<flag>`), also its `data-testid`.
    pub id: String,
    /// The id of the help text it is described by.
    pub describe: String,
    /// `default: …`, shown while unset.
    pub placeholder: String,
    /// The flag's value in the profile (`None`: unset): the field's own slice of the state,
    /// which notifies only when this flag's value changes.
    pub value: ReadSignal<Option<ArgValue>>,
    /// Receives the control's text on every change.
    pub apply: Callback<String>,
}

/// How a text from a control becomes the flag's value: `None` unsets it. Text that is not a valid
/// value is kept as written all the same: the exports show what the field shows, and the rules
/// report it as a `value-invalid` error under the field and in the score.
pub fn value_from_text(flag: Option<&Flag>, text: &str) -> Option<ArgValue> {
    let kind = flag.map_or(Kind::Text, |f| f.kind);
    let text = text.trim();
    if text.is_empty() && kind != Kind::FlagOnly {
        return None;
    }
    Some(match kind {
        Kind::Bool | Kind::FlagOnly => ArgValue::Switch(text == "true"),
        Kind::List => ArgValue::Words(text.split_whitespace().map(str::to_string).collect()),
        _ => ArgValue::word(text),
    })
}

/// The control for `flag` (`None`: a flag no catalog knows, kept as text).
pub fn flag_control(flag: Option<&'static Flag>, w: ControlWiring) -> AnyView {
    match flag {
        Some(f) if f.kind == Kind::Bool => view! { <BoolSelect w /> }.into_any(),
        Some(f) if f.kind == Kind::FlagOnly => view! { <SwitchBox w /> }.into_any(),
        Some(f) if !f.choices.is_empty() => {
            view! { <ChoiceSelect w choices=&f.choices /> }.into_any()
        }
        Some(f) if f.kind == Kind::Json => view! { <JsonArea w /> }.into_any(),
        _ => {
            let suggestions: &'static [String] = flag.map_or(&[], |f| &f.suggestions);
            let numeric = flag.is_some_and(|f| matches!(f.kind, Kind::Int | Kind::Float));
            view! { <TextInput w suggestions numeric /> }.into_any()
        }
    }
}

fn text_of(value: ReadSignal<Option<ArgValue>>) -> impl Fn() -> String + Copy {
    move || value.with(|v| v.as_ref().map(ArgValue::text).unwrap_or_default())
}

/// The value a control starts with, also written as HTML (`value`, `selected`, `checked`): the
/// prerendered first paint has no properties, and it tells what was typed into it from that.
/// Read from the same closure as the property, so both always agree.
fn start_text(value: ReadSignal<Option<ArgValue>>) -> String {
    untrack(text_of(value))
}

/// unset / true / false.
#[component]
fn BoolSelect(w: ControlWiring) -> impl IntoView {
    let value = w.value;
    let shown = move || {
        value.with(|v| match v {
            Some(ArgValue::Switch(b)) => b.to_string(),
            _ => String::new(),
        })
    };
    let start = untrack(shown);
    view! {
        <select
            id=w.id.clone()
            data-testid=w.id
            aria-describedby=w.describe
            on:change=move |ev| w.apply.run(event_target_value(&ev))
            prop:value=shown
        >
            <option value="" selected=start.is_empty()>
                {w.placeholder}
            </option>
            <option value="true" selected=start == "true">
                "true"
            </option>
            <option value="false" selected=start == "false">
                "false"
            </option>
        </select>
    }
}

/// A switch without a value (`--enable-x`).
#[component]
fn SwitchBox(w: ControlWiring) -> impl IntoView {
    let value = w.value;
    let on = move || matches!(value.get(), Some(ArgValue::Switch(true)));
    view! {
        <input
            type="checkbox"
            id=w.id.clone()
            data-testid=w.id
            aria-describedby=w.describe
            checked=untrack(on)
            prop:checked=on
            on:change=move |ev| {
                w.apply.run(if event_target_checked(&ev) { "true".into() } else { String::new() })
            }
        />
    }
}

/// One of the values argparse enforces.
#[component]
fn ChoiceSelect(w: ControlWiring, choices: &'static [String]) -> impl IntoView {
    let start = start_text(w.value);
    let options = choices
        .iter()
        .map(|c| {
            let selected = *c == start;
            view! {
                <option value=c.as_str() selected=selected>
                    {c.as_str()}
                </option>
            }
        })
        .collect_view();
    view! {
        <select
            id=w.id.clone()
            data-testid=w.id
            aria-describedby=w.describe
            on:change=move |ev| w.apply.run(event_target_value(&ev))
            prop:value=text_of(w.value)
        >
            <option value="" selected=start.is_empty()>
                {w.placeholder}
            </option>
            {options}
        </select>
    }
}

/// A JSON value, checked as it is typed.
#[component]
fn JsonArea(w: ControlWiring) -> impl IntoView {
    view! {
        <textarea
            id=w.id.clone()
            data-testid=w.id
            aria-describedby=w.describe
            rows="2"
            spellcheck="false"
            placeholder=w.placeholder
            prop:value=text_of(w.value)
            on:input=move |ev| w.apply.run(event_target_value(&ev))
        >
            {start_text(w.value)}
        </textarea>
    }
}

/// Free text or a number, with the registered names as suggestions.
#[component]
fn TextInput(w: ControlWiring, suggestions: &'static [String], numeric: bool) -> impl IntoView {
    let list_id = format!("{}-options", w.id);
    let has_list = !suggestions.is_empty();
    // The suggestions (up to 58 names a field) are built when the field is first focused: the
    // browser shows them only then, and the first paint has fewer nodes to build.
    let wanted = RwSignal::new(false);
    view! {
        <input
            type="text"
            id=w.id.clone()
            data-testid=w.id
            aria-describedby=w.describe
            placeholder=w.placeholder
            value=start_text(w.value)
            prop:value=text_of(w.value)
            inputmode=if numeric { "decimal" } else { "text" }
            list=has_list.then(|| list_id.clone())
            on:focus=move |_| wanted.set(true)
            on:input=move |ev| w.apply.run(event_target_value(&ev))
        />
        {has_list
            .then(|| {
                view! {
                    <datalist id=list_id>
                        {move || {
                            wanted
                                .get()
                                .then(|| {
                                    suggestions
                                        .iter()
                                        .map(|v| view! { <option value=v.as_str()></option> })
                                        .collect_view()
                                })
                        }}
                    </datalist>
                }
            })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use studio_core::catalog::Catalog;

    fn flag(name: &str) -> Option<&'static Flag> {
        Catalog::get().flag(name)
    }

    #[test]
    fn typed_text_becomes_the_flag_value_as_written() {
        let word = |t: &str| Some(ArgValue::word(t));
        assert_eq!(value_from_text(flag("max-model-len"), " 32k "), word("32k"));
        assert_eq!(value_from_text(flag("max-model-len"), ""), None);
        // Invalid text is kept (the rules flag it), never replaced by the last valid keystroke.
        assert_eq!(value_from_text(flag("max-model-len"), "lots"), word("lots"));
        assert_eq!(
            value_from_text(flag("gpu-memory-utilization"), "1.5"),
            word("1.5")
        );
        assert_eq!(
            value_from_text(flag("enable-auto-tool-choice"), "true"),
            Some(ArgValue::Switch(true))
        );
        assert_eq!(
            value_from_text(flag("served-model-name"), "a b"),
            Some(ArgValue::Words(vec!["a".into(), "b".into()])),
            "a list flag takes its words"
        );
        assert_eq!(
            value_from_text(flag("chat-template"), "a b"),
            word("a b"),
            "a text flag keeps its spaces"
        );
        // A flag no catalog knows keeps its text as written.
        assert_eq!(value_from_text(None, "x y"), word("x y"));
    }
}
