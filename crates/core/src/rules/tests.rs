use super::*;
use crate::compose::reference_profile;
use crate::version::Version;

fn run(p: &Profile) -> (Vec<Finding>, Score) {
    let inputs = Inputs::new(p, None);
    let f = evaluate(&inputs);
    let s = score(&inputs, &f, &coverage(&inputs, false, &f));
    (f, s)
}

/// Applies every available fix until none is left (at most a few rounds).
fn apply_all_fixes(p: &mut Profile) {
    for _ in 0..5 {
        let (findings, _) = run(p);
        let fixes: Vec<Fix> = findings.into_iter().filter_map(|f| f.fix).collect();
        if fixes.is_empty() {
            return;
        }
        for fix in fixes {
            fix.apply(p);
        }
    }
}

#[test]
fn the_seed_is_refused_by_0_33_and_says_why() {
    let p = reference_profile();
    let (findings, s) = run(&p);
    let removed: Vec<&str> = findings
        .iter()
        .filter(|f| f.id == "flag-removed")
        .map(|f| f.params[0].as_str())
        .collect();
    assert_eq!(removed, ["swap-space", "rope-scaling"]);
    let rope = findings
        .iter()
        .find(|f| f.params[0] == "rope-scaling")
        .unwrap();
    assert!(rope.message.contains("removed in 0.11.1") && rope.message.contains("--hf-overrides"));
    assert!(findings
        .iter()
        .any(|f| f.id == "max-model-len-derived" && f.message.contains("40960")));
    assert!(s.overall < 50, "an error caps the score: {}", s.overall);
    assert_eq!(s.overall, 33);
    let ctx = &s.rows[0];
    assert_eq!((ctx.verified, ctx.suboptimal), (3, 2));
}

#[test]
fn fixes_make_the_seed_start_on_0_33() {
    let mut p = reference_profile();
    apply_all_fixes(&mut p);
    let (findings, s) = run(&p);
    assert!(
        findings.iter().all(|f| f.severity != Severity::Error),
        "{findings:#?}"
    );
    assert!(p.get("rope-scaling").is_none() && p.get("swap-space").is_none());
    let over: serde_json::Value = serde_json::from_str(&p.text("hf-overrides").unwrap()).unwrap();
    assert_eq!(over["max_position_embeddings"], 131072);
    assert_eq!(over["rope_scaling"]["rope_type"], "yarn");
    assert_eq!(over["rope_scaling"]["rope_theta"], 1_000_000.0);
    assert!(p.compose.ipc_host);
    assert_eq!(p.compose.tag, "v0.33.0");
    // Only the fp8-KV-on-Ampere note remains: nothing to fix on this card.
    assert_eq!(
        findings.iter().map(|f| f.id).collect::<Vec<_>>(),
        ["kv-fp8-backend"]
    );
    assert_eq!(s.overall, 99);
}

#[test]
fn the_seed_flags_are_valid_on_0_11() {
    let mut p = reference_profile();
    p.vllm_version = Version::parse("0.11.0").unwrap();
    let (findings, s) = run(&p);
    assert!(
        findings
            .iter()
            .all(|f| f.id != "flag-removed" && f.id != "max-model-len-derived"),
        "{findings:#?}"
    );
    assert!(findings
        .iter()
        .any(|f| f.id == "flag-deprecated" && f.params[0] == "rope-scaling"));
    assert_eq!(s.overall, 49);
    apply_all_fixes(&mut p);
    let (_, s) = run(&p);
    assert_eq!(s.overall, 99);
}

#[test]
fn score_is_100_only_without_findings() {
    let mut p = reference_profile();
    p.hardware.gpu = "h100-80gb-sxm".into();
    apply_all_fixes(&mut p);
    let (findings, s) = run(&p);
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(s.overall, 100);
    assert!(s.rows.iter().all(|r| r.percent == 100 && r.suboptimal == 0));
    p.set("gpu-memory-utilization", ArgValue::word("0.98"));
    p.set("enable-auto-tool-choice", ArgValue::Switch(true));
    p.unset("tool-call-parser");
    let (findings, s) = run(&p);
    assert_eq!(
        findings.iter().map(|f| f.id).collect::<Vec<_>>(),
        ["tool-parser-missing"]
    );
    assert_eq!(s.overall, 49);
}

