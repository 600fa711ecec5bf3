//! Our YAML reader against PyYAML on the real compose files of `../shared/wild` (read-only):
//! every file PyYAML reads, ours reads to the same value.
#![cfg(not(target_arch = "wasm32"))]
mod common;

use std::path::Path;

#[test]
fn reads_the_wild_compose_files_as_pyyaml_does() {
    let wild = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/wild");
    let mut files: Vec<_> = std::fs::read_dir(&wild)
        .expect("../shared/wild beside the repository")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut compared = 0;
    for (theirs, file) in common::pyyaml_read(&files).into_iter().zip(&files) {
        let name = file.file_name().unwrap().to_string_lossy();
        let text = std::fs::read_to_string(file).unwrap();
        let ours = studio_core::yaml::parse(&text);
        match (theirs.get("__error__"), ours) {
            (Some(_), Err(_)) => {}
            (Some(e), Ok(_)) => failures.push(format!("{name}: PyYAML refuses ({e}), we read it")),
            (None, Err(e)) => failures.push(format!("{name}: we refuse: {e}")),
            (None, Ok(n)) => {
                compared += 1;
                // Merge keys are YAML 1.1 (PyYAML applies them; Compose too).
                let ours = common::our_yaml_json(&studio_core::yaml::resolve_merges(&n));
                if ours != theirs {
                    let at = first_difference(&ours, &theirs, String::new());
                    failures.push(format!("{name}: read differently at {at}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{compared} compared\n{}",
        failures.join("\n")
    );
}

/// The path and both values where two readings first differ.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> String {
    use serde_json::Value::{Array, Object};
    match (a, b) {
        (Object(x), Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if w != v => return first_difference(v, w, format!("{at}.{k}")),
                    None => return format!("{at}.{k}: only ours"),
                    _ => {}
                }
            }
            let extra: Vec<_> = y.keys().filter(|k| !x.contains_key(*k)).collect();
            format!("{at}: only PyYAML has {extra:?}")
        }
        (Array(x), Array(y)) if x.len() == y.len() => {
            let i = x.iter().zip(y).position(|(v, w)| v != w).unwrap_or(0);
            first_difference(&x[i], &y[i], format!("{at}[{i}]"))
        }
        _ => format!("{at}: ours {a} vs PyYAML {b}"),
    }
}
