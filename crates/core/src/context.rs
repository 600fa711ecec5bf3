//! What a profile is evaluated against, shared by the rules and the memory estimate: the model
//! and GPU it names, the GPUs the container gets, and the facts about the model as the profile
//! changes it (overrides, RoPE in effect, the longest context vLLM derives).
use crate::catalog::{Availability, Catalog};
use crate::gpu::{self, Gpu};
use crate::models::{self, ModelArch};
use crate::profile::Profile;
use crate::version::Version;
use serde_json::{json, Value};

/// What the rules look at besides the profile.
pub struct Inputs<'a> {
    pub profile: &'a Profile,
    /// The profile as the file writes it, before `${VAR}` interpolation (`profile` itself when
    /// nothing was interpolated): for rules about the file's own references.
    pub written: &'a Profile,
    pub model: Option<&'a ModelArch>,
    pub gpu: Option<&'a Gpu>,
    /// Memory per GPU in GiB (the card's, or the override).
    pub gpu_memory_gib: Option<f64>,
    /// GPUs the container gets: a literal device list or count, else the hardware's count.
    pub gpus: u32,
}

impl<'a> Inputs<'a> {
    /// Inputs with the model from the catalog (or `pasted`) and the GPU from the hardware.
    pub fn new(profile: &'a Profile, pasted: Option<&'a ModelArch>) -> Inputs<'a> {
        let gpu = gpu::find(&profile.hardware.gpu);
        Inputs {
            profile,
            written: profile,
            // A script-launched service hides its model: vLLM's default is not assumed.
            model: pasted.or_else(|| {
                let script = profile.compose.kept_entry("command").is_some();
                (!script)
                    .then(|| models::find(&profile.model_id()))
                    .flatten()
            }),
            gpu,
            gpu_memory_gib: profile.hardware.gpu_memory_gib.or(gpu.map(|g| g.total_gib)),
            gpus: profile
                .compose
                .devices
                .literal_count()
                .unwrap_or(profile.hardware.gpu_count),
        }
    }

    /// CUDA compute capability of the card, when known.
    pub fn cc(&self) -> Option<(u32, u32)> {
        self.gpu.and_then(Gpu::cuda_capability)
    }
}

/// The hf-overrides JSON object in effect (empty when unset or not an object).
pub fn hf_overrides(p: &Profile) -> serde_json::Map<String, Value> {
    p.text("hf-overrides")
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default()
}

/// RoPE scaling in effect: the `--rope-scaling` flag where the release has it, else an
/// `--hf-overrides` rope dict, else the checkpoint's own.
pub fn rope_in_effect(p: &Profile, m: &ModelArch) -> Option<serde_json::Map<String, Value>> {
    let catalog = Catalog::get();
    if catalog.availability("rope-scaling", p.vllm_version) == Availability::Present {
        if let Some(Value::Object(o)) = p
            .text("rope-scaling")
            .and_then(|t| serde_json::from_str(&t).ok())
        {
            return Some(o);
        }
    }
    let over = hf_overrides(p);
    for key in ["rope_scaling", "rope_parameters"] {
        if let Some(Value::Object(o)) = over.get(key) {
            return Some(o.clone());
        }
    }
    m.rope_type.as_ref().map(|t| {
        let mut o = serde_json::Map::new();
        o.insert("rope_type".into(), json!(t));
        o
    })
}

/// The longest context vLLM derives for the model in this release (`_get_and_verify_max_len`).
pub fn derived_max_len(p: &Profile, m: &ModelArch) -> u64 {
    let over = hf_overrides(p);
    let mpe = over
        .get("max_position_embeddings")
        .and_then(Value::as_u64)
        .unwrap_or(m.max_position_embeddings);
    let Some(rope) = rope_in_effect(p, m) else {
        return mpe;
    };
    let kind = rope
        .get("rope_type")
        .or_else(|| rope.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let factor = rope.get("factor").and_then(Value::as_f64).unwrap_or(1.0);
    match kind {
        "su" | "longrope" | "llama3" => mpe,
        "yarn" | "deepseek_yarn" if p.vllm_version >= Version::known("0.30.0") => mpe,
        "yarn" => {
            let orig = rope
                .get("original_max_position_embeddings")
                .and_then(Value::as_u64)
                .unwrap_or(mpe);
            (orig as f64 * factor) as u64
        }
        _ => (mpe as f64 * factor) as u64,
    }
}
