//! Our compact YAML reader against yaml-rust2 on compose files written in many styles.
mod common;

use common::{our_yaml_json as ours, yaml_rust2_json as theirs};
use studio_core::yaml::parse;

#[test]
fn reads_every_style_as_yaml_rust2_does() {
    let text = include_str!("../../../tests/fixtures/yaml/styles.yml");
    let a = ours(&parse(text).unwrap());
    let b = theirs(&yaml_rust2::YamlLoader::load_from_str(text).unwrap()[0]);
    assert_eq!(a, b);
    // Spot checks of what the import relies on.
    assert_eq!(
        a["services"]["vllm"]["labels"]["note"],
        "line one\n  indented two\n\nafter a blank\n"
    );
    assert_eq!(
        a["services"]["vllm"]["labels"]["folded"],
        "a b\nc\n  kept\nd"
    );
    assert_eq!(a["services"]["vllm"]["labels"]["keep"], "text\n\n");
}

#[test]
fn the_seed_reads_alike() {
    let text = include_str!("../../../profiles/medium.yml");
    assert_eq!(
        ours(&parse(text).unwrap()),
        theirs(&yaml_rust2::YamlLoader::load_from_str(text).unwrap()[0])
    );
}
