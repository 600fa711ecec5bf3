//! The first paint, prerendered: the first task's view (`Page`, on the reference profile, before
//! the later sections arrive) rendered to HTML at build time by Leptos' own renderer, natively,
//! from the same components. `scripts/first-paint-stage` writes it into the built `index.html`,
//! with `first_paint.js`, which shows it while the wasm downloads and starts (only when the app
//! is to open on the reference profile) and hands what was typed and pressed in it to the app.
//!
//! Controls render their starting value as HTML (`value`, `selected`, `checked`) besides the
//! property the app keeps up to date, because a renderer does not write properties into HTML.
use leptos::prelude::*;

/// The `<template id="first-paint">` with the first paint.
#[cfg(not(target_arch = "wasm32"))]
pub fn template() -> String {
    use super::state::Studio;
    let owner = Owner::new();
    owner.set();
    provide_context(Studio::new(studio_core::compose::reference_profile()));
    let page = view! {
        <super::Page
            snapshots=RwSignal::new(Vec::new())
            previous_draft=RwSignal::new(None)
            later_form=StoredValue::new_local(None)
            later_panels=StoredValue::new_local(None)
            arrived=Memo::new(|_| false)
            load_failed=RwSignal::new(false)
        />
    };
    format!(
        "<template id=\"first-paint\">{}</template>",
        // Read once, as the first task would: outside any reactive scope on purpose.
        untrack(|| page.to_html())
    )
}

/// The script that shows the first paint and hands it to the app (`first_paint.js`).
#[cfg(not(target_arch = "wasm32"))]
pub fn script() -> String {
    // With any of these stored the app opens on something else than the reference profile.
    let keys = [
        super::persistence::DRAFT_KEY,
        super::persistence::SNAPSHOTS_KEY,
        super::persistence::FILE_KEY,
        super::theme::KEY,
    ];
    include_str!("first_paint.js").replace(
        "__STORAGE_KEYS__",
        &serde_json::Value::from(keys.to_vec()).to_string(),
    )
}

/// Takes the first paint off the page, keeping what was typed and pressed in it, the focus and
/// the scroll; `None` when it was not shown.
#[cfg(target_arch = "wasm32")]
pub fn take() -> Option<wasm_bindgen::JsValue> {
    call("take", &wasm_bindgen::JsValue::UNDEFINED)
}

/// Replays what `take` kept on the mounted app.
#[cfg(target_arch = "wasm32")]
pub fn give(state: wasm_bindgen::JsValue) {
    call("give", &state);
}

#[cfg(target_arch = "wasm32")]
fn call(method: &str, arg: &wasm_bindgen::JsValue) -> Option<wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let hooks = js_sys::Reflect::get(&window(), &"studioFirstPaint".into()).ok()?;
    if hooks.is_undefined() {
        return None;
    }
    let f: js_sys::Function = js_sys::Reflect::get(&hooks, &method.into())
        .ok()?
        .dyn_into()
        .ok()?;
    f.call1(&hooks, arg).ok()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use studio_core::compose::reference_profile;

    #[test]
    fn the_first_paint_is_the_reference_profile_with_its_values_as_html() {
        let html = template();
        let p = reference_profile();
        assert!(html.starts_with("<template id=\"first-paint\">") && html.ends_with("</template>"));
        // Each control says its starting value in HTML, which is what the script compares
        // typed text against.
        let len = p.get("max-model-len").unwrap().text();
        let field = &html[html.find("data-testid=\"param-max-model-len\"").unwrap()..];
        let field = &field[..field.find('>').unwrap()];
        assert!(field.contains(&format!("value=\"{len}\"")), "{field}");
        assert!(html.contains(&format!("value=\"{}\" selected", p.hardware.gpu)));
        assert!(html.contains(&format!(
            "data-testid=\"gpu-count\" value=\"{}\"",
            p.hardware.gpu_count
        )));
        assert!(html.contains(&format!("value=\"{}\" selected", p.vllm_version)));
        assert_eq!(
            html.matches(" selected").count(),
            html.matches("<select").count()
        );
        // The score is the one the app computes for it; the later sections are not in it.
        let owner = Owner::new();
        owner.set();
        let studio = super::super::state::Studio::new(p);
        let percent = studio.score.get_untracked().overall;
        assert!(html.contains(&format!(">{percent} %</a>")), "{percent}");
        assert!(!html.contains("compose-yaml"));
        assert!(html.contains("data-pending=\"true\""));
    }
}
