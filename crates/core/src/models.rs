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
            return arch_from(id, tc, source);
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
    let quant = method.map(|m| Quant {
        bits: u(v, "bits")
            .or_else(|| qc.and_then(|q| u(q, "bits")))
            .unwrap_or(if m.contains("fp8") { 8 } else { 4 }) as u32,
        group_size: u(v, "group_size")
            .or_else(|| qc.and_then(|q| u(q, "group_size")))
            .map(|g| g as u32),
        zero_point: qc
            .and_then(|q| q.get("zero_point"))
            .and_then(Value::as_bool)
            .unwrap_or(m == "awq"),
        method: m,
    });
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
        head_dim: u(v, "head_dim").unwrap_or(hidden / heads as u64),
        intermediate: u(v, "intermediate_size").unwrap_or(4 * hidden),
        moe_intermediate: u(v, "moe_intermediate_size"),
        experts: u(v, "num_experts")
            .or_else(|| u(v, "num_local_experts"))
            .map(|e| e as u32),
        vocab: need("vocab_size")?,
        max_position_embeddings: u(v, "max_position_embeddings").unwrap_or(2048),
        tie_word_embeddings: v
            .get("tie_word_embeddings")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        torch_dtype: v
            .get("torch_dtype")
            .or_else(|| v.get("dtype"))
            .and_then(Value::as_str)
            .map(|s| s.split_whitespace().next().unwrap_or(s).to_string())
            .unwrap_or_else(|| "bfloat16".into()),
        rope_theta: v.get("rope_theta").and_then(Value::as_f64),
        rope_type: v
            .get("rope_scaling")
            .and_then(|r| r.get("rope_type").or_else(|| r.get("type")))
            .and_then(Value::as_str)
            .map(str::to_string),
        attention_bias: v
            .get("attention_bias")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        quant,
        source: source.to_string(),
    })
}

/// Every catalogued model.
pub fn models() -> &'static [ModelArch] {
    static MODELS: OnceLock<Vec<ModelArch>> = OnceLock::new();
    MODELS.get_or_init(|| {
        let data: Value =
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/models.json")))
                .expect("model data");
        let mut out = Vec::new();
        for (key, v) in data["models"].as_object().expect("models object") {
            // Keys may describe variants: `meta-llama/Meta-Llama-3-8B(-Instruct)`, `X (and ...)`.
            let id = key.split(" (").next().unwrap_or(key).trim();
            let source = "shared/reference/models.json (published config.json)";
            let ids: Vec<String> = match id.split_once("(-") {
                Some((base, rest)) => vec![
                    base.to_string(),
                    format!("{base}-{}", rest.trim_end_matches(')')),
                ],
                None => vec![id.to_string()],
            };
            for id in ids {
                if let Ok(arch) = arch_from(&id, v, source) {
                    out.push(arch);
                }
            }
        }
        // Qwen3-32B-AWQ: the Qwen3-32B architecture with the AWQ checkpoint's quantization_config.
        let awq = &data["Qwen/Qwen3-32B-AWQ"];
        if let Some(base) = out.iter().find(|m| m.id == "Qwen/Qwen3-32B").cloned() {
            let qc = &awq["quantization_config"];
            out.push(ModelArch {
                id: "Qwen/Qwen3-32B-AWQ".into(),
                torch_dtype: awq["torch_dtype"].as_str().unwrap_or("float16").into(),
                quant: Some(Quant {
                    method: qc["quant_method"].as_str().unwrap_or("awq").into(),
                    bits: qc["bits"].as_u64().unwrap_or(4) as u32,
                    group_size: qc["group_size"].as_u64().map(|g| g as u32),
                    zero_point: qc["zero_point"].as_bool().unwrap_or(true),
                }),
                source: "Qwen/Qwen3-32B architecture + Qwen/Qwen3-32B-AWQ \
                    quantization_config (shared/reference/models.json)"
                    .into(),
                ..base
            });
        }
        out
    })
}

/// The catalogued model for a `--model` value (case-insensitive).
pub fn find(id: &str) -> Option<&'static ModelArch> {
    let id = id.trim().trim_end_matches('/');
    models().iter().find(|m| m.id.eq_ignore_ascii_case(id))
}

/// Reads a pasted Hugging Face `config.json`; errors name the line and column or the field.
pub fn from_config_json(id: &str, text: &str) -> Result<ModelArch, String> {
    let v: Value = serde_json::from_str(text)
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
