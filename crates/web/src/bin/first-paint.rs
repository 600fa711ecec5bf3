//! Prints the prerendered first paint (`first_paint.rs`) for `scripts/first-paint-stage`:
//! `first-paint template` the `<template>`, `first-paint script` the script that shows it.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let (template, script) = studio_web::first_paint();
    match std::env::args().nth(1).as_deref() {
        Some("template") => print!("{template}"),
        Some("script") => print!("{script}"),
        _ => {
            eprintln!("usage: first-paint template|script");
            std::process::exit(2);
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
