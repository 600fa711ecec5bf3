//! Every character of the Basic Multilingual Plane survives our YAML writer: PyYAML (YAML 1.1,
//! what many deploy tools read with) and our own reader give back exactly the string we wrote,
//! in a plain double-quoted value and inside an exported command.
#![cfg(not(target_arch = "wasm32"))]
mod common;

use std::process::{Command, Stdio};
use studio_core::compose::{dq, reference_profile, to_yaml, unescape_dollars};
use studio_core::profile::ArgValue;

/// Runs PyYAML's safe_load over the text and returns its reading as JSON.
fn pyyaml(yaml: &str) -> serde_json::Value {
    use std::io::Write;
    let script = "import sys, json, yaml\n\
                  print(json.dumps(yaml.safe_load(sys.stdin.buffer.read().decode('utf-8'))))";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 with PyYAML (scripts/setup installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(yaml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "PyYAML: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// U+0000–U+FFFF without the surrogates, in strings of 256 characters.
fn bmp_chunks() -> Vec<String> {
    let chars: Vec<char> = (0u32..=0xffff).filter_map(char::from_u32).collect();
    chars.chunks(256).map(|c| c.iter().collect()).collect()
}

#[test]
fn every_bmp_character_reads_back_exactly_in_pyyaml_and_our_reader() {
    let chunks = bmp_chunks();
    let yaml: String = chunks.iter().map(|c| format!("- {}\n", dq(c))).collect();
    let theirs = pyyaml(&yaml);
    let ours = common::our_yaml_json(&studio_core::yaml::parse(&yaml).unwrap());
    let want = serde_json::Value::from(chunks.clone());
    for (i, chunk) in chunks.iter().enumerate() {
        assert_eq!(theirs[i], want[i], "PyYAML, chunk at U+{:04X}", i * 256);
        assert_eq!(ours[i], want[i], "our reader, chunk at U+{:04X}", i * 256);
        assert_eq!(theirs[i].as_str(), Some(chunk.as_str()));
    }
}

#[test]
fn awkward_characters_inside_a_command_word_survive_the_export() {
    // The characters YAML 1.1 folds or drops, and controls: the command must switch to the
    // list form of escaped words.
    for awkward in [
        "a\u{85}b",
        "a\u{2028}b",
        "a\u{2029}b",
        "\u{feff}a",
        "a\u{fffe}",
        "a\u{1}b",
        "a\u{9f}",
    ] {
        let mut p = reference_profile();
        p.set("served-model-name", ArgValue::word(awkward));
        let yaml = to_yaml(&p);
        let doc = pyyaml(&yaml);
        let words: Vec<String> = doc["services"][p.compose.service.as_str()]["command"]
            .as_array()
            .unwrap_or_else(|| panic!("{awkward:?}: command is not a list:\n{yaml}"))
            .iter()
            .map(|w| unescape_dollars(w.as_str().unwrap()))
            .collect();
        let at = words
            .iter()
            .position(|w| w == "--served-model-name")
            .unwrap();
        assert_eq!(words[at + 1], awkward, "{awkward:?}");
    }
}
