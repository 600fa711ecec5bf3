//! Running the estimator over the real startups of `data/vllm-memory-calibration.json`
//! (benchmark and regression test; not compiled into the browser app).
use super::estimate;
use crate::context::Inputs;
use crate::models;
use crate::profile::{ArgValue, Hardware, Profile};
use crate::version::Version;
use serde_json::Value;

/// One record compared with the estimate.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub id: String,
    pub label: String,
    pub weights: (f64, f64),
    pub kv_gib: (f64, f64),
    pub kv_tokens: Option<(u64, u64)>,
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
    if name.contains("H100") {
        "h100-80gb-sxm"
    } else if name.contains("A100") {
        "a100-80gb-sxm"
    } else if name.contains("L40S") {
        "l40s"
    } else {
        "rtx-3090"
    }
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
        },
        model: r["model_key"].as_str().unwrap_or_default().to_string(),
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
    if r["enforce_eager"] == Value::Bool(true) {
        p.set("enforce-eager", ArgValue::Switch(true));
    }
    p
}

/// Compares every record.
pub fn compare_all() -> Vec<Comparison> {
    let data: Value = serde_json::from_str(include_str!("../../data/vllm-memory-calibration.json"))
        .expect("calibration data");
    data["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter_map(|r| {
            let p = profile_of(r);
            let model = models::find(&p.model)?;
            let e = estimate(&Inputs {
                model: Some(model),
                ..Inputs::new(&p, None)
            })?;
            Some(Comparison {
                id: r["id"].as_str()?.to_string(),
                label: format!(
                    "{} {} TP{} on {}",
                    p.model,
                    p.vllm_version,
                    r["tp"],
                    r["gpu"].as_str()?
                ),
                weights: (e.weights_gib, r["weights_gib"].as_f64()?),
                kv_gib: (e.kv_cache_gib, r["kv_cache_available_gib"].as_f64()?),
                kv_tokens: r["kv_cache_tokens"].as_u64().map(|t| (e.kv_tokens, t)),
                // Every record is a server that started.
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

/// The median and 90th percentile of |errors|.
pub fn median_p90(mut errors: Vec<f64>) -> (f64, f64) {
    errors.iter_mut().for_each(|e| *e = e.abs());
    errors.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let at = |q: f64| errors[((errors.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.9))
}
