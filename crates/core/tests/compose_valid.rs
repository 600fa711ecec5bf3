//! Every export must be a valid compose file for the real Compose v2 (`shared/tools/compose-check`),
//! Compose must hand vLLM exactly our words, and a YAML 1.1 reader (PyYAML) must read the file as
//! a YAML 1.2 reader does.
#![cfg(not(target_arch = "wasm32"))]
mod common;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::{Path, PathBuf};
use std::process::Command;
use studio_core::args::to_words;
use studio_core::compose::{reference_profile, to_yaml, SEED_MEDIUM_YML};
use studio_core::profile::Profile;

fn shared_tool(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/tools")
        .join(name);
    assert!(
        p.exists(),
        "{} is missing: the tests need ../shared beside the repository",
        p.display()
    );
    p
}

/// What Compose hands vLLM for a profile word: `${NAME…}` / `$NAME` are variables (unset here:
/// empty or their default), every other `$` is literal (the export escapes it).
fn interpolate_unset(word: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '$' {
            match chars.get(i + 1) {
                Some('{') => {
                    let close = chars[i..]
                        .iter()
                        .position(|&c| c == '}')
                        .map_or(chars.len(), |p| i + p);
                    let inner: String = chars[i + 2..close].iter().collect();
                    if let Some(pos) = inner.find(":-") {
                        out.push_str(&inner[pos + 2..]);
                    } else if let Some(pos) = inner.find('-') {
                        out.push_str(&inner[pos + 1..]);
                    }
                    i = close + 1;
                    continue;
                }
                Some(c) if *c == '_' || c.is_ascii_alphabetic() => {
                    i += 1;
                    while i < chars.len() && (chars[i] == '_' || chars[i].is_ascii_alphanumeric()) {
                        i += 1;
                    }
                    continue;
                }
                _ => {}
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[test]
fn exports_are_valid_compose_files_read_alike_everywhere() {
    let dir = std::env::temp_dir().join(format!("studio-compose-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let mut profiles: Vec<Profile> = vec![reference_profile()];
    for _ in 0..40 {
        profiles.push(common::profile().new_tree(&mut runner).unwrap().current());
    }
    let mut files = vec![dir.join("seed.yml")];
    std::fs::write(&files[0], SEED_MEDIUM_YML).unwrap();
    for (i, p) in profiles.iter().enumerate() {
        let f = dir.join(format!("export-{i}.yml"));
        std::fs::write(&f, to_yaml(p)).unwrap();
        files.push(f);
    }
    let status = Command::new(shared_tool("compose-check"))
        .args(&files)
        .env("HF_TOKEN", "")
        .status()
        .expect("run compose-check");
    assert!(
        status.success(),
        "compose-check refused an export (files in {})",
        dir.display()
    );

    // Compose's own reading of each command gives vLLM exactly our words.
    let bin = std::fs::read_dir(dirs_home().join(".cache/compose-check/venv/lib"))
        .unwrap()
        .flatten()
        .map(|e| e.path().join("site-packages/compose/docker-compose"))
        .find(|p| p.exists())
        .expect("compose-check's bundled docker-compose");
    for (i, p) in profiles.iter().enumerate() {
        // With no variable set, as `interpolate_unset` assumes (a shell's `$_` would leak in).
        let out = Command::new(&bin)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dirs_home())
            .args(["-f"])
            .arg(&files[i + 1])
            .args(["config", "--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let got: Vec<String> = v["services"][&p.compose.service]["command"]
            .as_array()
            .unwrap()
            // `config` prints a compose file again, so it re-escapes a literal `$` as `$$`.
            .iter()
            .map(|w| w.as_str().unwrap().replace("$$", "$"))
            .collect();
        let want: Vec<String> = to_words(p).iter().map(|w| interpolate_unset(w)).collect();
        assert_eq!(got, want, "export-{i}.yml");
    }

    // PyYAML (YAML 1.1), yaml-rust2 (YAML 1.2) and our own reader read every file alike.
    for (pyyaml, file) in common::pyyaml_read(&files).into_iter().zip(&files) {
        let text = std::fs::read_to_string(file).unwrap();
        let rust2 =
            common::yaml_rust2_json(&yaml_rust2::YamlLoader::load_from_str(&text).unwrap()[0]);
        let ours = common::our_yaml_json(&studio_core::yaml::parse(&text).unwrap());
        assert_eq!(pyyaml, rust2, "PyYAML vs yaml-rust2 on {}", file.display());
        assert_eq!(
            ours,
            rust2,
            "our reader vs yaml-rust2 on {}",
            file.display()
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn dirs_home() -> PathBuf {
    PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into()))
}
