//! The table of rule cases (tests/fixtures/rule-cases.json): exact error ids, required and
//! forbidden findings, and agreement with the real vLLM 0.33.0 parser where a verdict is recorded.
use serde_json::Value;
use std::collections::BTreeSet;
use studio_core::args::parse_words;
use studio_core::profile::{GpuDevices, Hardware, Healthcheck, Profile};
use studio_core::rules::{evaluate, Inputs, RuleId, Severity, Stage};
use studio_core::shell::split;
use studio_core::version::Version;

fn profile_of(case: &Value) -> Profile {
    let s = |k: &str| case[k].as_str().unwrap().to_string();
    let parsed = parse_words(&split(&s("command")).unwrap());
    let version = Version::parse(&s("vllm_version")).unwrap();
    let count = case["gpu_count"].as_u64().unwrap() as u32;
    let mut p = Profile {
        vllm_version: version,
        hardware: Hardware {
            gpu: s("gpu"),
            gpu_count: count,
            gpu_memory_gib: None,
            ..Default::default()
        },
        model: parsed.model.unwrap_or_default(),
        args: parsed.args,
        ..Profile::default()
    };
    p.compose.ipc_host = true;
    p.compose.tag = format!("v{version}");
    p.compose.devices = GpuDevices::Count(count);
    p.compose.healthcheck = Some(Healthcheck {
        test: vec![
            "CMD".into(),
            "python3".into(),
            "-c".into(),
            "import urllib.request".into(),
        ],
        interval: "30s".into(),
        timeout: "10s".into(),
        retries: 5,
        start_period: "600s".into(),
    });
    p
}

fn ids(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_case_gives_its_expected_findings() {
    let data: Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/rule-cases.json")).unwrap();
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    let (mut with_parser, mut agree) = (0, 0);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let p = profile_of(case);
        let findings = evaluate(&Inputs::new(&p, None));
        let all: BTreeSet<String> = findings.iter().map(|f| f.id.to_string()).collect();
        let errors: BTreeSet<String> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.id.to_string())
            .collect();
        if errors != ids(&case["errors"]) {
            failures.push(format!(
                "{name}: errors {errors:?}, expected {:?}",
                ids(&case["errors"])
            ));
        }
        for id in ids(&case["present"]) {
            if !all.contains(&id) {
                failures.push(format!("{name}: missing {id} (got {all:?})"));
            }
        }
        for id in ids(&case["absent"]) {
            if all.contains(&id) {
                failures.push(format!("{name}: unexpected {id}"));
            }
        }
        if let Some(parser) = case["parser"].as_str() {
            with_parser += 1;
            // Rules whose errors vLLM's argument parser itself raises (stages 1–4 of vllm-parse-check).
            let we_reject = errors
                .iter()
                .any(|e| RuleId::parse(e).is_some_and(|r| r.stage() == Stage::Parser));
            if we_reject == (parser == "reject") {
                agree += 1;
            } else {
                failures.push(format!(
                    "{name}: vLLM's parser says {parser}, our parser-stage rules say {}",
                    if we_reject { "reject" } else { "accept" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        with_parser >= 10,
        "only {with_parser} cases carry a parser verdict"
    );
    println!(
        "{} cases, {agree}/{with_parser} agree with vllm-parse-check",
        cases.len()
    );
}
