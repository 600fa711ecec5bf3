//! Model architecture catalog. Source: `data/models.json` (copy of `shared/reference/models.json`:
//! each model's published config.json, sources listed per entry in that file). An unknown model can
//! be described by pasting its Hugging Face `config.json` ([`from_config_json`]).
use serde_json::Value;
use std::sync::OnceLock;

/// Weight quantization of a checkpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Quant {
    /// The checkpoint's `quant_method` (`awq`, `gptq`, `fp8`, `compressed-tensors`, …).
    pub method: String,
    pub bits: u32,
    /// Weights per scale group (`None`: per channel).
    pub group_size: Option<u32>,
    /// Whether each group also stores a zero point (AWQ: yes).
    pub zero_point: bool,
    /// How the weights are stored, which decides their bytes.
    pub format: QuantFormat,
}

/// The storage format of quantized weights, as the checkpoint's `quantization_config` states it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum QuantFormat {
    /// Packed integers with a 16-bit scale (and zero point) per group: AWQ, GPTQ, bitsandbytes,
    /// compressed-tensors `pack-quantized` / `int-quantized`.
    Int,
    /// 8-bit floats with one scale per tensor or channel: `fp8`, compressed-tensors
    /// `float-quantized` (RedHatAI's FP8 checkpoints).
    Fp8,
    /// 8-bit floats with an fp32 scale per `[n, k]` block (`weight_block_size`, DeepSeek/Qwen FP8).
    Fp8Block(u32, u32),
    /// NVFP4: 4-bit floats, an fp8 scale per 16 (compressed-tensors `nvfp4-pack-quantized`,
    /// ModelOpt `NVFP4`).
    Nvfp4,
    /// MXFP4: 4-bit floats, an 8-bit exponent scale per 32 (gpt-oss); `experts_only` when the
    /// checkpoint keeps attention in 16-bit (`modules_to_not_convert` lists `self_attn`).
    Mxfp4 { experts_only: bool },
}

/// Multi-head latent attention (DeepSeek V2/V3, Kimi K2): each layer caches one compressed
/// latent of `kv_lora_rank + qk_rope_head_dim` values per token instead of K and V per head.
#[derive(Clone, Debug, PartialEq)]
pub struct Mla {
    pub kv_lora_rank: u64,
    pub qk_rope_head_dim: u64,
    pub qk_nope_head_dim: u64,
    pub v_head_dim: u64,
    /// `None`: queries are projected directly (DeepSeek-V2-Lite).
    pub q_lora_rank: Option<u64>,
}

/// Recurrent (linear-attention or state-space) layers: their state per sequence replaces a KV
/// cache and shares vLLM's KV pool.
#[derive(Clone, Debug, PartialEq)]
pub enum Recurrent {
    /// Gated DeltaNet (Qwen3-Next, Qwen3.5): a causal conv over q/k/v and a per-value-head
    /// `head_v × head_k` state (`mamba_utils.py::gated_delta_net_state_shape`).
    GatedDeltaNet {
        layers: u32,
        k_heads: u64,
        v_heads: u64,
        k_dim: u64,
        v_dim: u64,
        conv_kernel: u64,
    },
    /// Mamba-2 (Nemotron-H, Granite 4.0-H, Falcon-H1): a causal conv and a per-head
    /// `head_dim × d_state` state (`mamba_utils.py::mamba2_state_shape`).
    Mamba2 {
        layers: u32,
        heads: u64,
        head_dim: u64,
        groups: u64,
        d_state: u64,
        conv_kernel: u64,
    },
}

impl Recurrent {
    /// Layers of this kind.
    pub fn layers(&self) -> u32 {
        match self {
            Recurrent::GatedDeltaNet { layers, .. } | Recurrent::Mamba2 { layers, .. } => *layers,
        }
    }

