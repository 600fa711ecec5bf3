//! Per-GPU memory estimate: weights, activation peak, non-torch memory, CUDA graphs, KV cache,
//! token capacity, concurrency and whether vLLM starts. The mechanism follows vLLM's
//! `Worker.determine_available_memory` (vllm-startup-rules.md §17–20); the per-era constants are
//! read off the startup logs in `data/vllm-memory-calibration.json` (record ids beside each).
// Only tests and the benchmark use it; the app never calls it, so the wasm build drops it.
pub mod calibration;
mod weights;

pub use weights::{weight_bytes_per_gpu, weights_total_gib};

use super::context::{derived_max_len, Inputs};
use super::models::ModelArch;
use super::profile::Profile;
use super::version::Version;

const GIB: f64 = (1u64 << 30) as f64;

/// `CacheConfig.DEFAULT_BLOCK_SIZE` (vllm-startup-rules.md: block_size defaults to 16).
pub(crate) const DEFAULT_BLOCK_SIZE: i64 = 16;

/// Memory vLLM's `torch.cuda.mem_get_info` does not see compared with nvidia-smi's total (CUDA
/// context): H100 79.65 → 79.19 (GT-001), RTX 3090 24.0 → 23.58 (GT-026), L40S 44.99 → 44.42 (GT-029).
pub const CUDA_CONTEXT_GIB: f64 = 0.46;

/// Constants of one vLLM era, each with its evidence.
#[derive(Clone, Copy, Debug)]
pub struct Era {
    /// V1 engine (chunked prefill always on; profiling at `max_num_batched_tokens`).
    pub v1: bool,
    /// Bytes per logit of the dummy sampler run over `max_num_seqs × vocab` (fp32 logits and the
    /// sampler's working copies). 0.19.0: 1.89 GiB for 1024 × 128256 (GT-001) and 2.21 GiB for
    /// 1024 × 152064 (GT-011) → 15.4; 0.11.0: 4.76 GiB (GT-019) → 38.9; 0.10.1.1 fits 15.4 (GT-036).
    pub sampler_bytes_per_logit: f64,
    /// Non-torch memory with TP 1 and the extra with TP > 1 (NCCL and custom all-reduce buffers):
    /// 0.19.0: 0.25 / +1.82..1.88 (GT-001/003/004); 0.11.0: 0.13 / +0.41 (GT-019/022); V0 0.10 (GT-043).
    pub non_torch_gib: f64,
    pub non_torch_tp_gib: f64,
    /// Whether the CUDA-graph estimate is taken out of the KV budget
    /// (`VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=1` by default from 0.20.0, vllm-flag-history.md).
    pub graphs_subtracted: bool,
}

/// The era a release belongs to.
pub fn era(release: Version) -> Era {
    let graphs_subtracted = release >= Version::known("0.20.0");
    if release < Version::known("0.8.0") {
        Era {
            v1: false,
            sampler_bytes_per_logit: 4.0,
            non_torch_gib: 0.10,
            non_torch_tp_gib: 0.20,
            graphs_subtracted,
        }
    } else if release >= Version::known("0.11.0") && release < Version::known("0.19.0") {
        Era {
            v1: true,
            sampler_bytes_per_logit: 38.9,
            non_torch_gib: 0.13,
            non_torch_tp_gib: 0.41,
            graphs_subtracted,
        }
    } else if release < Version::known("0.19.0") {
        Era {
            v1: true,
            sampler_bytes_per_logit: 15.4,
            non_torch_gib: 0.13,
            non_torch_tp_gib: 0.41,
            graphs_subtracted,
        }
    } else {
        Era {
            v1: true,
            sampler_bytes_per_logit: 15.4,
            non_torch_gib: 0.25,
            non_torch_tp_gib: 1.85,
            graphs_subtracted,
        }
    }
}

/// Whether vLLM starts with this profile.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Starts,
    /// The weights alone exceed the memory vLLM may use.
    OutOfMemoryWeights {
        short_gib: f64,
    },
    /// The KV cache cannot hold one request of `max_model_len` tokens.
    KvTooSmall {
        tokens: u64,
        needed: u64,
    },
}

impl Verdict {
    /// `starts`, `oom-weights` or `kv-too-small` (JSON, `data-verdict`).
    pub fn id(&self) -> &'static str {
        match self {
            Verdict::Starts => "starts",
            Verdict::OutOfMemoryWeights { .. } => "oom-weights",
            Verdict::KvTooSmall { .. } => "kv-too-small",
        }
    }

    /// The verdict in words.
    pub fn describe(&self) -> String {
        match self {
            Verdict::Starts => {
                "Starts: the KV cache holds at least one full-length request.".into()
            }
            Verdict::OutOfMemoryWeights { short_gib } => {
                format!("Out of memory loading the weights: {short_gib:.2} GiB short per GPU.")
            }
            Verdict::KvTooSmall { tokens, needed } => format!(
                "vLLM refuses to start: the KV cache holds {tokens} tokens, \
                    one request of {needed} needs {} more.",
                needed.saturating_sub(*tokens)
            ),
        }
    }
}

