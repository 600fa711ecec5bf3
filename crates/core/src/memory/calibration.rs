//! Running the estimator over real startups (benchmark, regression tests and the accuracy
//! bands; not compiled into the browser app's code paths).
//!
//! Three record sets: the published logs of `data/vllm-memory-calibration.json`, the reference
//! H200 startups of `shared/gpu/examples` (`data/gpu-runs/h200-0.24-records.json`, a verbatim
//! copy) and our own H200 runs (`data/gpu-runs/h200-0.24-studio-run1-records.json`).
//! Calibration records are those a constant of the estimator was read from; the others are
//! held out and the accuracy figures are reported on them alone ([`Split`]).
use super::bands::{untested_errors, Band};
use super::estimate;
use crate::context::Inputs;
use crate::models;
use crate::profile::{ArgValue, Hardware, Profile};
use crate::version::Version;
use serde_json::Value;

/// Which records a constant was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// The era constants (sampler bytes, non-torch, graph sizes) were fitted on the published
    /// logs; GT-G01–G09 gave the V2-runner findings; GT-S01–S03 are the first startup of the
    /// MLA, MXFP4 + sliding and sliding families (the MXFP4 re-layout constant is from GT-S02).
    Calibration,
    /// Everything else: no constant was read from these.
    HeldOut,
}

fn split_of(id: &str) -> Split {
    let calibration_runs = [
        "GT-G01", "GT-G02", "GT-G03", "GT-G04", "GT-G05", "GT-G06", "GT-G07", "GT-G08", "GT-G09",
        "GT-S01", "GT-S02", "GT-S03",
    ];
    let published = !id.starts_with("GT-G") && !id.starts_with("GT-S");
    if published || calibration_runs.contains(&id) {
        Split::Calibration
    } else {
        Split::HeldOut
    }
}

/// One record compared with the estimate.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub id: String,
    pub label: String,
    pub split: Split,
    /// The estimate's accuracy class.
    pub class: String,
    pub weights: (f64, f64),
    pub kv_gib: (f64, f64),
    pub kv_tokens: Option<(u64, u64)>,
    /// vLLM's printed concurrency at max-model-len, when the record has it.
    pub concurrency: Option<(f64, f64)>,
    /// The estimated band for the KV GiB.
    pub band: (f64, f64),
    /// Real verdict (started) vs estimated.
    pub verdict_agrees: bool,
}

impl Comparison {
    /// Relative error of (estimate, real).
    pub fn rel((est, real): (f64, f64)) -> f64 {
        (est - real) / real
    }
}

/// The release of a record: printed, or the era its notes name (GT-026 "v0.6.4-era",
/// GT-029 "V0 … ~v0.7.3-0.8.x").
fn release_of(r: &Value) -> Version {
    let printed = r["vllm_version"].as_str().and_then(Version::parse);
    printed.unwrap_or_else(|| match r["id"].as_str() {
        Some("GT-026") => Version::new(0, 6, 4),
        _ => Version::new(0, 7, 3),
    })
}

fn gpu_id(name: &str) -> &'static str {
    if name.contains("H200") {
        "h200"
    } else if name.contains("H100") {
        "h100-80gb-sxm"
    } else if name.contains("A100") {
        "a100-80gb-sxm"
    } else if name.contains("L40S") {
        "l40s"
    } else {
        "rtx-3090"
    }
}

/// The `vllm.LLM(**{…})` keyword arguments a GPU-kit record's notes quote.
fn engine_of(r: &Value) -> Option<serde_json::Map<String, Value>> {
    let notes = r["notes"].as_str()?;
    let start = notes.find("vllm.LLM(**")? + "vllm.LLM(**".len();
    let mut de = serde_json::Deserializer::from_str(&notes[start..]).into_iter::<Value>();
    de.next()?.ok()?.as_object().cloned()
}

/// The catalogued model of a record: the checkpoint it ran, else its facts entry.
fn model_of(r: &Value) -> String {
    // Own runs may qualify the checkpoint (`google/gemma-3-12b-it (text model)`) or name a
    // format test that the catalog files under an id of its own.
    let hf = r["model"].as_str().unwrap_or_default();
    let hf = match hf.split(" (").next().unwrap_or(hf) {
        "Qwen3-8B in compressed-tensors nvfp4-pack-quantized" => "Qwen/Qwen3-8B-NVFP4",
        name => name,
    };
    if models::find(hf).is_some() {
        return hf.to_string();
    }
    r["model_key"].as_str().unwrap_or_default().to_string()
}

