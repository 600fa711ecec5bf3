//! Pins the estimator's accuracy on real startups so it cannot silently worsen, keeps the
//! accuracy bands (`data/memory-bands.json`) in step with the estimator, and checks every
//! checkpoint format's weights against what vLLM measured loading it. The figures themselves
//! are printed by `cargo bench --bench memory_accuracy`.
use studio_core::memory::calibration::{
    accuracy, bands_json, compare_all, held_out_band_coverage, Comparison, Split,
};

#[test]
fn accuracy_on_real_startups_does_not_regress() {
    let rows = compare_all();
    assert_eq!(
        rows.len(),
        45,
        "every record with a printed KV size is estimated"
    );
    let held_out: Vec<Comparison> = rows
        .iter()
        .filter(|c| c.split == Split::HeldOut)
        .cloned()
        .collect();
    assert!(held_out.len() >= 15, "{} held-out records", held_out.len());
    let a = accuracy(&held_out);
    let ((wm, wp), (km, kp), (tm, tp)) = (a.weights, a.kv_gib, a.kv_tokens);
    // Measured 2026-12-01 on the held-out records: weights 0.22 / 3.18 %, KV GiB 0.29 / 0.69 %,
    // tokens 0.29 / 0.69 %.
    assert!(wm <= 0.01 && wp <= 0.04, "weights median {wm} p90 {wp}");
    assert!(km <= 0.01 && kp <= 0.02, "KV GiB median {km} p90 {kp}");
    assert!(tm <= 0.01 && tp <= 0.02, "KV tokens median {tm} p90 {tp}");
    assert!(
        rows.iter().all(|c| c.verdict_agrees),
        "every startup is predicted to start"
    );
}

#[test]
fn held_out_truths_fall_inside_their_bands() {
    let rows = compare_all();
    let (inside, total) = held_out_band_coverage(&rows);
    assert!(
        inside as f64 >= 0.8 * total as f64,
        "{inside} of {total} held-out KV truths inside the leave-one-out band"
    );
}

#[test]
fn accuracy_bands_are_generated_from_the_current_estimator() {
    let rows = compare_all();
    let fresh = bands_json(&rows);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/memory-bands.json");
    if std::env::var_os("STUDIO_WRITE_BANDS").is_some() {
        let text = serde_json::to_string_pretty(&fresh).unwrap() + "\n";
        std::fs::write(path, text).unwrap();
    }
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        stored, fresh,
        "data/memory-bands.json is stale: run STUDIO_WRITE_BANDS=1 cargo test -p studio-core \
            --test memory_accuracy"
    );
}

/// Every checkpoint format, loaded by real vLLM 0.24.0 from a config.json of
/// data/model-configs (sources in its SOURCES.json): the weights are within 2 % of what vLLM
/// measured ("Model loading took").
#[test]
fn every_checkpoint_format_weighs_what_vllm_loaded() {
    let rows = compare_all();
    let formats = [
        ("GT-S01", "16-bit MLA + MoE (DeepSeek-V2-Lite)"),
        ("GT-S02", "MXFP4 experts (gpt-oss-20b)"),
        (
            "GT-S03",
            "16-bit, tied embeddings, linear rope (Gemma 3 12B)",
        ),
        ("GT-S04", "16-bit hybrid Gated DeltaNet + MoE (Qwen3-Next)"),
        ("GT-S05", "compressed-tensors float-quantized FP8"),
        ("GT-S06", "fp8 weight_block_size [128, 128]"),
        ("GT-S07", "compressed-tensors nvfp4-pack-quantized"),
    ];
    for (id, what) in formats {
        let c = rows.iter().find(|c| c.id == id).unwrap();
        let err = Comparison::rel(c.weights);
        assert!(
            err.abs() <= 0.02,
            "{id} {what}: {:?} ({:.2} %)",
            c.weights,
            err * 100.0
        );
    }
}

/// MLA, sliding-window and hybrid families: KV GiB, token capacity and concurrency within 5 %
/// of what vLLM printed, on startups no constant was read from.
#[test]
fn new_attention_families_match_vllm_on_held_out_startups() {
    let rows = compare_all();
    for id in ["GT-S04", "GT-S08", "GT-S09", "GT-S10"] {
        let c = rows.iter().find(|c| c.id == id).unwrap();
        assert_eq!(c.split, Split::HeldOut, "{id}");
        let (est, real) = c.kv_tokens.unwrap();
        let (ce, cr) = c.concurrency.unwrap();
        for (what, err) in [
            ("KV GiB", Comparison::rel(c.kv_gib)),
            ("tokens", (est as f64 - real as f64) / real as f64),
            ("concurrency", (ce - cr) / cr),
        ] {
            assert!(err.abs() < 0.05, "{id} {what}: {:.2} %", err * 100.0);
        }
    }
}