/// The estimate for one GPU (the first pipeline stage).
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub total_gib: f64,
    pub usable_gib: f64,
    pub weights_gib: f64,
    pub activation_gib: f64,
    pub non_torch_gib: f64,
    pub cuda_graph_gib: f64,
    pub kv_cache_gib: f64,
    pub kv_bytes_per_token: u64,
    pub block_size: u64,
    pub kv_tokens: u64,
    pub max_model_len: u64,
    pub max_concurrency: f64,
    pub fits: bool,
    pub verdict: Verdict,
    /// The profiling batch (tokens) and sampler rows used for the activation peak.
    pub profile_tokens: u64,
    pub profile_seqs: u64,
}

/// KV bytes per token per GPU: layers on the stage × 2 (K and V) × max(1, kv_heads / TP) ×
/// head_dim × dtype bytes (`v1/kv_cache_interface.py::AttentionSpec.page_size_bytes`).
pub fn kv_bytes_per_token(m: &ModelArch, p: &Profile) -> u64 {
    let tp = p.int("tensor-parallel-size").unwrap_or(1).max(1) as u64;
    let pp = p.int("pipeline-parallel-size").unwrap_or(1).max(1) as u64;
    let layers = (m.layers as u64).div_ceil(pp);
    let kv_per_rank = (m.kv_heads as u64 / tp).max(1);
    let dtype_bytes = match p.text("kv-cache-dtype").as_deref() {
        Some(k) if k.starts_with("fp8") || k.starts_with("int8") => 1,
        Some("float32") => 4,
        _ => 2,
    };
    layers * 2 * kv_per_rank * m.head_dim * dtype_bytes
}

/// vLLM's default batch limits: 8192 tokens / 1024 sequences on ≥ 70 GiB cards other than A100,
/// else 2048 / 256 (`engine/arg_utils.py::_set_default_args`; GT-042 notes 2048 on an L40S).
fn default_limits(total_gib: f64, gpu: &str) -> (u64, u64) {
    if total_gib >= 70.0 && !gpu.starts_with("a100") {
        (8192, 1024)
    } else {
        (2048, 256)
    }
}

