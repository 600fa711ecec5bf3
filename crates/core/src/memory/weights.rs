//! Weight memory: parameters per component, the bytes each takes under the checkpoint's
//! quantization and `--dtype`, and how vLLM shards them over TP and PP.
use crate::models::ModelArch;
use crate::profile::Profile;

/// Bytes per parameter of a quantized linear layer: packed weights plus, per group, a 16-bit
/// scale and (AWQ/GPTQ with zero points) a packed zero point.
fn linear_bytes_per_param(m: &ModelArch, p: &Profile, dense_bytes: f64) -> f64 {
    let user = p.text("quantization").unwrap_or_default();
    match &m.quant {
        Some(q) if q.method == "awq" || q.method == "gptq" || q.method.contains("bitsandbytes") => {
            let bits = q.bits as f64 / 8.0;
            // Unstated group sizes take the tools' defaults: 128 for AutoAWQ/GPTQ, 64 for bitsandbytes.
            let group = q
                .group_size
                .unwrap_or(if q.method.contains("bitsandbytes") {
                    64
                } else {
                    128
                }) as f64;
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
        Some(q) if q.bits == 8 => 1.0,
        Some(q) => q.bits as f64 / 8.0,
        // Online quantization of a 16-bit checkpoint.
        None if user == "fp8" || user.starts_with("fp8_per") => 1.0,
        None => dense_bytes,
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

/// Weight bytes on one GPU of the first pipeline stage.
pub fn weight_bytes_per_gpu(m: &ModelArch, p: &Profile) -> f64 {
    let tp = p.int("tensor-parallel-size").unwrap_or(1).max(1) as f64;
    let pp = p.int("pipeline-parallel-size").unwrap_or(1).max(1) as u64;
    let dense = dense_bytes(m, p);
    let lin = linear_bytes_per_param(m, p, dense);
    let h = m.hidden as f64;
    let d = m.head_dim as f64;
    // K/V heads are split when there are at least TP of them, else replicated (one per rank).
    let kv_per_rank = (m.kv_heads as f64 / tp).max(1.0);
    let attn = h * (m.heads as f64 * d) / tp * 2.0 + h * kv_per_rank * d * 2.0;
    let mlp = match (m.experts.filter(|e| *e > 1), m.moe_intermediate) {
        (Some(e), Some(mi)) => e as f64 * 3.0 * h * mi as f64 / tp,
        _ => 3.0 * h * m.intermediate as f64 / tp,
    };
    let router = m.experts.filter(|e| *e > 1).map_or(0.0, |e| h * e as f64);
    let layers = (m.layers as u64).div_ceil(pp) as f64;
    let per_layer = (attn + mlp) * lin + (router + 2.0 * h) * dense;
    // Embedding and LM head stay 16-bit and are split over TP by vocabulary; the head is on the
    // last stage, and counted once when tied.
    let embed = m.vocab as f64 * h / tp * dense;
    let head = if m.tie_word_embeddings || pp > 1 {
        0.0
    } else {
        embed
    };
    layers * per_layer + embed + head + h * dense
}

/// Weight GiB of the whole model (all GPUs), for load-time advice.
pub fn weights_total_gib(m: &ModelArch, p: &Profile) -> f64 {
    let mut single = p.clone();
    single.unset("tensor-parallel-size");
    single.unset("pipeline-parallel-size");
    weight_bytes_per_gpu(m, &single) / (1u64 << 30) as f64
}