    /// Channels of the causal conv at TP 1 (GDN: q, k and v; Mamba-2: x, B and C) and its kernel.
    pub fn conv(&self) -> (u64, u64) {
        match *self {
            Recurrent::GatedDeltaNet {
                k_heads,
                v_heads,
                k_dim,
                v_dim,
                conv_kernel,
                ..
            } => (k_dim * k_heads * 2 + v_dim * v_heads, conv_kernel),
            Recurrent::Mamba2 {
                heads,
                head_dim,
                groups,
                d_state,
                conv_kernel,
                ..
            } => (heads * head_dim + 2 * groups * d_state, conv_kernel),
        }
    }

    /// State elements per sequence on one of `tp` ranks (conv state + recurrent state).
    pub fn state_elems(&self, tp: u64) -> u64 {
        let (channels, kernel) = self.conv();
        let recurrent = match *self {
            Recurrent::GatedDeltaNet {
                v_heads,
                k_dim,
                v_dim,
                ..
            } => v_heads / tp * v_dim * k_dim,
            Recurrent::Mamba2 {
                heads,
                head_dim,
                d_state,
                ..
            } => heads / tp * head_dim * d_state,
        };
        channels / tp * kernel.saturating_sub(1) + recurrent
    }
}

/// The architecture facts the rules and the memory estimate need.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelArch {
    pub id: String,
    pub architecture: String,
    pub layers: u32,
    pub hidden: u64,
    pub heads: u32,
    pub kv_heads: u32,
    pub head_dim: u64,
    pub intermediate: u64,
    pub moe_intermediate: Option<u64>,
    pub experts: Option<u32>,
    pub vocab: u64,
    pub max_position_embeddings: u64,
    pub tie_word_embeddings: bool,
    /// `bfloat16`, `float16`, …
    pub torch_dtype: String,
    pub rope_theta: Option<f64>,
    /// `rope_scaling.rope_type` of the checkpoint, if any.
    pub rope_type: Option<String>,
    pub attention_bias: bool,
    pub quant: Option<Quant>,
    /// Latent attention, when the model uses it.
    pub mla: Option<Mla>,
    /// Layers that attend only within `sliding_window` tokens (`layer_types`, or Gemma's
    /// `sliding_window_pattern`).
    pub sliding_layers: u32,
    pub sliding_window: Option<u64>,
    /// Recurrent layers of a hybrid model.
    pub recurrent: Option<Recurrent>,
    /// Layers with neither attention nor recurrent state (Nemotron-H's MLP-only layers).
    pub other_layers: u32,
    /// MoE models: leading dense layers (`first_k_dense_replace`) and the shared experts'
    /// total intermediate size.
    pub dense_layers: u32,
    pub shared_expert_intermediate: u64,
    /// Rotary dimensions per head (`partial_rotary_factor`; MLA: `qk_rope_head_dim`).
    pub rotary_dim: u64,
    /// Rotary scaling factor of a `linear` rope (its cache covers `max_position × factor`).
    pub rope_linear_factor: u64,
    /// A second rotary table for the sliding layers (Gemma 3 `rope_local_base_freq`).
    pub local_rope: bool,
    /// The checkpoint carries a vision encoder (`vision_config`), which vLLM loads and profiles
    /// unless `--language-model-only`; the estimate does not size it.
    pub vision_encoder: bool,
    /// Where the facts come from.
    pub source: String,
}

