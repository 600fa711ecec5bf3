//! vLLM's config file as `export --target config` writes it, against what vLLM 0.33.0's real parser
//! said of it (tests/data/config-file-cases-0.33.0.json, recorded by
//! scripts/facts/record_config_cases.py): each case is accepted, and read by the parser exactly
//! as the command-line export is. Here: today's export of each link is still the recorded file.
use studio_core::{deploy, link};

#[test]
fn the_exported_config_files_are_the_ones_the_real_parser_accepted() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/config-file-cases-0.33.0.json"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 3);
    for c in cases {
        let name = c["case"].as_str().unwrap();
        assert_eq!(c["exit"], 0, "{name}: the parser accepted it");
        assert_eq!(
            c["same_as_command"], "same",
            "{name}: read as the command is"
        );
        let (p, problems) = link::decode(c["link"].as_str().unwrap());
        assert!(problems.is_empty(), "{name}: {problems:?}");
        assert_eq!(
            deploy::vllm_config(&p),
            c["config"].as_str().unwrap(),
            "{name}"
        );
    }
}
