//! The message under a field whose value was refused (the profile keeps its last good value).
use leptos::prelude::*;

/// Shows `error` while it is set, announced to screen readers.
#[component]
pub fn FieldError(
    /// The current message; `None` hides the element.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <p class="error" role="alert">
                    {e}
                </p>
            }
        })
    }
}
