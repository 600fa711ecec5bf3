//! Rules against real vLLM startups: the H200 records of `../shared/gpu/examples` (vLLM 0.24.0,
//! dummy weights), where a startup that failed says why in its log excerpt.
use serde_json::Value;
use studio_core::profile::{ArgValue, Profile};
use studio_core::rules::{evaluate, Inputs, RuleId};
use studio_core::version::Version;

fn records() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/gpu/examples/h200-0.24-records.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("shared/gpu beside the repo"))
        .unwrap()
}

#[test]
fn the_fp8_kv_cache_with_float16_rule_matches_every_h200_startup() {
    let mut fired = 0;
    for r in records() {
        let mut p = Profile {
            vllm_version: Version::parse(r["vllm_version"].as_str().unwrap()).unwrap(),
            model: r["model"].as_str().unwrap().into(),
            ..Profile::default()
        };
        p.hardware.gpu = "h200".into();
        p.hardware.gpu_count = 1;
        for (flag, key) in [("dtype", "dtype"), ("kv-cache-dtype", "kv_cache_dtype")] {
            p.set(flag, ArgValue::word(r[key].as_str().unwrap()));
        }
        if r["enforce_eager"] == true {
            p.set("enforce-eager", ArgValue::Switch(true));
        }
        let crashed = r["raw_log_excerpt"]
            .as_str()
            .unwrap_or_default()
            .contains("For FP8 input, output must have dtype BF16");
        let ours = evaluate(&Inputs::new(&p, None))
            .iter()
            .any(|f| f.id == RuleId::KvFp8Fp16Fa3);
        assert_eq!(
            ours, crashed,
            "{}: {} + {}",
            r["id"], r["dtype"], r["kv_cache_dtype"]
        );
        fired += ours as usize;
    }
    assert_eq!(fired, 2, "GT-G01 and GT-G19 crashed");
}
