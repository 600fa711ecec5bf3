//! Pins the estimator's accuracy on the calibration startups so it cannot silently worsen.
//! The figures themselves are printed by `cargo bench --bench memory_accuracy`.
use studio_core::memory::calibration::{accuracy, compare_all};

#[test]
fn accuracy_on_real_startups_does_not_regress() {
    let rows = compare_all();
    assert_eq!(rows.len(), 16, "every calibration record is estimated");
    let a = accuracy(&rows);
    let ((wm, wp), (km, kp), (tm, tp)) = (a.weights, a.kv_gib, a.kv_tokens);
    // Measured 2026-11-30: weights 0.25 / 0.64 %, KV GiB 0.24 / 2.31 %, tokens 0.10 / 2.36 %.
    assert!(wm <= 0.005 && wp <= 0.01, "weights median {wm} p90 {wp}");
    assert!(km <= 0.005 && kp <= 0.03, "KV GiB median {km} p90 {kp}");
    assert!(tm <= 0.005 && tp <= 0.03, "KV tokens median {tm} p90 {tp}");
    assert_eq!(a.verdicts_agree, rows.len());
}