/// Estimates one GPU for the inputs; `None` without a model or a GPU size.
pub fn estimate(inputs: &Inputs) -> Option<Estimate> {
    let m = inputs.model?;
    let p = inputs.profile;
    let smi_total = inputs.gpu_memory_gib?;
    let total = (smi_total - CUDA_CONTEXT_GIB).max(0.0);
    let era = era(p.vllm_version);
    let tp = p.int("tensor-parallel-size").unwrap_or(1).max(1) as f64;
    // The release's default when unset (0.90 before 0.20.0): see defaults.rs.
    let gmu = p.float("gpu-memory-utilization")?;
    let usable = total * gmu;
    let weights = weight_bytes_per_gpu(m, p) / GIB;
    let derived = derived_max_len(p, m);
    let max_len = match p.get("max-model-len").and(p.int("max-model-len")) {
        Some(n) if n > 0 => n as u64,
        _ => derived,
    };
    let (def_tokens, def_seqs) = default_limits(smi_total, &p.hardware.gpu);
    let seqs = p
        .int("max-num-seqs")
        .map(|n| n.max(1) as u64)
        .unwrap_or(def_seqs);
    let batched = p.int("max-num-batched-tokens").map(|n| n.max(1) as u64);
    // V0 without chunked prefill profiles a whole max-length prompt.
    let tokens = if era.v1 {
        batched.unwrap_or(def_tokens)
    } else {
        batched.unwrap_or(0).max(max_len).max(2048)
    };
    let inter = m
        .moe_intermediate
        .filter(|_| m.is_moe())
        .map(|i| i * 8)
        .unwrap_or(m.intermediate) as f64;
    // Forward pass: gate/up projections (sharded by TP) and ~8 hidden-sized buffers per token,
    // 16-bit (fitted on GT-043 and GT-026, V0, where the forward pass dominates).
    let forward = tokens as f64 * 2.0 * (2.0 * inter / tp + 8.0 * m.hidden as f64) / GIB;
    let sampler = (seqs * m.vocab) as f64 * era.sampler_bytes_per_logit / GIB;
    let activation = if era.v1 {
        forward.max(sampler)
    } else {
        forward + sampler
    };
    let non_torch = era.non_torch_gib + if tp > 1.0 { era.non_torch_tp_gib } else { 0.0 };
    let eager = p.flag_on("enforce-eager") == Some(true);
    // Graph capture: 0.91 / 0.76 / 0.67 GiB at TP 1 / 2 / 4 (GT-001/003/004), MoE 1.41 (GT-016).
    let cuda_graph = if eager {
        0.0
    } else {
        0.55 + 0.36 / tp.sqrt() + if m.is_moe() { 0.5 } else { 0.0 }
    };
    let mut kv = usable
        - weights
        - activation
        - non_torch
        - if era.graphs_subtracted {
            cuda_graph
        } else {
            0.0
        };
    if let Some(bytes) = p.int("kv-cache-memory-bytes").filter(|b| *b > 0) {
        kv = bytes as f64 / GIB;
    }
    let bpt = kv_bytes_per_token(m, p);
    // Unset (`None` in the catalog), vLLM resolves it to `CacheConfig.DEFAULT_BLOCK_SIZE` = 16
    // unless the backend needs another size (vllm-startup-rules.md §19).
    let block = p
        .int("block-size")
        .filter(|b| *b > 0)
        .unwrap_or(DEFAULT_BLOCK_SIZE) as u64;
    let mut blocks = if kv > 0.0 {
        (kv * GIB / (bpt * block) as f64).floor() as u64
    } else {
        0
    };
    if let Some(n) = p.int("num-gpu-blocks-override").filter(|n| *n > 0) {
        blocks = n as u64;
    }
    let kv_tokens = blocks * block;
    let verdict = if weights > usable {
        Verdict::OutOfMemoryWeights {
            short_gib: weights - usable,
        }
    } else if kv_tokens < max_len {
        Verdict::KvTooSmall {
            tokens: kv_tokens,
            needed: max_len,
        }
    } else {
        Verdict::Starts
    };
    Some(Estimate {
        total_gib: total,
        usable_gib: usable,
        weights_gib: weights,
        activation_gib: activation,
        non_torch_gib: non_torch,
        cuda_graph_gib: cuda_graph,
        kv_cache_gib: kv.max(0.0),
        kv_bytes_per_token: bpt,
        block_size: block,
        kv_tokens,
        max_model_len: max_len,
        max_concurrency: if max_len > 0 {
            kv_tokens as f64 / max_len as f64
        } else {
            0.0
        },
        fits: verdict == Verdict::Starts,
        verdict,
        profile_tokens: tokens,
        profile_seqs: seqs,
    })
}

/// The smallest tensor-parallel size (dividing the heads, within the GPUs given) at which the
/// profile starts; `None` if none does.
pub fn smallest_fitting_tp(inputs: &Inputs) -> Option<u32> {
    let m = inputs.model?;
    [1u32, 2, 4, 8, 16]
        .into_iter()
        .filter(|tp| *tp <= inputs.gpus.max(1) && m.heads % tp == 0)
        .find(|tp| {
            let mut p = inputs.profile.clone();
            p.set(
                "tensor-parallel-size",
                super::profile::ArgValue::word(tp.to_string()),
            );
            let i = Inputs {
                profile: &p,
                ..*inputs
            };
            estimate(&i).is_some_and(|e| e.fits)
        })
}

/// The largest `max-model-len` the KV cache can hold (capped by the model's derived maximum).
pub fn largest_fitting_len(e: &Estimate, derived: u64) -> u64 {
    e.kv_tokens.min(derived)
}

/// What bounds the longest context a profile can serve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// The weights leave no memory for a KV cache.
    Weights,
    /// The KV cache holds fewer tokens than the model allows.
    KvCapacity,
    /// The model's derived maximum (`max_position_embeddings`, RoPE scaling): not memory.
    DerivedLength,
}

impl Limit {
    /// `weights`, `kv-capacity`, `derived-length` (JSON, `data-limit`).
    pub fn id(self) -> &'static str {
        match self {
            Limit::Weights => "weights",
            Limit::KvCapacity => "kv-capacity",
            Limit::DerivedLength => "derived-length",
        }
    }

    /// The limit in words.
    pub fn describe(self) -> &'static str {
        match self {
            Limit::Weights => "the weights: no memory is left for a KV cache",
            Limit::KvCapacity => "the KV cache capacity (memory)",
            Limit::DerivedLength => "the model's derived maximum length, not memory",
        }
    }
}

/// The longest `max-model-len` that starts and the limit that binds it.
pub fn binding_limit(e: &Estimate, derived: u64) -> (u64, Limit) {
    let limit = if matches!(e.verdict, Verdict::OutOfMemoryWeights { .. }) || e.kv_tokens == 0 {
        Limit::Weights
    } else if e.kv_tokens < derived {
        Limit::KvCapacity
    } else {
        Limit::DerivedLength
    };
    (largest_fitting_len(e, derived), limit)
}

#[cfg(test)]
mod tests;