impl ModelArch {
    /// The model family for family-specific advice (`qwen3`, `qwen2`, `llama`, …).
    pub fn family(&self) -> &'static str {
        let a = self.architecture.as_str();
        if a.starts_with("Qwen3") {
            "qwen3"
        } else if a.starts_with("Qwen2") {
            "qwen2"
        } else if a.starts_with("Llama") {
            "llama"
        } else {
            "other"
        }
    }

    /// Whether the model is a mixture of experts.
    pub fn is_moe(&self) -> bool {
        self.experts.is_some_and(|e| e > 1)
    }

    /// Layers with a full-length KV cache.
    pub fn full_attention_layers(&self) -> u32 {
        self.layers
            .saturating_sub(self.sliding_layers)
            .saturating_sub(self.other_layers)
            .saturating_sub(self.recurrent.as_ref().map_or(0, Recurrent::layers))
    }

    /// Layers that keep a KV cache (full or sliding-window attention).
    pub fn attention_layers(&self) -> u32 {
        self.full_attention_layers() + self.sliding_layers
    }

    /// Bytes one token adds to one attention layer's cache on one of `tp` ranks: K and V per
    /// KV head (heads are replicated when TP exceeds them), or the one shared latent of MLA.
    pub fn kv_bytes_per_layer_token(&self, tp: u64, dtype_bytes: u64) -> u64 {
        match &self.mla {
            Some(a) => (a.kv_lora_rank + a.qk_rope_head_dim) * dtype_bytes,
            None => 2 * (self.kv_heads as u64 / tp.max(1)).max(1) * self.head_dim * dtype_bytes,
        }
    }

    /// The attention family, for advice and for the estimator's accuracy classes.
    pub fn attention_family(&self) -> &'static str {
        if self.recurrent.is_some() {
            "hybrid"
        } else if self.mla.is_some() {
            "mla"
        } else if self.sliding_layers > 0 {
            "sliding"
        } else if self.is_moe() {
            "moe"
        } else {
            "dense"
        }
    }

    /// A copy with the `--hf-overrides` keys the estimate reads applied (vLLM updates the
    /// config with them before it builds the model).
    pub fn with_overrides(&self, overrides: &serde_json::Map<String, Value>) -> ModelArch {
        let mut m = self.clone();
        if let Some(n) = overrides.get("num_hidden_layers").and_then(Value::as_u64) {
            let n = n as u32;
            // Patterns repeat along the depth; keep each kind's share of the layers.
            let scale = |k: u32| (k as u64 * n as u64 / self.layers.max(1) as u64) as u32;
            m.sliding_layers = scale(self.sliding_layers);
            if let Some(r) = &mut m.recurrent {
                let kept = scale(r.layers());
                match r {
                    Recurrent::GatedDeltaNet { layers, .. } | Recurrent::Mamba2 { layers, .. } => {
                        *layers = kept
                    }
                }
            }
            m.dense_layers = self.dense_layers.min(n);
            m.layers = n;
        }
        if let Some(n) = overrides
            .get("max_position_embeddings")
            .and_then(Value::as_u64)
        {
            m.max_position_embeddings = n;
        }
        m
    }
}

