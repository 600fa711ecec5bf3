//! Pins the estimator's accuracy on the calibration startups so it cannot silently worsen.
//! The figures themselves are printed by `cargo bench --bench memory_accuracy`.
use studio_core::memory::calibration::{compare_all, median_p90, Comparison};

#[test]
fn accuracy_on_real_startups_does_not_regress() {
    let rows = compare_all();
    assert_eq!(rows.len(), 16, "every calibration record is estimated");
    let (wm, wp) = median_p90(rows.iter().map(|c| Comparison::rel(c.weights)).collect());
    let (km, kp) = median_p90(rows.iter().map(|c| Comparison::rel(c.kv_gib)).collect());
    let (tm, tp) = median_p90(
        rows.iter()
            .filter_map(|c| c.kv_tokens.map(|(e, r)| (e as f64 - r as f64) / r as f64))
            .collect(),
    );
    // Measured 2026-11-30: weights 0.25 / 0.64 %, KV GiB 0.24 / 2.31 %, tokens 0.10 / 2.36 %.
    assert!(wm <= 0.005 && wp <= 0.01, "weights median {wm} p90 {wp}");
    assert!(km <= 0.005 && kp <= 0.03, "KV GiB median {km} p90 {kp}");
    assert!(tm <= 0.005 && tp <= 0.03, "KV tokens median {tm} p90 {tp}");
    assert!(rows.iter().all(|c| c.verdict_agrees));
}
