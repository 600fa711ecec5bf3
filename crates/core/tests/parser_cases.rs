//! Our parser-stage verdicts against vLLM 0.33.0's real parser on argument lists recorded with
//! `../shared/tools/vllm-parse-check` (scripts/facts/record_parser_cases.py): dotted keys,
//! legacy `key=value` forms, keys inside JSON config flags, counts and values; and the `VLLM_*`
//! variables the installed vllm==0.33.0 reads.
use serde_json::Value;
use studio_core::compose::{import_any, interpolate::Env};
use studio_core::profile::Profile;
use studio_core::rules::{evaluate_in, Severity, Stage};
use studio_core::version::Version;

#[test]
fn parser_stage_errors_agree_with_recorded_real_parser_verdicts() {
    let data: Value = serde_json::from_str(include_str!("data/parser-cases-0.33.0.json")).unwrap();
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut disagreements = Vec::new();
    for c in cases {
        let args = c["args"].as_str().unwrap();
        let line = format!("vllm serve --model Qwen/Qwen3-8B {args}");
        let env = Env::default();
        let mut p = import_any(&line, &Profile::default(), None, &env)
            .unwrap_or_else(|e| panic!("{args}: {e:?}"))
            .profile;
        p.vllm_version = Version::known("0.33.0");
        let ours: Vec<String> = evaluate_in(&p, None, &env)
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.id.stage() == Stage::Parser)
            .map(|f| f.message.clone())
            .collect();
        let real = c["verdict"].as_str().unwrap();
        if ours.is_empty() != (real == "accept") {
            disagreements.push(format!(
                "{args}: vLLM {real}s ({}), we say {ours:?}",
                c["says"]
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn environment_variables_agree_with_what_the_installed_vllm_0_33_reads() {
    use studio_core::package_facts::{env_status, EnvStatus};
    let data: Value = serde_json::from_str(include_str!("data/parser-cases-0.33.0.json")).unwrap();
    let real = data["env_read_by_0_33_0"].as_object().unwrap();
    assert!(real.len() >= 10);
    for (name, read) in real {
        let ours = env_status(name, Version::known("0.33.0"));
        assert_eq!(
            ours == EnvStatus::Read,
            read.as_bool().unwrap(),
            "{name}: {ours:?}"
        );
    }
    // The three are ignored by 0.33.0 (so they are findings).
    for name in [
        "VLLM_ATTENTION_BACKEND",
        "VLLM_USE_V1",
        "VLLM_ALL2ALL_BACKEND",
    ] {
        assert_eq!(real[name], false, "{name}");
    }
}
