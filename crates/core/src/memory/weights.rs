//! Weight memory: parameters per component, the bytes each takes under the checkpoint's
//! quantization and `--dtype`, and how vLLM shards them over TP and PP.
use crate::models::{ModelArch, QuantFormat, Recurrent};
use crate::profile::Profile;

/// MXFP4 experts on Hopper load 6.1 % above their packed size (4 bits + an 8-bit scale per 32):
/// the TRITON MoE backend re-lays them for `triton_kernels`' Hopper layouts
/// (`quantization/utils/mxfp4_utils.py::_swizzle_mxfp4`), outside vLLM's own code. Measured,
/// not derived: gpt-oss-20b 13.58 GiB (GT-S02, the calibration record of this format).
const MXFP4_TRITON_RELAYOUT: f64 = 1.061;

/// Bytes per parameter of a quantized linear layer, by storage format.
fn linear_bytes_per_param(m: &ModelArch, p: &Profile, dense_bytes: f64) -> f64 {
    let user = p.text("quantization").unwrap_or_default();
    let Some(q) = &m.quant else {
        // Online quantization of a 16-bit checkpoint.
        return if user == "fp8" || user.starts_with("fp8_per") {
            1.0
        } else {
            dense_bytes
        };
    };
    match q.format {
        // 4-bit floats + an fp8 scale per 16 (`nvfp4-pack-quantized`).
        QuantFormat::Nvfp4 => 0.5 + 1.0 / 16.0,
        // 4-bit floats + an 8-bit exponent per 32.
        QuantFormat::Mxfp4 { .. } => 0.5 + 1.0 / 32.0,
        // 8-bit floats + an fp32 scale per block (`fp8.py::Fp8LinearMethod.create_weights`).
        QuantFormat::Fp8Block(n, k) => 1.0 + 4.0 / (n as f64 * k as f64).max(1.0),
        QuantFormat::Fp8 => 1.0,
        QuantFormat::Int if q.bits >= 8 => q.bits as f64 / 8.0,
        QuantFormat::Int => {
            let bits = q.bits as f64 / 8.0;
            // Unstated group sizes take the tools' defaults: 128 for AutoAWQ/GPTQ, 64 for bitsandbytes.
            let group = q
                .group_size
                .unwrap_or(if q.method.contains("bitsandbytes") {
                    64
                } else {
                    128
                }) as f64;
            // Per group a 16-bit scale and (AWQ/GPTQ with zero points) a packed zero point.
            let per_group = if group > 0.0 {
                (2.0 + if q.zero_point || q.method == "gptq" {
                    bits
                } else {
                    0.0
                }) / group
            } else {
                0.0
            };
            bits + per_group
        }
    }
}

/// Bytes of the dense (unquantized) parts: `--dtype`, else the checkpoint's dtype, with fp32
/// checkpoints cast down to 16-bit as vLLM does for `auto`.
fn dense_bytes(m: &ModelArch, p: &Profile) -> f64 {
    match p.text("dtype").as_deref() {
        Some("float32") | Some("float") => 4.0,
        Some("auto") | None if m.torch_dtype == "float32" => 2.0,
        _ => 2.0,
    }
}

/// Linear parameters of one attention layer on one rank.
fn attention_params(m: &ModelArch, tp: f64) -> f64 {
    let h = m.hidden as f64;
    let heads = m.heads as f64;
    if let Some(a) = &m.mla {
        let qk = (a.qk_nope_head_dim + a.qk_rope_head_dim) as f64;
        let q = match a.q_lora_rank {
            Some(r) => h * r as f64 + r as f64 * heads * qk / tp,
            None => h * heads * qk / tp,
        };
        // kv_a_proj_with_mqa (replicated), kv_b_proj and o_proj (split by heads).
        let kv_a = h * (a.kv_lora_rank + a.qk_rope_head_dim) as f64;
        let kv_b = a.kv_lora_rank as f64 * heads * (a.qk_nope_head_dim + a.v_head_dim) as f64 / tp;
        return q + kv_a + kv_b + heads * a.v_head_dim as f64 * h / tp;
    }
    let d = m.head_dim as f64;
    // K/V heads are split when there are at least TP of them, else replicated (one per rank).
    let kv_per_rank = (m.kv_heads as f64 / tp).max(1.0);
    h * (heads * d) / tp * 2.0 + h * kv_per_rank * d * 2.0
}

/// Linear parameters of one recurrent layer on one rank (`qwen3_next.py`,
/// `mamba_mixer2.py`: input projection, causal conv, output projection).
fn recurrent_params(m: &ModelArch, r: &Recurrent, tp: f64) -> f64 {
    let h = m.hidden as f64;
    let (channels, kernel) = r.conv();
    let conv = channels as f64 * kernel as f64;
    let (inner, in_proj) = match *r {
        Recurrent::GatedDeltaNet {
            k_heads,
            v_heads,
            k_dim,
            v_dim,
            ..
        } => {
            let (key, value) = ((k_heads * k_dim) as f64, (v_heads * v_dim) as f64);
            // in_proj_qkvz and in_proj_ba.
            (
                value,
                h * (2.0 * key + 2.0 * value) + h * 2.0 * v_heads as f64,
            )
        }
        Recurrent::Mamba2 {
            heads,
            head_dim,
            groups,
            d_state,
            ..
        } => {
            let inner = (heads * head_dim) as f64;
            let bc = (2 * groups * d_state) as f64;
            (inner, h * (2.0 * inner + bc + heads as f64))
        }
    };
    // Input projection, causal conv, output projection, all split by TP.
    (in_proj + conv + inner * h) / tp
}

