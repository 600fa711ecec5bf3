//! Small browser helpers: location, clipboard, downloads. The only file that touches web-sys
//! directly besides event handlers.
use wasm_bindgen::JsCast;

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

/// The current `?query` (without `?`).
pub fn location_query() -> String {
    window()
        .location()
        .search()
        .unwrap_or_default()
        .trim_start_matches('?')
        .to_string()
}

/// The page address without query or fragment.
pub fn page_base() -> String {
    thread_local! {
        // Read once: the app only ever replaces the query, never the origin or the path, and
        // the share link asks for this on every change.
        static BASE: String = {
            let loc = window().location();
            format!(
                "{}{}",
                loc.origin().unwrap_or_default(),
                loc.pathname().unwrap_or_default()
            )
        };
    }
    BASE.with(String::clone)
}

/// Replaces the address bar's query without a reload or a history entry.
pub fn replace_query(query: &str) {
    if let Ok(history) = window().history() {
        let url = format!("{}?{}", page_base(), query);
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Copies text to the clipboard; resolves to whether it worked.
pub async fn copy_text(text: String) -> bool {
    let promise = window().navigator().clipboard().write_text(&text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let doc = window().document().expect("a document");
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A performance mark (read by scripts/bench: the start-up phases in the README).
pub fn mark(name: &str) {
    if let Some(perf) = window().performance() {
        let _ = perf.mark(name);
    }
}