fn u(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// The first word of a descriptive `quant_method` (`gptq-format W4A16 (...)` → `gptq`).
fn quant_method(text: &str) -> String {
    let first = text.split([' ', '(']).next().unwrap_or_default();
    first.trim_end_matches("-format").to_ascii_lowercase()
}

/// Reads one architecture from a config.json-like object (the catalog's or a pasted one).
fn arch_from(id: &str, v: &Value, source: &str) -> Result<ModelArch, String> {
    let need =
        |key: &str| u(v, key).ok_or_else(|| format!("`{key}` is missing or not a whole number"));
    let text_config = v.get("text_config").filter(|t| t.is_object());
    if let Some(tc) = text_config {
        if v.get("num_hidden_layers").is_none() {
            return arch_from(id, tc, source).map(|m| ModelArch {
                vision_encoder: v.get("vision_config").is_some_and(Value::is_object),
                ..m
            });
        }
    }
    let layers = need("num_hidden_layers")? as u32;
    let hidden = need("hidden_size")?;
    let heads = need("num_attention_heads")? as u32;
    if heads == 0 || layers == 0 {
        return Err("`num_attention_heads` and `num_hidden_layers` must be positive".into());
    }
    let kv_heads = u(v, "num_key_value_heads").unwrap_or(heads as u64) as u32;
    let qc = v.get("quantization_config");
    let method = v
        .get("quant_method")
        .and_then(Value::as_str)
        .map(quant_method)
        .or_else(|| {
            qc.and_then(|q| q.get("quant_method"))
                .and_then(Value::as_str)
                .map(quant_method)
        });
    let quant = method.map(|m| quant_of(m, v, qc));
    let text = |key: &str| v.get(key).and_then(Value::as_str).unwrap_or_default();
    let layer_types: Vec<&str> = v
        .get("layer_types")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let count = |kind: &str| layer_types.iter().filter(|t| **t == kind).count() as u32;
    let sliding_window = u(v, "sliding_window")
        .filter(|_| v.get("use_sliding_window").and_then(Value::as_bool) != Some(false));
    // Which layers slide: `layer_types`, Gemma 3's "every N-th layer is global", Gemma 2's
    // alternation (even layers slide: vLLM gemma2.py). Other configs with a `sliding_window`
    // are sized as full attention, the larger cache.
    let sliding_layers = match sliding_window {
        None => 0,
        Some(_) if !layer_types.is_empty() => count("sliding_attention"),
        Some(_) => match u(v, "sliding_window_pattern").or_else(|| u(v, "_sliding_window_pattern"))
        {
            Some(n) if n > 0 => layers - layers / n as u32,
            _ if text("model_type") == "gemma2" => layers.div_ceil(2),
            _ => 0,
        },
    };
    let recurrent = recurrent_of(v, layers, &layer_types);
    // Nemotron-H: `-` (MLP) and `E` (MoE) layers keep neither a KV cache nor a state; `M` is
    // Mamba-2 and `*` attention (vLLM nemotron_h.py `ALL_DECODER_LAYER_TYPES`).
    let other_layers = v
        .get("hybrid_override_pattern")
        .and_then(Value::as_str)
        .map_or(0, |p| {
            p.chars().filter(|c| !matches!(c, 'M' | '*')).count() as u32
        });
    // Dimensions a config leaves out take transformers' DeepseekV2Config defaults (5.20.2:
    // qk_rope_head_dim 64, qk_nope_head_dim 128, v_head_dim 128).
    let mla = u(v, "kv_lora_rank").map(|kv_lora_rank| Mla {
        kv_lora_rank,
        qk_rope_head_dim: u(v, "qk_rope_head_dim").unwrap_or(64),
        qk_nope_head_dim: u(v, "qk_nope_head_dim").unwrap_or(128),
        v_head_dim: u(v, "v_head_dim").unwrap_or(128),
        q_lora_rank: u(v, "q_lora_rank"),
    });
    let experts = u(v, "num_experts")
        .or_else(|| u(v, "num_local_experts"))
        .or_else(|| u(v, "n_routed_experts"))
        .map(|e| e as u32);
    let intermediate = u(v, "intermediate_size").unwrap_or(4 * hidden);
    let moe_intermediate = u(v, "moe_intermediate_size")
        // Mixtral, gpt-oss: `intermediate_size` is each expert's.
        .or_else(|| experts.filter(|e| *e > 1).map(|_| intermediate));
    let rope = v.get("rope_scaling").filter(|r| r.is_object()).or_else(|| {
        v.get("rope_parameters")
            .filter(|r| r.get("rope_type").and_then(Value::as_str) != Some("default"))
    });
    let rope_type = rope
        .and_then(|r| r.get("rope_type").or_else(|| r.get("type")))
        .and_then(Value::as_str)
        .map(str::to_string);
    let head_dim = u(v, "head_dim").unwrap_or(hidden / heads as u64);
    let partial = v
        .get("partial_rotary_factor")
        .and_then(Value::as_f64)
        .unwrap_or(1.0);
    Ok(ModelArch {
        id: id.to_string(),
        architecture: v
            .get("architecture")
            .and_then(Value::as_str)
            .or_else(|| {
                v.get("architectures")
                    .and_then(|a| a.get(0))
                    .and_then(Value::as_str)
            })
            .unwrap_or("unknown")
            .to_string(),
        layers,
        hidden,
        heads,
        kv_heads,
        head_dim,
        intermediate,
        moe_intermediate,
        experts,
        vocab: need("vocab_size")?,
        max_position_embeddings: u(v, "max_position_embeddings").unwrap_or(2048),
        // Gemma configs tie their embeddings unless they say otherwise (transformers'
        // Gemma*Config default).
        tie_word_embeddings: v
            .get("tie_word_embeddings")
            .and_then(Value::as_bool)
            .unwrap_or(text("model_type").starts_with("gemma")),
        torch_dtype: v
            .get("torch_dtype")
            .or_else(|| v.get("dtype"))
            .and_then(Value::as_str)
            .map(|s| s.split_whitespace().next().unwrap_or(s).to_string())
            .unwrap_or_else(|| "bfloat16".into()),
        rope_theta: v.get("rope_theta").and_then(Value::as_f64),
        rope_linear_factor: match rope_type.as_deref() {
            Some("linear") => rope
                .and_then(|r| r.get("factor"))
                .and_then(Value::as_f64)
                .map_or(1, |f| f.max(1.0) as u64),
            _ => 1,
        },
        rope_type,
        attention_bias: v
            .get("attention_bias")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        quant,
        rotary_dim: mla
            .as_ref()
            .map_or((head_dim as f64 * partial) as u64, |m| m.qk_rope_head_dim),
        mla,
        sliding_layers,
        sliding_window: sliding_window.filter(|_| sliding_layers > 0),
        recurrent,
        other_layers,
        dense_layers: u(v, "first_k_dense_replace")
            .map(|n| n as u32)
            .or_else(|| {
                v.get("mlp_only_layers")
                    .and_then(Value::as_array)
                    .map(|a| a.len() as u32)
            })
            .unwrap_or(0),
        shared_expert_intermediate: u(v, "shared_expert_intermediate_size")
            .or_else(|| {
                u(v, "n_shared_experts").map(|n| n * u(v, "moe_intermediate_size").unwrap_or(0))
            })
            .unwrap_or(0),
        local_rope: v.get("rope_local_base_freq").is_some() && sliding_layers > 0,
        vision_encoder: v.get("vision_config").is_some_and(Value::is_object),
        source: source.to_string(),
    })
}

/// The quantization of a checkpoint from its `quantization_config` (or the catalog's flat
/// `quant_method` / `bits` / `group_size`).
fn quant_of(method: String, v: &Value, qc: Option<&Value>) -> Quant {
    let q = |key: &str| qc.and_then(|q| q.get(key));
    // compressed-tensors: the first config group's weight scheme.
    let weights = q("config_groups")
        .and_then(Value::as_object)
        .and_then(|g| g.values().next())
        .and_then(|g| g.get("weights"));
    let w = |key: &str| weights.and_then(|w| w.get(key));
    let bits = u(v, "bits")
        .or_else(|| qc.and_then(|q| u(q, "bits")))
        .or_else(|| w("num_bits").and_then(Value::as_u64));
    let group_size = u(v, "group_size")
        .or_else(|| qc.and_then(|q| u(q, "group_size")))
        .or_else(|| w("group_size").and_then(Value::as_u64))
        .map(|g| g as u32);
    let block = |b: Option<&Value>| {
        b.and_then(Value::as_array)
            .filter(|a| a.len() == 2)
            .and_then(|a| Some((a[0].as_u64()? as u32, a[1].as_u64()? as u32)))
    };
    let ct_format = q("format").and_then(Value::as_str).unwrap_or_default();
    let algo = q("quant_algo")
        .or_else(|| q("quantization").and_then(|x| x.get("quant_algo")))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_uppercase();
    let keeps_attention = q("modules_to_not_convert")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter()
                .any(|m| m.as_str().is_some_and(|m| m.contains("self_attn")))
        });
    let format = match method.as_str() {
        "mxfp4" => QuantFormat::Mxfp4 {
            experts_only: keeps_attention,
        },
        "fp8" => block(q("weight_block_size"))
            .map_or(QuantFormat::Fp8, |(n, k)| QuantFormat::Fp8Block(n, k)),
        "modelopt" | "modelopt_fp4" if algo.contains("FP4") => QuantFormat::Nvfp4,
        "modelopt" => QuantFormat::Fp8,
        "compressed-tensors" => match ct_format {
            "nvfp4-pack-quantized" => QuantFormat::Nvfp4,
            "mxfp4-pack-quantized" => QuantFormat::Mxfp4 {
                experts_only: false,
            },
            "float-quantized" => block(w("block_structure"))
                .map_or(QuantFormat::Fp8, |(n, k)| QuantFormat::Fp8Block(n, k)),
            _ => QuantFormat::Int,
        },
        _ => QuantFormat::Int,
    };
    let bits = bits.unwrap_or(match format {
        QuantFormat::Fp8 | QuantFormat::Fp8Block(..) => 8,
        _ if method.contains("fp8") => 8,
        _ => 4,
    }) as u32;
    Quant {
        bits,
        group_size,
        zero_point: q("zero_point")
            .and_then(Value::as_bool)
            .or_else(|| w("symmetric").and_then(Value::as_bool).map(|s| !s))
            .unwrap_or(method == "awq"),
        format,
        method,
    }
}

