//! `cargo bench --bench memory_accuracy`: the estimator against every real startup of the
//! calibration file, per record and in total. A benchmark: it prints figures and never fails.
use studio_core::memory::calibration::{accuracy, compare_all, Comparison};

fn main() {
    let rows = compare_all();
    println!(
        "{:8} {:>9} {:>9} {:>8}  {:>8} {:>8} {:>8}  {:>9} {:>9} \
            {:>8}  verdict  record",
        "id",
        "W est",
        "W real",
        "W err",
        "KV est",
        "KV real",
        "KV err",
        "tok est",
        "tok real",
        "tok err"
    );
    for c in &rows {
        let tok = c.kv_tokens.map(|(e, r)| (e as f64 - r as f64) / r as f64);
        println!(
            "{:8} {:9.2} {:9.2} {:7.2}%  {:8.2} {:8.2} {:7.2}%  {:>9} \
                {:>9} {:>8}  {:7}  {}",
            c.id,
            c.weights.0,
            c.weights.1,
            Comparison::rel(c.weights) * 100.0,
            c.kv_gib.0,
            c.kv_gib.1,
            Comparison::rel(c.kv_gib) * 100.0,
            c.kv_tokens.map(|t| t.0.to_string()).unwrap_or("-".into()),
            c.kv_tokens.map(|t| t.1.to_string()).unwrap_or("-".into()),
            tok.map(|t| format!("{:.2}%", t * 100.0))
                .unwrap_or("-".into()),
            if c.verdict_agrees {
                "agrees"
            } else {
                "DIFFERS"
            },
            c.label
        );
    }
    let a = accuracy(&rows);
    let ((wm, wp), (km, kp), (tm, tp)) = (a.weights, a.kv_gib, a.kv_tokens);
    let agree = a.verdicts_agree;
    println!(
        "\n{} records: weights |err| median {:.2}% p90 {:.2}% (target \
            median ≤ 2%)",
        rows.len(),
        wm * 100.0,
        wp * 100.0
    );
    println!(
        "KV GiB |err| median {:.2}% p90 {:.2}% (targets ≤ 3% / ≤ 10%)",
        km * 100.0,
        kp * 100.0
    );
    println!(
        "KV tokens |err| median {:.2}% p90 {:.2}%",
        tm * 100.0,
        tp * 100.0
    );
    println!("verdict agreement {agree}/{}", rows.len());
}