/// The profile a record describes.
pub fn profile_of(r: &Value) -> Profile {
    let gpu = gpu_id(r["gpu"].as_str().unwrap_or_default());
    let printed = r["total_gpu_memory_gib_if_printed"].as_f64();
    let mut p = Profile {
        vllm_version: release_of(r),
        hardware: Hardware {
            gpu: gpu.into(),
            gpu_count: r["gpu_count"].as_u64().unwrap_or(1) as u32,
            // The estimator removes the CUDA context from nvidia-smi's total; give it back.
            gpu_memory_gib: printed.map(|t| t + super::CUDA_CONTEXT_GIB),
            ..Default::default()
        },
        model: model_of(r),
        ..Profile::default()
    };
    let mut set = |k: &str, v: String| p.set(k, ArgValue::word(v));
    set(
        "tensor-parallel-size",
        r["tp"].as_u64().unwrap_or(1).to_string(),
    );
    set(
        "max-model-len",
        r["max_model_len"].as_u64().unwrap_or(8192).to_string(),
    );
    set(
        "gpu-memory-utilization",
        r["gpu_memory_utilization"]
            .as_f64()
            .unwrap_or(0.9)
            .to_string(),
    );
    set(
        "kv-cache-dtype",
        r["kv_cache_dtype"].as_str().unwrap_or("auto").to_string(),
    );
    set(
        "block-size",
        r["block_size"]
            .as_u64()
            .unwrap_or(super::DEFAULT_BLOCK_SIZE as u64)
            .to_string(),
    );
    // Records whose notes state non-default batch limits.
    if r["id"] == "GT-043" {
        set("max-num-seqs", "16".into());
    }
    // GPU-kit records quote their engine arguments: the ones the estimate reads.
    if let Some(engine) = engine_of(r) {
        for (key, flag) in [
            ("max_num_seqs", "max-num-seqs"),
            ("max_num_batched_tokens", "max-num-batched-tokens"),
            ("block_size", "block-size"),
            ("dtype", "dtype"),
            ("quantization", "quantization"),
        ] {
            match &engine.get(key) {
                Some(Value::String(s)) => set(flag, s.clone()),
                Some(Value::Number(n)) => set(flag, n.to_string()),
                _ => {}
            }
        }
        if let Some(o) = engine.get("hf_overrides").filter(|o| o.is_object()) {
            p.set("hf-overrides", ArgValue::word(o.to_string()));
        }
    }
    if r["enforce_eager"] == Value::Bool(true) {
        p.set("enforce-eager", ArgValue::Switch(true));
    }
    p
}

fn records() -> Vec<Value> {
    let mut out = vec![];
    let published: Value =
        serde_json::from_str(include_str!("../../data/vllm-memory-calibration.json"))
            .expect("calibration data");
    out.extend(published["records"].as_array().expect("records").clone());
    for text in [
        include_str!("../../data/gpu-runs/h200-0.24-records.json"),
        include_str!("../../data/gpu-runs/h200-0.24-studio-run1-records.json"),
    ] {
        let runs: Value = serde_json::from_str(text).expect("GPU-kit records");
        out.extend(runs.as_array().expect("a list of records").clone());
    }
    out
}

/// Compares every record.
pub fn compare_all() -> Vec<Comparison> {
    records()
        .iter()
        // A startup that printed no KV size (killed earlier) has nothing to compare.
        .filter(|r| r["kv_cache_available_gib"].is_number())
        .filter_map(|r| {
            let p = profile_of(r);
            let model = models::find(&p.model)?;
            let e = estimate(&Inputs {
                model: Some(model),
                ..Inputs::new(&p, None)
            })?;
            let id = r["id"].as_str()?.to_string();
            Some(Comparison {
                split: split_of(&id),
                id,
                label: format!(
                    "{} {} TP{} on {}",
                    p.model,
                    p.vllm_version,
                    r["tp"],
                    r["gpu"].as_str()?
                ),
                class: e.class.clone(),
                weights: (e.weights_gib, r["weights_gib"].as_f64()?),
                kv_gib: (e.kv_cache_gib, r["kv_cache_available_gib"].as_f64()?),
                kv_tokens: r["kv_cache_tokens"].as_u64().map(|t| (e.kv_tokens, t)),
                concurrency: r["max_concurrency"]
                    .as_f64()
                    .map(|c| (e.max_concurrency, c)),
                band: (e.kv_cache_gib_low, e.kv_cache_gib_high),
                // Every record printed its KV size: vLLM got that far with the memory.
                verdict_agrees: e.fits,
            })
        })
        .collect()
}