/// The recurrent layers of a hybrid config: Gated DeltaNet (`linear_*` keys) or Mamba-2.
fn recurrent_of(v: &Value, layers: u32, layer_types: &[&str]) -> Option<Recurrent> {
    let count = |kinds: &[&str]| layer_types.iter().filter(|t| kinds.contains(t)).count() as u32;
    // Gated DeltaNet: what a config leaves out takes transformers' Qwen3NextConfig defaults
    // (5.20.2: 3 linear layers to 1 full, 16 key heads, key/value head dims 128, conv kernel 4).
    if let Some(v_heads) = u(v, "linear_num_value_heads") {
        let linear = match count(&["linear_attention"]) {
            0 => {
                let every = u(v, "full_attention_interval").unwrap_or(4).max(1) as u32;
                layers - layers / every
            }
            n => n,
        };
        return Some(Recurrent::GatedDeltaNet {
            layers: linear,
            k_heads: u(v, "linear_num_key_heads").unwrap_or(16),
            v_heads,
            k_dim: u(v, "linear_key_head_dim").unwrap_or(128),
            v_dim: u(v, "linear_value_head_dim").unwrap_or(128),
            conv_kernel: u(v, "linear_conv_kernel_dim").unwrap_or(4),
        });
    }
    let first = |keys: &[&str]| keys.iter().find_map(|k| u(v, k));
    let heads = first(&["mamba_num_heads", "mamba_n_heads"])?;
    let mamba = match v.get("hybrid_override_pattern").and_then(Value::as_str) {
        Some(p) => p.chars().filter(|c| *c == 'M').count() as u32,
        None => count(&["mamba"]),
    };
    // Mamba-2 defaults differ by family (Nemotron-H 8 groups, Granite 1): without every
    // dimension stated the state is not guessed, and the layers are sized as attention (larger).
    Some(Recurrent::Mamba2 {
        layers: mamba,
        heads,
        head_dim: first(&["mamba_head_dim", "mamba_d_head"])?,
        groups: first(&["n_groups", "mamba_n_groups", "mamba_num_groups"])?,
        d_state: first(&["ssm_state_size", "mamba_d_state"])?,
        conv_kernel: first(&["conv_kernel", "mamba_d_conv"])?,
    })
}

