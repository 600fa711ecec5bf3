//! The message under a field: why its value is refused, or why it was not applied.
use leptos::prelude::*;

/// Shows `error` while it is set, announced to screen readers.
#[component]
pub fn FieldError(
    /// The current message; `None` hides the element.
    #[prop(into)]
    error: Signal<Option<String>>,
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
