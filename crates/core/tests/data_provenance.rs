//! `data/` holds verbatim copies of `shared/reference` (the facts and their sources); this keeps
//! them identical so the app never drifts from the reference. Files of our own name their
//! source: `pypi-releases.txt` in its header, the JSON files generated from the real vLLM
//! packages (`scripts/facts/`) in a `source` field.
use std::path::Path;

/// Data files generated here from the real vLLM packages (not copies of the reference).
const OWN_JSON: &[&str] = &[
    "vllm-envs.json",
    "vllm-config-keys-0.33.0.json",
    "vllm-model-runner.json",
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
        if path.is_dir() {
            continue;
        }
        if name == "memory-bands.json" {
            // Generated from the records below by tests/memory_accuracy.rs, which keeps it current.
            continue;
        }
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

/// `data/gpu-runs/`: verbatim copies of `shared/gpu/examples` records, or our own runs, each
/// record naming its run and engine; `data/model-configs/`: every config.json listed with its
/// source in SOURCES.json, and nothing unlisted.
#[test]
fn startup_records_and_model_configs_name_their_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let examples = root.join("../../../../shared/gpu/examples");
    for entry in std::fs::read_dir(root.join("gpu-runs")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with("-records.json") {
            continue;
        }
        let text = std::fs::read(&path).unwrap();
        if let Ok(theirs) = std::fs::read(examples.join(&name)) {
            assert_eq!(
                text, theirs,
                "gpu-runs/{name} differs from shared/gpu/examples"
            );
            continue;
        }
        let records: serde_json::Value = serde_json::from_slice(&text).unwrap();
        for r in records.as_array().unwrap() {
            let source = r["source"]["issue_or_path"].as_str().unwrap_or_default();
            assert!(
                source.starts_with("own run"),
                "{name} {}: {source}",
                r["id"]
            );
            assert!(
                r["notes"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("vllm.LLM(**"),
                "{name} {} quotes its engine arguments",
                r["id"]
            );
        }
        let logs = name.replace("-records.json", "-logs.tar.xz");
        assert!(
            path.with_file_name(&logs).exists(),
            "{name}: the logs are kept ({logs})"
        );
    }
    let configs = root.join("model-configs");
    let sources: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(configs.join("SOURCES.json")).unwrap())
            .unwrap();
    let listed: Vec<&str> = sources["models"]
        .as_object()
        .unwrap()
        .values()
        .map(|m| {
            assert!(m["source"].as_str().is_some_and(|s| !s.is_empty()), "{m}");
            m["file"].as_str().unwrap()
        })
        .collect();
    for entry in std::fs::read_dir(&configs).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            name == "SOURCES.json" || listed.contains(&name.as_str()),
            "model-configs/{name} is not listed in SOURCES.json"
        );
    }
}