/// One embedded catalog record (`build.rs` writes them, `records.rs`): its key, the ids it
/// stands for, its config JSON and the architectures read from it on first use.
struct Record {
    key: &'static str,
    ids: Vec<String>,
    json: &'static str,
    archs: OnceLock<Vec<ModelArch>>,
}

fn records() -> &'static [Record] {
    static RECORDS: OnceLock<Vec<Record>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        crate::records::split(include_str!(concat!(env!("OUT_DIR"), "/models.txt")))
            .filter_map(|f| match f.as_slice() {
                [key, json] => Some(Record {
                    key,
                    ids: ids_of(key),
                    json,
                    archs: OnceLock::new(),
                }),
                _ => None,
            })
            .collect()
    })
}

/// The model ids a catalog key stands for: `meta-llama/Meta-Llama-3-8B(-Instruct)` is two,
/// `X (and …)` is `X`, `+X` (the AWQ overlay) is `X`.
fn ids_of(key: &str) -> Vec<String> {
    let id = key.trim_start_matches('+');
    let id = id.split(" (").next().unwrap_or(id).trim();
    match id.split_once("(-") {
        Some((base, rest)) => vec![
            base.to_string(),
            format!("{base}-{}", rest.trim_end_matches(')')),
        ],
        None => vec![id.to_string()],
    }
}