/// Accuracy over a set of comparisons: (median, p90) of the relative |error| of each figure.
#[derive(Clone, Copy, Debug)]
pub struct Accuracy {
    pub weights: (f64, f64),
    pub kv_gib: (f64, f64),
    pub kv_tokens: (f64, f64),
    /// Records whose fit verdict agrees with the real startup.
    pub verdicts_agree: usize,
}

/// The accuracy figures the benchmark prints and the regression test pins.
pub fn accuracy(rows: &[Comparison]) -> Accuracy {
    let tokens = rows
        .iter()
        .filter_map(|c| c.kv_tokens.map(|(e, r)| (e as f64 - r as f64) / r as f64))
        .collect();
    Accuracy {
        weights: median_p90(rows.iter().map(|c| Comparison::rel(c.weights)).collect()),
        kv_gib: median_p90(rows.iter().map(|c| Comparison::rel(c.kv_gib)).collect()),
        kv_tokens: median_p90(tokens),
        verdicts_agree: rows.iter().filter(|c| c.verdict_agrees).count(),
    }
}

/// The median and 90th percentile of |errors| (0 for none).
pub fn median_p90(mut errors: Vec<f64>) -> (f64, f64) {
    if errors.is_empty() {
        return (0.0, 0.0);
    }
    errors.iter_mut().for_each(|e| *e = e.abs());
    crate::order::sort_by(&mut errors, |a, b| a.total_cmp(b));
    let at = |q: f64| errors[((errors.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.9))
}

/// The bands file: per class, the lowest and highest KV error over its records, and over all.
pub fn bands_json(rows: &[Comparison]) -> Value {
    let range = |errs: &[f64]| {
        let (lo, hi) = error_range(errs);
        serde_json::json!({
            "records": errs.len(),
            "kv_err_min": round6(lo),
            "kv_err_max": round6(hi),
        })
    };
    let mut classes = serde_json::Map::new();
    let mut names: Vec<&str> = rows.iter().map(|c| c.class.as_str()).collect();
    crate::order::sort(&mut names);
    names.dedup();
    for class in names {
        let errs: Vec<f64> = rows
            .iter()
            .filter(|c| c.class == class)
            .map(|c| Comparison::rel(c.kv_gib))
            .collect();
        classes.insert(class.to_string(), range(&errs));
    }
    let all: Vec<f64> = rows.iter().map(|c| Comparison::rel(c.kv_gib)).collect();
    serde_json::json!({
        "source": "generated by crates/core/tests/memory_accuracy.rs (STUDIO_WRITE_BANDS=1) from \
            the estimator and the real startups of data/vllm-memory-calibration.json and \
            data/gpu-runs/; not scripts/facts/",
        "classes": classes,
        "all": range(&all),
    })
}

/// The lowest and highest of some relative errors.
fn error_range(errs: &[f64]) -> (f64, f64) {
    (
        errs.iter().cloned().fold(f64::INFINITY, f64::min),
        errs.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
    )
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Leave-one-out band coverage of the held-out records: for each, the band its class's other
/// records would give (or, with none, the doubled range over all others), and whether the real
/// KV GiB falls inside. Returns (inside, total).
pub fn held_out_band_coverage(rows: &[Comparison]) -> (usize, usize) {
    let mut inside = 0;
    let mut total = 0;
    for c in rows.iter().filter(|c| c.split == Split::HeldOut) {
        let others: Vec<&Comparison> = rows.iter().filter(|o| o.id != c.id).collect();
        let errs = |pick: &dyn Fn(&&Comparison) -> bool| -> Vec<f64> {
            others
                .iter()
                .filter(|o| pick(o))
                .map(|o| Comparison::rel(o.kv_gib))
                .collect()
        };
        let own = errs(&|o| o.class == c.class);
        // The same band the app would show, from the other records only.
        let (est, real) = c.kv_gib;
        let band = if own.is_empty() {
            Band::from_errors(est, untested_errors(error_range(&errs(&|_| true))), false)
        } else {
            Band::from_errors(est, error_range(&own), true)
        };
        let (low, high) = (band.low, band.high);
        inside += (low <= real && real <= high) as usize;
        total += 1;
    }
    (inside, total)
}
