//! `data/` holds verbatim copies of `shared/reference` (the facts and their sources); this keeps
//! them identical so the app never drifts from the reference. Files of our own name their
//! source: `pypi-releases.txt` in its header, the JSON files generated from the real vLLM
//! packages (`scripts/facts/`) in a `source` field.
use std::path::Path;

/// Data files generated here from the real vLLM packages (not copies of the reference).
const OWN_JSON: &[&str] = &[
    "vllm-envs.json",
    "vllm-config-keys-0.33.0.json",
    "models-extra.json",
];

#[test]
fn data_files_are_verbatim_copies_of_the_reference() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reference = root.join("../../../shared/reference");
    assert!(
        reference.exists(),
        "../shared/reference is missing beside the repository"
    );
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("data")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if name == "pypi-releases.txt" {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.lines().any(|l| l.starts_with("# Source: PyPI")),
                "{name:?} names its source"
            );
            continue;
        }
        if OWN_JSON.contains(&name.to_str().unwrap()) {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let source = v["source"].as_str().unwrap_or_default();
            assert!(
                source.contains("scripts/facts/"),
                "{name:?} names its source and generator"
            );
            continue;
        }
        let theirs = std::fs::read(reference.join(name))
            .unwrap_or_else(|_| panic!("{name:?} is not in shared/reference"));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            theirs,
            "data/{name:?} differs from shared/reference"
        );
        checked += 1;
    }
    assert_eq!(checked, 6);
}
