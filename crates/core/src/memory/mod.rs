//! Per-GPU memory estimate: weights, activation peak, non-torch memory, CUDA graphs, KV cache,
//! token capacity, concurrency and whether vLLM starts. The mechanism follows vLLM's
//! `Worker.determine_available_memory` (vllm-startup-rules.md §17–20); the per-era constants are
//! read off the startup logs in `data/vllm-memory-calibration.json` (record ids beside each).
// Only tests and the benchmark use it; the app never calls it, so the wasm build drops it.
pub mod bands;
pub mod calibration;
pub mod kv;
pub mod runner;
mod weights;

pub use bands::Confidence;
pub use runner::Runner;
pub use weights::{pp_partition, weight_bytes_of_stage, weight_bytes_per_gpu, weights_total_gib};

use super::context::{derived_max_len, Inputs};
use super::models::ModelArch;
use super::profile::Profile;
use super::version::Version;

const GIB: f64 = (1u64 << 30) as f64;

/// `CacheConfig.DEFAULT_BLOCK_SIZE` (vllm-startup-rules.md: block_size defaults to 16).
pub(crate) const DEFAULT_BLOCK_SIZE: i64 = kv::DEFAULT_BLOCK_SIZE as i64;

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
    /// The model runner the release picks for this architecture.
    pub runner: Runner,
    /// CUDA-graph memory captured on top of the `gpu-memory-utilization` budget (the V2 runner
    /// of 0.22–0.28 does not take it out of the KV cache); 0 when it is taken out or eager.
    pub graphs_outside_budget_gib: f64,
    /// What the process holds after startup: the budget plus graphs captured outside it.
    pub peak_gib: f64,
    /// The longest single request the KV cache holds.
    pub longest_request: u64,
    /// The accuracy class (release era / runner / parallelism / attention family) and the
    /// range the real KV cache falls in, from the residuals of the real startups of that class.
    pub class: String,
    pub kv_cache_gib_low: f64,
    pub kv_cache_gib_high: f64,
    pub confidence: Confidence,
    /// The model's vision encoder is loaded (no `--language-model-only`) and not in the figures.
    pub vision_encoder_unsized: bool,
}

impl Estimate {
    /// What the figures alone do not say: memory outside the budget, a verdict the error band
    /// can flip, and a class no real startup has confirmed.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = vec![];
        if self.graphs_outside_budget_gib > 0.0 {
            out.push(format!(
                "CUDA graphs (about {:.2} GiB) are captured on top of the \
                    gpu-memory-utilization budget: this release's {} model runner does not take \
                    them out of the KV cache, so the process holds about {:.2} GiB.",
                self.graphs_outside_budget_gib,
                self.runner.id().to_uppercase(),
                self.peak_gib
            ));
        }
        if self.peak_gib > self.total_gib {
            out.push(format!(
                "{:.2} GiB is more than the {:.2} GiB vLLM sees on this card: lower \
                    --gpu-memory-utilization.",
                self.peak_gib, self.total_gib
            ));
        }
        if self.vision_encoder_unsized {
            out.push(
                "This checkpoint has a vision encoder: vLLM loads it and profiles an image \
                    batch, and neither is in this estimate, so the KV cache will be smaller. \
                    For text-only serving set --language-model-only (vLLM 0.17.0 and later)."
                    .into(),
            );
        }
        match self.confidence {
            Confidence::Borderline => out.push(format!(
                "Borderline: real startups of this class put the KV cache between {:.2} and \
                    {:.2} GiB, and the verdict changes inside that range.",
                self.kv_cache_gib_low, self.kv_cache_gib_high
            )),
            Confidence::UntestedClass => out.push(format!(
                "Untested class ({}): no real startup like this one has been compared with the \
                    estimate; the KV cache may be anywhere between {:.2} and {:.2} GiB.",
                self.class, self.kv_cache_gib_low, self.kv_cache_gib_high
            )),
            Confidence::Measured => {}
        }
        out
    }
}

