//! Light, dark or the system's choice: the toggle overrides `prefers-color-scheme` through a
//! `data-theme` attribute on the root element (main.css) and is remembered in browser storage.
use leptos::prelude::*;

/// Where the choice is remembered.
pub const KEY: &str = "vllm-profile-studio.theme";
const CHOICES: [&str; 3] = ["system", "light", "dark"];

fn stored() -> String {
    // The prerendered first paint is made natively, where there is no storage.
    if cfg!(not(target_arch = "wasm32")) {
        return "system".into();
    }
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .filter(|t| CHOICES.contains(&t.as_str()))
        .unwrap_or_else(|| "system".into())
}

fn apply(theme: &str) {
    if let Some(root) = document().document_element() {
        let _ = match theme {
            "system" => root.remove_attribute("data-theme"),
            t => root.set_attribute("data-theme", t),
        };
    }
}

/// Applies the remembered theme (before the app mounts, so nothing flashes).
pub fn restore() {
    apply(&stored());
}

/// The toggle: system → light → dark → system.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(stored());
    let next = move |_| {
        let now = theme.get_untracked();
        let at = CHOICES.iter().position(|c| *c == now).unwrap_or(0);
        let t = CHOICES[(at + 1) % CHOICES.len()].to_string();
        apply(&t);
        if let Some(s) = window().local_storage().ok().flatten() {
            let _ = s.set_item(KEY, &t);
        }
        theme.set(t);
    };
    view! {
        <button
            type="button"
            class="theme-toggle"
            data-testid="theme-toggle"
            data-theme=move || theme.get()
            on:click=next
            title="Light, dark or as the system says"
        >
            {move || format!("Theme: {}", theme.get())}
        </button>
    }
}