/// The architectures of one record (its JSON parsed only now).
fn archs_of(key: &str, json: &str) -> Vec<ModelArch> {
    let Ok(v) = serde_json::from_str::<Value>(json) else {
        return Vec::new();
    };
    if let Some(id) = key.strip_prefix('+') {
        // Qwen3-32B-AWQ: the Qwen3-32B architecture with the AWQ checkpoint's
        // quantization_config.
        let Some(base) = find("Qwen/Qwen3-32B").cloned() else {
            return Vec::new();
        };
        let qc = &v["quantization_config"];
        return vec![ModelArch {
            id: id.into(),
            torch_dtype: v["torch_dtype"].as_str().unwrap_or("float16").into(),
            quant: Some(Quant {
                method: qc["quant_method"].as_str().unwrap_or("awq").into(),
                bits: qc["bits"].as_u64().unwrap_or(4) as u32,
                group_size: qc["group_size"].as_u64().map(|g| g as u32),
                zero_point: qc["zero_point"].as_bool().unwrap_or(true),
                format: QuantFormat::Int,
            }),
            source: "Qwen/Qwen3-32B architecture + Qwen/Qwen3-32B-AWQ \
                quantization_config (shared/reference/models.json)"
                .into(),
            ..base
        }];
    }
    let source = if v.get("architectures").is_some() {
        "data/model-configs (config.json; sources in its SOURCES.json)"
    } else {
        "shared/reference/models.json (published config.json)"
    };
    ids_of(key)
        .iter()
        .filter_map(|id| arch_from(id, &v, source).ok())
        .collect()
}

impl Record {
    /// The record's architectures, read on first use: the app sizes one model, so start-up
    /// parses one config instead of the 64 (a cold wasm took 3–9 ms for all of them).
    fn archs(&self) -> &[ModelArch] {
        self.archs.get_or_init(|| archs_of(self.key, self.json))
    }
}

/// Every catalogued model.
pub fn models() -> &'static [ModelArch] {
    static MODELS: OnceLock<Vec<ModelArch>> = OnceLock::new();
    MODELS.get_or_init(|| {
        records()
            .iter()
            .flat_map(|r| r.archs().iter().cloned())
            .collect()
    })
}

/// The catalogued model for a `--model` value (case-insensitive).
pub fn find(id: &str) -> Option<&'static ModelArch> {
    let id = id.trim().trim_end_matches('/');
    records()
        .iter()
        .filter(|r| r.ids.iter().any(|k| k.eq_ignore_ascii_case(id)))
        .find_map(|r| r.archs().iter().find(|m| m.id.eq_ignore_ascii_case(id)))
}

