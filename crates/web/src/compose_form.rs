//! Compose-level settings of the service. A value Compose would refuse is shown as an error next
//! to its field and not applied.
use super::state::studio;
use leptos::prelude::*;
use studio_core::compose::compose_problems;
use studio_core::link::parse_devices;
use studio_core::profile::{Healthcheck, Profile};

/// A text setting: `read` shows it, `write` applies a candidate that `compose_problems` then
/// checks; a refused candidate leaves the profile untouched.
#[component]
fn Setting(
    key: &'static str,
    label: &'static str,
    read: fn(&Profile) -> String,
    write: fn(&mut Profile, String) -> Result<(), String>,
    #[prop(optional)] help: &'static str,
) -> impl IntoView {
    let s = studio();
    let error = RwSignal::new(None::<String>);
    let id = format!("compose-{key}");
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <input type="text" id=id.clone() data-testid=id.clone()
                prop:value=move || s.profile.with(read)
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    let mut next = s.profile.get_untracked();
                    let result = write(&mut next, text).and_then(|_| {
                        match compose_problems(&next).into_iter().find(|(f, _)| *f == key) {
                            Some((_, m)) => Err(m),
                            None => Ok(()),
                        }
                    });
                    match result {
                        Ok(()) => { error.set(None); s.replace(next) }
                        Err(e) => error.set(Some(e)),
                    }
                } />
            <p class="help">{help}</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </div>
    }
}

fn health(p: &mut Profile) -> &mut Healthcheck {
    let port = p.container_port();
    p.compose.healthcheck.get_or_insert_with(|| Healthcheck {
        test: vec![
            "CMD".into(),
            "curl".into(),
            "-f".into(),
            format!("http://localhost:{port}/health"),
        ],
        interval: "30s".into(),
        timeout: "10s".into(),
        retries: 5,
        start_period: "300s".into(),
    })
}

/// The compose settings card.
#[component]
pub fn ComposeForm() -> impl IntoView {
    let s = studio();
    let has_health = Memo::new(move |_| s.profile.with(|p| p.compose.healthcheck.is_some()));
    view! {
        <section class="card" aria-labelledby="compose-title">
            <h2 id="compose-title">"Compose service"</h2>
            <Setting key="service" label="Service name" read=|p| p.compose.service.clone() write=|p, v| { p.compose.service = v; Ok(()) } />
            <Setting key="container-name" label="container_name" read=|p| p.compose.container_name.clone() write=|p, v| { p.compose.container_name = v; Ok(()) } help="Empty: Compose names the container." />
            <Setting key="image" label="Image" read=|p| p.compose.image.clone() write=|p, v| { p.compose.image = v; Ok(()) } />
            <Setting key="tag" label="Image tag" read=|p| p.compose.tag.clone() write=|p, v| { p.compose.tag = v; Ok(()) } help="Pin the release you validated against, e.g. v0.33.0." />
            <Setting key="host-port" label="Host port" read=|p| p.compose.host_port.clone() write=|p, v| { p.compose.host_port = v; Ok(()) } help="Mapped to the container's --port; a number or ${VAR:-5002}. Empty: not published." />
            <Setting key="devices" label="GPU devices" read=|p| studio_core::link::to_pairs(p).into_iter().find(|(k, _)| k == "devices").map(|(_, v)| v).unwrap_or_else(|| "all".into())
                write=|p, v| { p.compose.devices = parse_devices(&v)?; Ok(()) } help="all, count:N, ids like 0,1, or ${CUDA_VISIBLE_DEVICES_MEDIUM}." />
            <Setting key="hf-cache" label="HF cache on the host" read=|p| p.compose.hf_cache.clone() write=|p, v| { p.compose.hf_cache = v; Ok(()) } help="Mounted at /root/.cache/huggingface so weights download once." />
            <div class="field">
                <label><input type="checkbox" data-testid="compose-hf-token" prop:checked=move || s.profile.with(|p| p.compose.hf_token)
                    on:change=move |ev| { let on = event_target_checked(&ev); s.edit(|p| p.compose.hf_token = on) } />
                " Pass HF_TOKEN from .env (as ${HF_TOKEN}, never a literal)"</label>
            </div>
            <div class="field">
                <label><input type="checkbox" data-testid="compose-ipc" prop:checked=move || s.profile.with(|p| p.compose.ipc_host)
                    on:change=move |ev| { let on = event_target_checked(&ev); s.edit(|p| p.compose.ipc_host = on) } />
                " ipc: host (shared memory for tensor parallelism)"</label>
            </div>
            <Setting key="shm-size" label="shm_size" read=|p| p.compose.shm_size.clone() write=|p, v| { p.compose.shm_size = v; Ok(()) } help="Instead of ipc: host, e.g. 16gb." />
            <Setting key="restart" label="Restart policy" read=|p| p.compose.restart.clone() write=|p, v| { p.compose.restart = v; Ok(()) } help="no, always, on-failure or unless-stopped." />
            <fieldset class="category">
                <legend>"Healthcheck"</legend>
                <label><input type="checkbox" data-testid="compose-healthcheck" prop:checked=move || has_health.get()
                    on:change=move |ev| { let on = event_target_checked(&ev); s.edit(|p| if on { health(p); } else { p.compose.healthcheck = None }) } />
                " Enabled"</label>
                <Show when=move || has_health.get()>
                    <Setting key="health-test" label="test (JSON list)" read=|p| p.compose.healthcheck.as_ref().map(|h| studio_core::link::string_list_json(&h.test)).unwrap_or_default()
                        write=|p, v| { health(p).test = studio_core::link::parse_string_list(&v)?; Ok(()) } />
                    <Setting key="health-interval" label="interval" read=|p| p.compose.healthcheck.as_ref().map(|h| h.interval.clone()).unwrap_or_default() write=|p, v| { health(p).interval = v; Ok(()) } />
                    <Setting key="health-timeout" label="timeout" read=|p| p.compose.healthcheck.as_ref().map(|h| h.timeout.clone()).unwrap_or_default() write=|p, v| { health(p).timeout = v; Ok(()) } />
                    <Setting key="health-retries" label="retries" read=|p| p.compose.healthcheck.as_ref().map(|h| h.retries.to_string()).unwrap_or_default()
                        write=|p, v| { health(p).retries = v.trim().parse().map_err(|_| format!("`{v}` is not a whole number"))?; Ok(()) } />
                    <Setting key="health-start-period" label="start_period" read=|p| p.compose.healthcheck.as_ref().map(|h| h.start_period.clone()).unwrap_or_default() write=|p, v| { health(p).start_period = v; Ok(()) } />
                </Show>
            </fieldset>
        </section>
    }
}