/// Bytes of the rotary cos/sin tables vLLM builds at load (`rotary_embedding/base.py`,
/// `_compute_cos_sin_cache`: positions × rotary_dim in the model dtype; a `linear` rope covers
/// `max_position × factor`; Gemma 3 keeps a second table for its sliding layers).
fn rope_cache_bytes(m: &ModelArch, dense: f64) -> f64 {
    let positions = m.max_position_embeddings as f64;
    let global = positions * m.rope_linear_factor as f64 * m.rotary_dim as f64;
    let local = if m.local_rope {
        positions * m.rotary_dim as f64
    } else {
        0.0
    };
    (global + local) * dense
}

/// Layers of each pipeline stage as vLLM splits them (0.33.0
/// `vllm/distributed/utils.py::get_pp_indices`, without `VLLM_PP_LAYER_PARTITION`): L // PP
/// each, the remainder one layer each to the stages before the last, from the second-to-last
/// backwards (the first holds the embedding and the last the LM head).
pub fn pp_partition(layers: u32, pp: u32) -> Vec<u32> {
    let pp = pp.clamp(1, layers.max(1));
    let mut parts = vec![layers / pp; pp as usize];
    let n = parts.len();
    for i in 2..(layers % pp) as usize + 2 {
        parts[n - i] += 1;
    }
    parts
}

/// Weight bytes on one GPU of the first pipeline stage.
pub fn weight_bytes_per_gpu(m: &ModelArch, p: &Profile) -> f64 {
    weight_bytes_of_stage(m, p, 0)
}

/// Weight bytes on one GPU of pipeline stage `stage` (0: the first; the only one without PP).
pub fn weight_bytes_of_stage(m: &ModelArch, p: &Profile, stage: u32) -> f64 {
    let tp = p.int("tensor-parallel-size").unwrap_or(1).max(1) as f64;
    let pp = p.int("pipeline-parallel-size").unwrap_or(1).max(1) as u64;
    let parts = pp_partition(m.layers, pp as u32);
    let stage = (stage as usize).min(parts.len() - 1);
    let (first, last) = (stage == 0, stage == parts.len() - 1);
    let dense = dense_bytes(m, p);
    let lin = linear_bytes_per_param(m, p, dense);
    let experts_only = matches!(
        m.quant.as_ref().map(|q| q.format),
        Some(QuantFormat::Mxfp4 { experts_only: true })
    );
    let mxfp4 = matches!(
        m.quant.as_ref().map(|q| q.format),
        Some(QuantFormat::Mxfp4 { .. })
    );
    let h = m.hidden as f64;
    let layers = parts[stage] as f64;
    let share = |n: u32| n as f64 * layers / m.layers.max(1) as f64;
    // Attention (or recurrent mixing) per layer; attention stays 16-bit where the checkpoint
    // keeps it so (gpt-oss).
    let attn_bytes = if experts_only { dense } else { lin };
    let recurrent_layers = m.recurrent.as_ref().map_or(0, Recurrent::layers);
    let mixing = share(m.layers.saturating_sub(recurrent_layers + m.other_layers))
        * attention_params(m, tp)
        * attn_bytes
        + m.recurrent.as_ref().map_or(0.0, |r| {
            share(r.layers()) * recurrent_params(m, r, tp) * lin
        });
    // MLP: routed experts (+ shared experts and router) on MoE layers, dense MLP on the others.
    let dense_mlp = 3.0 * h * m.intermediate as f64 / tp * lin;
    let mlp = match (m.experts.filter(|e| *e > 1), m.moe_intermediate) {
        (Some(e), Some(mi)) => {
            let moe_layers = share(m.layers.saturating_sub(m.dense_layers));
            let relayout = if mxfp4 { MXFP4_TRITON_RELAYOUT } else { 1.0 };
            let routed = e as f64 * 3.0 * h * mi as f64 / tp * lin * relayout;
            let shared = 3.0 * h * m.shared_expert_intermediate as f64 / tp * lin;
            let router = h * e as f64 * dense;
            moe_layers * (routed + shared + router) + share(m.dense_layers) * dense_mlp
        }
        _ => layers * dense_mlp,
    };
    let norms = layers * 2.0 * h * dense;
    // Embedding and LM head stay 16-bit and are split over TP by vocabulary: the embedding on
    // the first stage, the head (and the final norm) on the last, one table when tied on one.
    let table = m.vocab as f64 * h / tp * dense;
    let embed = if first { table } else { 0.0 };
    let head = if last && !(m.tie_word_embeddings && first) {
        table
    } else {
        0.0
    };
    let final_norm = if last { h * dense } else { 0.0 };
    mixing + mlp + norms + embed + head + final_norm + rope_cache_bytes(m, dense)
}

/// Weight GiB of the whole model (all GPUs), for load-time advice.
pub fn weights_total_gib(m: &ModelArch, p: &Profile) -> f64 {
    let mut single = p.clone();
    single.unset("tensor-parallel-size");
    single.unset("pipeline-parallel-size");
    weight_bytes_per_gpu(m, &single) / (1u64 << 30) as f64
}