/// Reads a pasted Hugging Face `config.json`; errors name the line and column or the field.
pub fn from_config_json(id: &str, text: &str) -> Result<ModelArch, String> {
    if text.len() > crate::limits::MAX_CONFIG_JSON_BYTES {
        return Err(format!(
            "config.json is {} bytes; files over {} MiB are not read",
            text.len(),
            crate::limits::MAX_CONFIG_JSON_BYTES >> 20
        ));
    }
    let v: Value = serde_json::from_str(&crate::python_json::strict_json(text))
        .map_err(|e| format!("config.json line {}, column {}: {e}", e.line(), e.column()))?;
    if !v.is_object() {
        return Err("config.json must be a JSON object".into());
    }
    arch_from(id, &v, "pasted config.json").map_err(|e| format!("config.json: {e}"))
}

/// Qwen's guidance (model cards): native context before YaRN, per family. Source: the Qwen3
/// model cards ("natively 32,768 tokens … up to 131,072 with YaRN"), via shared/reference
/// models.json `qwen3_family.native_context`.
pub fn native_context(m: &ModelArch) -> u64 {
    match m.family() {
        "qwen3" if !m.is_moe() || m.max_position_embeddings == 40960 => 32768,
        _ => m.max_position_embeddings,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn finding_one_model_gives_the_same_entry_as_the_whole_catalog() {
        let all = super::models();
        assert!(all.len() >= 64, "{}", all.len());
        for m in all {
            let found = super::find(&m.id.to_ascii_lowercase()).expect("found by its id");
            // The first entry with that id, as a search of the whole list gives.
            let first = all
                .iter()
                .find(|x| x.id.eq_ignore_ascii_case(&m.id))
                .unwrap();
            assert_eq!(format!("{found:?}"), format!("{first:?}"));
        }
        let awq = super::find("Qwen/Qwen3-32B-AWQ").unwrap();
        assert_eq!(awq.quant.as_ref().map(|q| q.bits), Some(4));
        assert_eq!(awq.layers, super::find("Qwen/Qwen3-32B").unwrap().layers);
        assert!(super::find("no/such-model").is_none());
    }

    use super::*;

    #[test]
    fn catalog_carries_the_facts_over() {
        let m = find("Qwen/Qwen3-32B-AWQ").unwrap();
        assert_eq!(
            (m.layers, m.heads, m.kv_heads, m.head_dim),
            (64, 64, 8, 128)
        );
        assert_eq!(m.max_position_embeddings, 40960);
        assert_eq!(m.torch_dtype, "float16");
        assert_eq!(m.quant.as_ref().unwrap().method, "awq");
        assert_eq!(m.quant.as_ref().unwrap().group_size, Some(128));
        assert_eq!(find("qwen/qwen3-8b").unwrap().head_dim, 128);
        assert_eq!(
            find("meta-llama/Llama-3.1-8B-Instruct").unwrap().head_dim,
            128
        );
        assert!(find("meta-llama/Meta-Llama-3-8B-Instruct").is_some());
        assert_eq!(
            find("RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w4a16")
                .unwrap()
                .quant
                .as_ref()
                .unwrap()
                .method,
            "gptq"
        );
        assert!(find("Qwen/Qwen3-30B-A3B").unwrap().is_moe());
        assert_eq!(native_context(m), 32768);
    }

    #[test]
    fn pasted_config_is_read_and_errors_are_located() {
        let m = from_config_json(
            "x/y",
            r#"{"architectures": ["MistralForCausalLM"], "num_hidden_layers": 32,
            "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 32768,
            "max_position_embeddings": 32768, "torch_dtype": "bfloat16"}"#,
        )
        .unwrap();
        assert_eq!(
            (m.head_dim, m.kv_heads, m.architecture.as_str()),
            (128, 8, "MistralForCausalLM")
        );
        let e = from_config_json("x", "{\n  \"num_hidden_layers\": 32,\n  oops\n}").unwrap_err();
        assert!(e.contains("line 3"), "{e}");
        let e = from_config_json("x", r#"{"num_hidden_layers": 32}"#).unwrap_err();
        assert!(e.contains("hidden_size"), "{e}");
    }
}
