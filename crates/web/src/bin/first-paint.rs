//! Writes the prerendered first paint (`first_paint.rs`) for `scripts/first-paint-stage`:
//! `first-paint DIR` writes `DIR/template.html` (the `<template>`) and `DIR/script.js` (the
//! script that shows it), from one rendering.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let Some(dir) = std::env::args().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: first-paint DIR");
        std::process::exit(2);
    };
    let (template, script) = studio_web::first_paint();
    for (name, text) in [("template.html", template), ("script.js", script)] {
        if let Err(e) = std::fs::write(dir.join(name), text) {
            eprintln!(
                "first-paint: cannot write {}: {e}",
                dir.join(name).display()
            );
            std::process::exit(1);
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