#[test]
fn every_finding_names_its_source_and_params() {
    let mut p = reference_profile();
    p.set("frob", ArgValue::Words(vec![]));
    p.set("api-key", ArgValue::word("sk-1"));
    let (findings, _) = run(&p);
    for f in &findings {
        assert!(
            !f.source.is_empty() && !f.params.is_empty() && !f.message.is_empty(),
            "{f:?}"
        );
    }
}

#[test]
fn checklists_follow_the_findings() {
    let p = reference_profile();
    let inputs = Inputs::new(&p, None);
    let lists = checklists(&inputs, &evaluate(&inputs));
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0].1.len(), 8);
    assert_eq!(lists[1].1.len(), 6);
    let rope = lists[0]
        .1
        .iter()
        .find(|i| i.label.starts_with("RoPE"))
        .unwrap();
    assert!(!rope.ok, "the seed's --rope-scaling is refused by 0.33.0");
}

#[test]
fn derived_length_follows_the_release() {
    let m = crate::models::find("Qwen/Qwen3-32B-AWQ").unwrap();
    let mut p = reference_profile();
    p.vllm_version = Version::parse("0.29.0").unwrap();
    p.unset("rope-scaling");
    p.set(
        "hf-overrides",
        ArgValue::word(r#"{"rope_scaling":{"rope_type":"yarn","factor":4.0,"original_max_position_embeddings":32768}}"#),
    );
    assert_eq!(derived_max_len(&p, m), 131072);
    p.vllm_version = Version::parse("0.30.0").unwrap();
    assert_eq!(derived_max_len(&p, m), 40960);
    p.vllm_version = Version::parse("0.11.0").unwrap();
    p.unset("hf-overrides");
    p.set(
        "rope-scaling",
        ArgValue::word(
            r#"{"rope_type":"yarn","factor":2.0,"original_max_position_embeddings":32768}"#,
        ),
    );
    assert_eq!(derived_max_len(&p, m), 65536);
}

#[test]
fn rule_ids_are_unique_and_parse_back() {
    let mut seen = std::collections::BTreeSet::new();
    for id in RuleId::ALL {
        assert!(seen.insert(id.as_str()), "{id} twice");
        assert_eq!(RuleId::parse(id.as_str()), Some(*id));
    }
    assert_eq!(RuleId::parse("no-such-rule"), None);
}

#[test]
fn finding_params_name_flags_or_compose_settings() {
    use crate::compose::settings::{setting, HEALTHCHECK};
    let mut p = crate::compose::reference_profile();
    p.compose.healthcheck = None;
    p.compose.tag = "latest".into();
    let hardware = ["vllm-version", "gpu", "gpu-count", "model", HEALTHCHECK];
    for f in evaluate(&Inputs::new(&p, None)) {
        for param in &f.params {
            let known = crate::catalog::Catalog::get().flag(param).is_some()
                || crate::catalog::Catalog::get().availability(param, p.vllm_version)
                    != crate::catalog::Availability::Unknown
                || setting(param).is_some()
                || hardware.contains(&param.as_str());
            assert!(
                known,
                "{}: parameter `{param}` is neither a flag nor a setting",
                f.id
            );
        }
    }
}

#[test]
fn fix_all_is_the_fixes_one_by_one_and_names_each() {
    let mut one_by_one = reference_profile();
    apply_all_fixes(&mut one_by_one);
    let (all, applied) = super::fix_all(&reference_profile(), None, &Default::default());
    assert_eq!(all, one_by_one);
    assert!(applied.len() >= 5, "{applied:?}");
    assert!(applied.iter().all(|l| !l.is_empty()));
    // Nothing left to fix: a second pass changes nothing and names nothing.
    let (again, none) = super::fix_all(&all, None, &Default::default());
    assert_eq!((again, none.len()), (all, 0));
}

#[test]
fn a_length_above_the_derived_one_is_fixed_by_lowering_it() {
    let mut p = reference_profile();
    p.unset("rope-scaling");
    p.set("max-model-len", ArgValue::word("131072"));
    let (findings, _) = run(&p);
    let derived = findings
        .iter()
        .find(|f| f.id == "max-model-len-derived")
        .expect("the seed's model derives 40960");
    derived.fix.as_ref().unwrap().apply(&mut p);
    assert_eq!(p.text("max-model-len").as_deref(), Some("40960"));
    let (findings, _) = run(&p);
    assert!(findings.iter().all(|f| f.id != "max-model-len-derived"));
}

#[test]
fn tp_errors_are_fixed_by_the_largest_size_that_works() {
    let mut p = reference_profile();
    p.hardware.gpu_count = 4;
    p.set("tensor-parallel-size", ArgValue::word("3"));
    let (findings, _) = run(&p);
    let heads = findings
        .iter()
        .find(|f| f.id == "tp-heads")
        .expect("64 heads, TP 3");
    heads.fix.as_ref().unwrap().apply(&mut p);
    assert_eq!(p.int("tensor-parallel-size"), Some(2));
    // More ranks than GPUs: the largest valid size the GPUs hold.
    p.hardware.gpu_count = 2;
    p.set("tensor-parallel-size", ArgValue::word("8"));
    let (findings, _) = run(&p);
    let few = findings.iter().find(|f| f.id == "gpus-too-few").unwrap();
    few.fix.as_ref().unwrap().apply(&mut p);
    assert_eq!(p.int("tensor-parallel-size"), Some(2));
    let (findings, _) = run(&p);
    assert!(findings
        .iter()
        .all(|f| !matches!(f.id.as_str(), "gpus-too-few" | "tp-heads" | "tp-kv-heads")));
}

#[test]
fn tensor_parallelism_across_nodes_is_flagged_without_infiniband() {
    let mut p = Profile {
        model: "meta-llama/Llama-3.3-70B-Instruct".into(),
        ..Profile::default()
    };
    p.hardware.gpu = "l40s-48gb".into();
    p.hardware.gpu_count = 4;
    p.hardware.nodes = 2;
    p.hardware.interconnect = "ethernet".into();
    p.set("tensor-parallel-size", ArgValue::word("8"));
    let (findings, _) = run(&p);
    let f = findings
        .iter()
        .find(|f| f.id == "tp-across-nodes")
        .expect("TP 8 over 2 × 4");
    assert!(f.message.contains("TP 4 and PP 2"), "{}", f.message);
    assert!(
        findings.iter().all(|f| f.id != "gpus-too-few"),
        "8 GPUs in all"
    );
    p.hardware.interconnect = "infiniband".into();
    let (findings, _) = run(&p);
    assert!(findings.iter().all(|f| f.id != "tp-across-nodes"));
}

#[test]
fn data_parallel_replicas_count_toward_the_gpus() {
    let mut p = reference_profile();
    p.hardware.gpu_count = 2;
    p.set("data-parallel-size", ArgValue::word("2"));
    let (findings, _) = run(&p);
    let f = findings
        .iter()
        .find(|f| f.id == "gpus-too-few")
        .expect("TP 2 × DP 2 on 2 GPUs");
    assert!(f.message.contains("DP 2 needs 4 GPUs"), "{}", f.message);
    p.hardware.gpu_count = 4;
    let (findings, _) = run(&p);
    assert!(findings.iter().all(|f| f.id != "gpus-too-few"));
}

#[test]
fn expert_parallelism_on_a_dense_model_is_a_note_with_a_fix() {
    let mut p = reference_profile();
    p.set("enable-expert-parallel", ArgValue::Switch(true));
    let (findings, _) = run(&p);
    let f = findings
        .iter()
        .find(|f| f.id == "expert-parallel-dense")
        .expect("Qwen3-32B is dense");
    f.fix.as_ref().unwrap().apply(&mut p);
    assert!(p.get("enable-expert-parallel").is_none());
    p.model = "Qwen/Qwen3-30B-A3B".into();
    p.set("enable-expert-parallel", ArgValue::Switch(true));
    let (findings, _) = run(&p);
    assert!(
        findings.iter().all(|f| f.id != "expert-parallel-dense"),
        "a MoE model"
    );
}

#[test]
fn several_nodes_need_an_even_split_and_the_mp_backend() {
    let mut p = reference_profile();
    p.hardware.gpu_count = 4;
    p.hardware.nodes = 3;
    p.set("tensor-parallel-size", ArgValue::word("4"));
    p.set("distributed-executor-backend", ArgValue::word("ray"));
    let (findings, _) = run(&p);
    let ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
    assert!(
        ids.contains(&"nodes-split") && ids.contains(&"nodes-backend"),
        "{ids:?}"
    );
    p.hardware.nodes = 2;
    p.set("distributed-executor-backend", ArgValue::word("mp"));
    let (findings, _) = run(&p);
    assert!(findings
        .iter()
        .all(|f| !matches!(f.id.as_str(), "nodes-split" | "nodes-backend")));
}
