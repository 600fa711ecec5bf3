//! The `vllm-profile` CLI as a CI job would use it.
use std::process::{Command, Output};
use studio::domain::compose::{reference_profile, to_yaml};
use studio::domain::link::encode;

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vllm-profile")).args(args).output().expect("run vllm-profile")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn import_prints_the_link_and_render_gives_the_yaml_back() {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/profiles/medium.yml");
    let out = cli(&["import", seed]);
    assert!(out.status.success());
    let query = stdout(&out).trim().to_string();
    assert_eq!(query, encode(&reference_profile()));
    assert!(String::from_utf8_lossy(&out.stderr).contains("note: Dropped 12"));
    let out = cli(&["render", "--link", &format!("https://studio.example/?{query}")]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), to_yaml(&reference_profile()));
    let out = cli(&["command", "--link", &query]);
    assert!(stdout(&out).starts_with("vllm serve \\\n  --model Qwen/Qwen3-32B-AWQ"));
    let out = cli(&["env", "--link", &query]);
    assert!(stdout(&out).contains("CUDA_VISIBLE_DEVICES_MEDIUM=0,1"));
}

#[test]
fn bad_input_exits_2_with_a_located_message() {
    let out = cli(&["render", "--link", "v=1&max-model-len=lots&dtype=fp4"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`max-model-len`") && err.contains("`dtype`"), "{err}");
    assert!(out.stdout.is_empty());

    let bad = std::env::temp_dir().join(format!("bad-{}.yml", std::process::id()));
    std::fs::write(&bad, "services:\n  a:\n    image: [x\n").unwrap();
    let out = cli(&["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line "));
    std::fs::remove_file(bad).ok();

    assert_eq!(cli(&["import", "/no/such/file.yml"]).status.code(), Some(2));
    assert_eq!(cli(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(cli(&[]).status.code(), Some(2));
}
