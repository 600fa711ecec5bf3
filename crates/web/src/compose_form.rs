//! Compose-level settings of the service, generated from the core's setting table. A value
//! Compose would refuse is kept as written (the exports show it) and shown as an error next to
//! its field; only text the setting cannot hold at all is refused, with "not applied".
use super::field_error::FieldError;
use super::state::studio;
use leptos::prelude::*;
use studio_core::compose::settings::{
    ComposeSetting, SettingControl, SettingGroup, COMPOSE_SETTINGS, HEALTHCHECK,
};
use studio_core::profile::{Healthcheck, Profile};

/// One setting's control: a text field or a checkbox, as the table says.
#[component]
fn Setting(
    /// The table row this control edits.
    setting: &'static ComposeSetting,
) -> impl IntoView {
    let s = studio();
    // Text the setting cannot hold at all; what Compose would refuse is kept and shown below.
    let write_error = RwSignal::new(None::<String>);
    // Judged with the checks, one task after the keystroke (see Studio::settle).
    let problem = Memo::new(move |_| s.settled.with(|p| setting.problem(&p.compose)));
    let error = Signal::derive(move || write_error.get().or_else(|| problem.get()));
    let id = format!("compose-{}", setting.key);
    // The text follows the profile one task after a keystroke (with the checks): the field
    // being typed already shows it, and the other settings' fields wake only when theirs changes.
    let text = Memo::new(move |_| {
        s.settled
            .with(|p| (setting.read)(&p.compose).unwrap_or_default())
    });
    let id_of_field = id.clone();
    let apply = move |candidate: &str| {
        let current = s.profile.get_untracked();
        match setting.write_as_written(&current.compose, candidate) {
            Ok(compose) => {
                write_error.set(None);
                s.edit_typing(&id_of_field, |p| p.compose = compose)
            }
            Err(e) => write_error.set(Some(format!("{e} (not applied)"))),
        }
    };
    let control = match setting.control {
        SettingControl::Switch(on) => view! {
            <label>
                <input
                    type="checkbox"
                    data-testid=id.clone()
                    prop:checked=move || text.with(|t| *t == on)
                    on:change=move |ev| apply(if event_target_checked(&ev) { on } else { "" })
                />
                " "
                {setting.label}
            </label>
        }
        .into_any(),
        SettingControl::Text => view! {
            <label for=id.clone()>{setting.label}</label>
            <input
                type="text"
                id=id.clone()
                data-testid=id.clone()
                prop:value=text
                on:input=move |ev| apply(&event_target_value(&ev))
            />
            <p class="help">{setting.help}</p>
        }
        .into_any(),
    };
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            {control}
            <FieldError error=error />
        </div>
    }
}

/// The health check a user gets on enabling it: vLLM's `/health` on the container port.
fn default_healthcheck(p: &Profile) -> Healthcheck {
    Healthcheck {
        test: vec![
            "CMD".into(),
            "curl".into(),
            "-f".into(),
            format!("http://localhost:{}/health", p.container_port()),
        ],
        interval: "30s".into(),
        timeout: "10s".into(),
        retries: 5,
        start_period: "300s".into(),
    }
}

fn settings_of(group: SettingGroup) -> impl Iterator<Item = &'static ComposeSetting> {
    COMPOSE_SETTINGS.iter().filter(move |s| s.group == group)
}

/// The compose settings card.
#[component]
pub fn ComposeForm() -> impl IntoView {
    let s = studio();
    let has_health = Memo::new(move |_| s.settled.with(|p| p.compose.healthcheck.is_some()));
    let toggle_health =
        move |on: bool| s.edit(|p| p.compose.healthcheck = on.then(|| default_healthcheck(p)));
    view! {
        <section class="card" aria-labelledby="compose-title">
            <h2 id="compose-title">"Compose service"</h2>
            {settings_of(SettingGroup::Service)
                .map(|setting| view! { <Setting setting /> })
                .collect_view()}
            <fieldset class="category">
                <legend>"Healthcheck"</legend>
                <label>
                    <input
                        type="checkbox"
                        data-testid=format!("compose-{HEALTHCHECK}")
                        prop:checked=move || has_health.get()
                        on:change=move |ev| toggle_health(event_target_checked(&ev))
                    />
                    " Enabled"
                </label>
                <Show when=move || {
                    has_health.get()
                }>
                    {settings_of(SettingGroup::Healthcheck)
                        .map(|setting| view! { <Setting setting /> })
                        .collect_view()}
                </Show>
            </fieldset>
        </section>
    }
}
