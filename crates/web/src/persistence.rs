//! Autosave, the previous draft, snapshots and undo/redo keys. Storage that cannot be read is set
//! aside under a `.corrupt` key with a notice; it never stops the app from starting.
use super::deferred::Deferred;
use super::state::Studio;
use leptos::prelude::*;
use studio_core::compose::Origin;
use studio_core::profile::Profile;
use studio_core::storage::{
    decode_draft, decode_origin, decode_snapshots, encode_draft, encode_origin, encode_snapshots,
    Snapshot,
};

pub const DRAFT_KEY: &str = "vllm-profile-studio/draft";
pub const SNAPSHOTS_KEY: &str = "vllm-profile-studio/snapshots";
/// The imported file the draft edits (so a reload still writes edits back into it).
pub const FILE_KEY: &str = "vllm-profile-studio/file";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a stored item with `decode`; unreadable data is moved aside and reported.
fn load<T>(
    key: &str,
    decode: fn(&str) -> Result<T, String>,
    notices: &mut Vec<String>,
) -> Option<T> {
    let store = storage()?;
    let text = store.get_item(key).ok().flatten()?;
    match decode(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            let _ = store.set_item(&format!("{key}.corrupt"), &text);
            let _ = store.remove_item(key);
            notices.push(format!(
                "Storage: {e}; it was set aside under `{key}.corrupt` and the app started without it."
            ));
            None
        }
    }
}

/// The saved draft, if readable.
pub fn load_draft(notices: &mut Vec<String>) -> Option<Profile> {
    load(DRAFT_KEY, decode_draft, notices)
}

/// The imported file saved with the draft, if readable.
pub fn load_origin(notices: &mut Vec<String>) -> Option<Origin> {
    load(FILE_KEY, decode_origin, notices)
}

/// A link replaced the draft: its imported file is kept aside under `<key>.previous` (never
/// lost), so that the link's profile is not written into a file it did not come from.
pub fn set_aside_origin() {
    if let Some(store) = storage() {
        if let Ok(Some(text)) = store.get_item(FILE_KEY) {
            let _ = store.set_item(&format!("{FILE_KEY}.previous"), &text);
            let _ = store.remove_item(FILE_KEY);
        }
    }
}

/// Saved snapshots (empty if none or unreadable).
pub fn load_snapshots(notices: &mut Vec<String>) -> Vec<Snapshot> {
    load(SNAPSHOTS_KEY, decode_snapshots, notices).unwrap_or_default()
}

/// Writes the snapshots.
pub fn save_snapshots(list: &[Snapshot]) {
    if let Some(s) = storage() {
        let _ = s.set_item(SNAPSHOTS_KEY, &encode_snapshots(list));
    }
}

/// Saves the profile after each burst of changes (and before the page goes), and binds Ctrl/Cmd+Z (undo) and Shift+Ctrl/Cmd+Z (redo)
/// outside text fields.
pub fn install(studio: Studio) {
    // Written when the keyboard rests, or at once when the page is hidden or left.
    let draft = Deferred::new(move || {
        let draft = studio.profile.with_untracked(encode_draft);
        if let Some(s) = storage() {
            let _ = s.set_item(DRAFT_KEY, &draft);
        }
    });
    Effect::new(move |_| {
        studio.profile.track();
        draft.schedule();
    });
    Effect::new(move |_| {
        let file = studio.origin.with(|o| o.as_ref().map(encode_origin));
        if let Some(s) = storage() {
            let _ = match file {
                Some(f) => s.set_item(FILE_KEY, &f),
                None => s.remove_item(FILE_KEY),
            };
        }
    });
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if !(ev.ctrl_key() || ev.meta_key()) || !ev.key().eq_ignore_ascii_case("z") {
            return;
        }
        let in_text = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if in_text {
            return;
        }
        ev.prevent_default();
        if ev.shift_key() {
            studio.redo()
        } else {
            studio.undo()
        }
    });
    // The listener lives as long as the page.
    std::mem::forget(handle);
}
