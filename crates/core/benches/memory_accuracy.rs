//! `cargo bench --bench memory_accuracy`: the estimator against every real startup, per record,
//! then per accuracy class on the held-out records only (those no constant was read from), and
//! the leave-one-out band coverage. A benchmark: it prints figures and never fails.
use studio_core::memory::calibration::{
    accuracy, compare_all, held_out_band_coverage, median_p90, Comparison, Split,
};

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
    println!("\nheld-out records per class (median / p90 of |error|):");
    println!(
        "{:26} {:>3}  {:>15}  {:>15}  {:>15}",
        "class", "n", "KV GiB", "weights", "tokens"
    );
    let held: Vec<&Comparison> = rows.iter().filter(|c| c.split == Split::HeldOut).collect();
    let mut classes: Vec<&str> = held.iter().map(|c| c.class.as_str()).collect();
    classes.sort();
    classes.dedup();
    let pct = |(m, p): (f64, f64)| format!("{:.2}% / {:.2}%", m * 100.0, p * 100.0);
    for class in classes {
        let of: Vec<&&Comparison> = held.iter().filter(|c| c.class == class).collect();
        let kv = median_p90(of.iter().map(|c| Comparison::rel(c.kv_gib)).collect());
        let w = median_p90(of.iter().map(|c| Comparison::rel(c.weights)).collect());
        let t = median_p90(
            of.iter()
                .filter_map(|c| c.kv_tokens.map(|(e, r)| (e as f64 - r as f64) / r as f64))
                .collect(),
        );
        println!(
            "{class:26} {:>3}  {:>15}  {:>15}  {:>15}",
            of.len(),
            pct(kv),
            pct(w),
            pct(t)
        );
    }
    let (inside, total) = held_out_band_coverage(&rows);
    println!(
        "band coverage (leave-one-out, held-out): {inside}/{total} = {:.0}% (target ≥ 80%)",
        inside as f64 * 100.0 / total.max(1) as f64
    );
    let held_rows: Vec<Comparison> = held.iter().map(|c| (*c).clone()).collect();
    let h = accuracy(&held_rows);
    println!(
        "held-out: {} records, KV GiB median {:.2}% p90 {:.2}%, weights median {:.2}% p90 {:.2}%",
        held_rows.len(),
        h.kv_gib.0 * 100.0,
        h.kv_gib.1 * 100.0,
        h.weights.0 * 100.0,
        h.weights.1 * 100.0
    );
    let a = accuracy(&rows);
    let ((wm, wp), (km, kp), (tm, tp)) = (a.weights, a.kv_gib, a.kv_tokens);
    let agree = a.verdicts_agree;
    println!(
        "all {} records (calibration included): weights |err| median {:.2}% p90 {:.2}% (target \
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