/// KV bytes a token adds on one GPU across the layers that keep it (full attention, sliding
/// layers within their window, MLA's latent): `v1/kv_cache_interface.py::page_size_bytes`.
pub fn kv_bytes_per_token(m: &ModelArch, p: &Profile) -> u64 {
    let budget = kv::Budget {
        kv_bytes: 0.0,
        max_model_len: 1,
        max_num_batched_tokens: 1,
        hybrid_groups: true,
        stage: 0,
    };
    kv::plan(m, p, &budget).bytes_per_token
}

/// The model as this profile makes vLLM build it (`--hf-overrides` applied).
pub fn effective_model<'a>(m: &'a ModelArch, p: &Profile) -> std::borrow::Cow<'a, ModelArch> {
    let overrides = p
        .text("hf-overrides")
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.as_object().cloned());
    match overrides {
        Some(o)
            if o.contains_key("num_hidden_layers") || o.contains_key("max_position_embeddings") =>
        {
            std::borrow::Cow::Owned(m.with_overrides(&o))
        }
        _ => std::borrow::Cow::Borrowed(m),
    }
}

/// Whether the V0 engine runs chunked prefill: as set, else on by default for contexts over 32K
/// from 0.5.3 unless the model slides a window (`engine/arg_utils.py::create_engine_config`,
/// `use_long_context = max_model_len > 32768`).
fn v0_chunked_prefill(p: &Profile, m: &ModelArch, max_len: u64) -> bool {
    match p.flag_on("enable-chunked-prefill") {
        Some(set) => set,
        None => {
            p.vllm_version >= Version::known("0.5.3")
                && max_len > 32768
                && m.sliding_layers == 0
                && p.text("speculative-model").is_none()
                && p.flag_on("enable-lora") != Some(true)
        }
    }
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
    let p = inputs.profile;
    let model = effective_model(inputs.model?, p);
    let m: &ModelArch = &model;
    let smi_total = inputs.gpu_memory_gib?;
    let total = (smi_total - CUDA_CONTEXT_GIB).max(0.0);
    let era = era(p.vllm_version);
    let runner = runner::runner(p.vllm_version, &m.architecture);
    let tp = p.int("tensor-parallel-size").unwrap_or(1).max(1) as f64;
    // The release's default when unset (0.90 before 0.20.0): see defaults.rs.
    let gmu = p.float("gpu-memory-utilization")?;
    let usable = total * gmu;
    let pp = p.int("pipeline-parallel-size").unwrap_or(1).max(1) as u32;
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
    let tokens = if era.v1 {
        batched.unwrap_or(def_tokens)
    } else if v0_chunked_prefill(p, m, max_len) {
        // V0 with chunked prefill profiles one chunk: 512 tokens by default before 0.6.5,
        // 2048 from it (config.py `SchedulerConfig.__init__`, read from each release's source).
        batched.unwrap_or(if p.vllm_version < Version::known("0.6.5") {
            512
        } else {
            2048
        })
    } else {
        // V0 without chunked prefill profiles a whole max-length prompt.
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
    let activation = match (era.v1, runner) {
        // The V2 runner's dummy sampler run skips top-k/top-p/logprobs: one fp32 logits matrix
        // on top of the forward pass (`v1/worker/gpu/model_runner.py::_dummy_sampler_run`).
        (_, Runner::V2) => forward + (seqs * m.vocab) as f64 * 4.0 / GIB,
        (true, Runner::V1) => {
            forward.max((seqs * m.vocab) as f64 * era.sampler_bytes_per_logit / GIB)
        }
        (false, Runner::V1) => {
            forward + (seqs * m.vocab) as f64 * era.sampler_bytes_per_logit / GIB
        }
    };
    let non_torch = era.non_torch_gib + if tp > 1.0 { era.non_torch_tp_gib } else { 0.0 };
    let eager = p.flag_on("enforce-eager") == Some(true);
    // Graph capture: 0.91 / 0.76 / 0.67 GiB at TP 1 / 2 / 4 (GT-001/003/004), MoE 1.41 (GT-016).
    let cuda_graph = if eager {
        0.0
    } else {
        0.55 + 0.36 / tp.sqrt() + if m.is_moe() { 0.5 } else { 0.0 }
    };
    let graphs_subtracted =
        era.graphs_subtracted && runner::profiles_cuda_graphs(p.vllm_version, runner);
    // Each pipeline stage sizes its own cache from what its weights leave, and the engine keeps
    // the fewest blocks of all stages (`v1/core/kv_cache_utils.py::get_kv_cache_configs`):
    // the figures below are the binding stage's (the only one without PP).
    let stage_plan = |stage: u32| {
        let weights = weight_bytes_of_stage(m, p, stage) / GIB;
        let mut kv = usable
            - weights
            - activation
            - non_torch
            - if graphs_subtracted { cuda_graph } else { 0.0 };
        if let Some(bytes) = p.int("kv-cache-memory-bytes").filter(|b| *b > 0) {
            kv = bytes as f64 / GIB;
        }
        let budget = kv::Budget {
            kv_bytes: kv.max(0.0) * GIB,
            max_model_len: max_len,
            max_num_batched_tokens: if era.v1 { tokens } else { max_len },
            hybrid_groups: runner::hybrid_kv_groups(p.vllm_version)
                && p.flag_on("disable-hybrid-kv-cache-manager") != Some(true),
            stage,
        };
        (weights, kv, kv::plan(m, p, &budget))
    };
    let (weights, kv, mut plan) = (0..pp.min(m.layers.max(1)))
        .map(stage_plan)
        .min_by(|a, b| a.2.blocks.cmp(&b.2.blocks).then(b.0.total_cmp(&a.0)))
        .unwrap_or_else(|| stage_plan(0));
    if let Some(n) = p.int("num-gpu-blocks-override").filter(|n| *n > 0) {
        let scale = n as f64 / plan.blocks.max(1) as f64;
        plan.blocks = n as u64;
        plan.tokens = (plan.tokens as f64 * scale) as u64;
        plan.concurrency *= scale;
        plan.longest_request = (plan.longest_request as f64 * scale) as u64;
    }
    let verdict = if weights > usable {
        Verdict::OutOfMemoryWeights {
            short_gib: weights - usable,
        }
    } else if plan.longest_request < max_len {
        Verdict::KvTooSmall {
            tokens: plan.longest_request.min(plan.tokens),
            needed: max_len,
        }
    } else {
        Verdict::Starts
    };
    let graphs_outside = if graphs_subtracted { 0.0 } else { cuda_graph };
    let class = bands::class_of(m, p, runner);
    let band = bands::band(&class, kv.max(0.0));
    let confidence = bands::confidence(&band, &plan, max_len, kv.max(0.0));
    Some(Estimate {
        total_gib: total,
        usable_gib: usable,
        weights_gib: weights,
        activation_gib: activation,
        non_torch_gib: non_torch,
        cuda_graph_gib: cuda_graph,
        kv_cache_gib: kv.max(0.0),
        kv_bytes_per_token: plan.bytes_per_token,
        block_size: plan.block_size,
        kv_tokens: plan.tokens,
        max_model_len: max_len,
        max_concurrency: plan.concurrency,
        fits: verdict == Verdict::Starts,
        verdict,
        profile_tokens: tokens,
        profile_seqs: seqs,
        runner,
        graphs_outside_budget_gib: graphs_outside,
        peak_gib: usable + graphs_outside,
        longest_request: plan.longest_request,
        kv_cache_gib_low: band.low,
        kv_cache_gib_high: band.high,
        class,
        confidence,
        vision_encoder_unsized: m.vision_encoder && p.flag_on("language-model-only") != Some(true),
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
    e.longest_request.min(derived)
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
    } else if e.longest_request < derived {
        Limit::KvCapacity
    } else {
        Limit::DerivedLength
    };
    (largest_fitting_len(e, derived), limit)
}

#[cfg(test)]
mod tests;
