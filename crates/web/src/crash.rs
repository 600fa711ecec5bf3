//! What happens when the app hits a bug (a panic; the release build aborts after the hook):
//! the last profile is saved as the draft (so no more than the keystroke in flight is lost),
//! and a plain message replaces nothing but sits on top of the page, with the details to
//! paste into a report. Written with text nodes only: the panic message may quote user input.
use std::cell::RefCell;
use studio_core::profile::Profile;
use studio_core::storage::encode_draft;

thread_local! {
    /// The profile of the last committed edit, kept outside the reactive graph so the hook can
    /// read it even when the panic happened while a signal was borrowed.
    static LAST: RefCell<Option<Profile>> = const { RefCell::new(None) };
}

/// Remembers the profile of the last edit (called by the state on every change).
pub fn remember(p: &Profile) {
    LAST.with(|l| {
        if let Ok(mut last) = l.try_borrow_mut() {
            *last = Some(p.clone());
        }
    });
}

/// Installs the hook (once, before the app mounts).
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let saved = save_last();
        let details = info.to_string();
        show(&details, saved);
        leptos::logging::error!("{details}");
    }));
}

/// Writes the last profile as the draft; whether it was written.
fn save_last() -> bool {
    let draft = LAST.with(|l| {
        l.try_borrow()
            .ok()
            .and_then(|p| p.as_ref().map(encode_draft))
    });
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    match (draft, storage) {
        (Some(d), Some(s)) => s.set_item(super::persistence::DRAFT_KEY, &d).is_ok(),
        _ => false,
    }
}

fn show(details: &str, saved: bool) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Ok(card), Some(body)) = (doc.create_element("div"), doc.body()) else {
        return;
    };
    let _ = card.set_attribute("role", "alert");
    let _ = card.set_attribute("class", "card crash");
    let _ = card.set_attribute("data-testid", "app-crashed");
    let mut text = String::from("The studio hit a bug and stopped. ");
    text.push_str(if saved {
        "Your profile up to the last edit is saved: reload the page to continue. "
    } else {
        "Reload the page to continue from the last saved draft. "
    });
    text.push_str("To report it, copy the details below into an issue:");
    card.set_text_content(Some(&text));
    if let Ok(pre) = doc.create_element("pre") {
        pre.set_text_content(Some(details));
        let _ = card.append_child(&pre);
    }
    let _ = body.insert_before(&card, body.first_child().as_ref());
}
