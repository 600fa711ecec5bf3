//! Rules that need the model's architecture and the GPU: parallel sizes, context length and RoPE,
//! quantization, dtype and KV-cache dtype. Source: `vllm-startup-rules.md` §3, `vllm-flag-history.md`.
use super::{params, Finding, Fix, FixOp, Inputs, RuleId, Severity::*};
use crate::catalog::Catalog;
use crate::context::{derived_max_len, hf_overrides, rope_in_effect};
use crate::critical::Category::*;
use crate::models::{native_context, ModelArch};
use crate::profile::ArgValue;
use crate::values::num;
use crate::version::Version;
use serde_json::{json, Value};

/// The largest tensor-parallel size up to `limit` that the model's attention and KV heads allow
/// (`verify_with_parallel_config`); any size when the model is unknown.
fn largest_valid_tp(m: Option<&ModelArch>, limit: u32) -> Option<u32> {
    (1..=limit).rev().find(|t| {
        m.is_none_or(|m| {
            let kv = m.kv_heads.max(1);
            m.heads % t == 0
                && if *t >= kv {
                    t.is_multiple_of(kv)
                } else {
                    kv.is_multiple_of(*t)
                }
        })
    })
}

/// "Set TP to n", the mechanical remedy of the TP rules.
fn tp_fix(n: Option<u32>, why: &str) -> Option<Fix> {
    n.map(|n| Fix {
        label: format!("Set --tensor-parallel-size to {n} ({why})"),
        ops: vec![FixOp::Set(
            "tensor-parallel-size".into(),
            ArgValue::word(n.to_string()),
        )],
    })
}

pub(super) fn check(inputs: &Inputs, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    let release = p.vllm_version;
    let tp = p.int("tensor-parallel-size").unwrap_or(1).max(1) as u32;
    let pp = p.int("pipeline-parallel-size").unwrap_or(1).max(1) as u32;
    let nodes = p.hardware.nodes.max(1);
    // vLLM's docs (serving/parallelism_scaling.md): TP inside a node, PP across nodes; TP
    // across nodes needs a fast fabric, "preferably InfiniBand".
    if nodes > 1 && tp > inputs.gpus && p.hardware.interconnect != "infiniband" {
        out.push(Finding {
            id: RuleId::TpAcrossNodes,
            severity: Warning,
            category: GpuParallelism,
            params: params(&["tensor-parallel-size", "pipeline-parallel-size"]),
            message: format!(
                "TP {tp} spans nodes of {} GPUs over {}: every layer's all-reduce crosses the \
                    network. Use TP {} and PP {} (TP inside a node, PP across nodes), or state an \
                    InfiniBand fabric.",
                inputs.gpus,
                match p.hardware.interconnect.as_str() {
                    "" => "an unstated interconnect",
                    other => other,
                },
                inputs.gpus,
                (tp * pp).div_ceil(inputs.gpus.max(1))
            ),
            source: "docs/serving/parallelism_scaling.md (vLLM 0.33.0)",
            fix: None,
        });
    }
    if nodes > 1
        && !(tp * pp).is_multiple_of(nodes)
        && p.int("data-parallel-size").unwrap_or(1) <= 1
    {
        out.push(Finding {
            id: RuleId::NodesSplit,
            severity: Error,
            category: GpuParallelism,
            params: params(&["tensor-parallel-size", "pipeline-parallel-size"]),
            message: format!(
                "TP {tp} × PP {pp} = {} ranks do not split evenly over {nodes} nodes; vLLM \
                    asserts that the world size is a multiple of the node count.",
                tp * pp
            ),
            source: "vllm/v1/executor/multiproc_executor.py::_get_parallel_sizes",
            fix: None,
        });
    }
    if let Some(backend) = p
        .text("distributed-executor-backend")
        .filter(|b| nodes > 1 && !matches!(b.as_str(), "mp" | "uni" | "external_launcher"))
    {
        out.push(Finding {
            id: RuleId::NodesBackend,
            severity: Error,
            category: GpuParallelism,
            params: params(&["distributed-executor-backend"]),
            message: format!(
                "--distributed-executor-backend {backend} with several nodes: vLLM's own \
                    multi-node launch (--nnodes) runs only with mp, uni or external_launcher (Ray \
                    clusters are started differently)."
            ),
            source: "vllm/config/parallel.py::ParallelConfig.__post_init__",
            fix: Some(Fix {
                label: "Use --distributed-executor-backend mp".into(),
                ops: vec![FixOp::Set(
                    "distributed-executor-backend".into(),
                    ArgValue::word("mp"),
                )],
            }),
        });
    }
    // Several nodes: the world spans all of them; each data-parallel replica needs TP × PP.
    let gpus = inputs.gpus * nodes;
    let dp = p.int("data-parallel-size").unwrap_or(1).max(1) as u32;
    if tp * pp * dp > gpus {
        out.push(Finding {
            id: RuleId::GpusTooFew,
            severity: Error,
            category: GpuParallelism,
            params: params(&["tensor-parallel-size", "pipeline-parallel-size", "devices"]),
            message: format!(
                "TP {tp} × PP {pp}{} needs {} GPUs; {} are given. vLLM stops: world size larger \
                    than the available GPUs.",
                if dp > 1 {
                    format!(" × DP {dp}")
                } else {
                    String::new()
                },
                tp * pp * dp,
                gpus
            ),
            source: "vllm/config/parallel.py::ParallelConfig._verify_args",
            fix: tp_fix(
                largest_valid_tp(inputs.model, (gpus / (pp * dp)).min(inputs.gpus.max(1)))
                    .filter(|n| *n < tp),
                "what the GPUs hold",
            ),
        });
    }
    let Some(m) = inputs.model else { return };
    // Expert parallelism shards MoE experts; a dense model has none to shard.
    if p.flag_on("enable-expert-parallel") == Some(true) && !m.is_moe() {
        out.push(Finding {
            id: RuleId::ExpertParallelDense,
            severity: Info,
            category: GpuParallelism,
            params: params(&["enable-expert-parallel"]),
            message: format!(
                "{} has no experts: --enable-expert-parallel changes nothing for it.",
                m.id
            ),
            source: "vllm/config/parallel.py (enable_expert_parallel: MoE layers only)",
            fix: Some(Fix {
                label: "Remove --enable-expert-parallel".into(),
                ops: vec![FixOp::Unset("enable-expert-parallel".into())],
            }),
        });
    }
    if m.heads % tp != 0 {
        out.push(Finding {
            id: RuleId::TpHeads,
            severity: Error,
            category: GpuParallelism,
            params: params(&["tensor-parallel-size"]),
            message: format!(
                "{} has {} attention heads, which TP {tp} does not divide; \
                    vLLM refuses to start.",
                m.id, m.heads
            ),
            source: "vllm/config/model.py::ModelConfig.verify_with_parallel_config",
            fix: tp_fix(largest_valid_tp(Some(m), tp), "divides the heads"),
        });
    }
    let kv = m.kv_heads.max(1);
    let kv_ok = if tp >= kv {
        tp.is_multiple_of(kv)
    } else {
        kv.is_multiple_of(tp)
    };
    if !kv_ok {
        out.push(Finding {
            id: RuleId::TpKvHeads,
            severity: Error,
            category: GpuParallelism,
            params: params(&["tensor-parallel-size"]),
            message: format!(
                "{} has {kv} KV heads; TP {tp} can neither split nor replicate \
                    them evenly (assertion in QKVParallelLinear).",
                m.id
            ),
            source: "vllm/model_executor/layers/linear.py::QKVParallelLinear.__init__",
            fix: tp_fix(largest_valid_tp(Some(m), tp), "fits the KV heads"),
        });
    }
    check_context(inputs, m, out);
    check_quant(inputs, m, out);
    check_kv(inputs, m, out);
    let _ = release;
}

fn check_context(inputs: &Inputs, m: &ModelArch, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    let release = p.vllm_version;
    let derived = derived_max_len(p, m);
    let wanted = p
        .get("max-model-len")
        .and(p.int("max-model-len"))
        .filter(|l| *l > 0);
    let rope = rope_in_effect(p, m);
    let yarn = rope
        .as_ref()
        .filter(|r| r.get("rope_type").and_then(Value::as_str) == Some("yarn"));
    if let Some(len) = wanted.filter(|l| *l as u64 > derived) {
        // From 0.30.0 the override must raise max_position_embeddings itself.
        let fix = (release >= Version::known("0.30.0") && yarn.is_some()).then(|| {
            let mut over = hf_overrides(p);
            over.insert("max_position_embeddings".into(), json!(len));
            if let Some(r) = yarn {
                over.entry("rope_scaling")
                    .or_insert(Value::Object(r.clone()));
            }
            Fix {
                label: "Raise max_position_embeddings in --hf-overrides".into(),
                ops: vec![FixOp::Set(
                    "hf-overrides".into(),
                    ArgValue::word(Value::Object(over).to_string()),
                )],
            }
        });
        // Without a YaRN override to raise, the mechanical remedy is the derived length itself
        // (not while a `--rope-scaling` waits to be moved into the overrides: that fix comes
        // first and raises the derived length).
        let fix = fix.or_else(|| {
            p.get("rope-scaling").is_none().then(|| Fix {
                label: format!("Lower --max-model-len to {derived}"),
                ops: vec![FixOp::Set(
                    "max-model-len".into(),
                    ArgValue::word(derived.to_string()),
                )],
            })
        });
        let why = if release >= Version::known("0.30.0") && yarn.is_some() {
            " From 0.30.0 YaRN no longer raises the derived length; the \
                override must also set max_position_embeddings."
        } else {
            ""
        };
        out.push(Finding {
            id: RuleId::MaxModelLenDerived,
            severity: Error,
            category: ContextMemory,
            params: params(&["max-model-len", "hf-overrides"]),
            message: format!(
                "--max-model-len {len} is above the {derived} tokens vLLM \
                    {release} derives for {}; startup fails.{why}",
                m.id
            ),
            source: "vllm/config/model.py::_get_and_verify_max_len",
            fix,
        });
    }
    let native = native_context(m);
    let len = wanted.map(|l| l as u64).unwrap_or(derived);
    if let Some(r) = yarn {
        let factor = r.get("factor").and_then(Value::as_f64).unwrap_or(1.0);
        let orig = r
            .get("original_max_position_embeddings")
            .and_then(Value::as_u64)
            .unwrap_or(native);
        let needed = (len as f64 / orig as f64).ceil().max(1.0);
        if factor > needed * 1.001 && len <= orig * (factor as u64) / 2 {
            out.push(Finding {
                id: RuleId::YarnFactor,
                severity: Warning,
                category: ContextMemory,
                params: params(&["max-model-len", "hf-overrides"]),
                message: format!(
                    "YaRN factor {} covers {} tokens but the context is {len}; \
                        static YaRN lowers quality on short texts, so use the smallest factor that covers the context ({}).",
                    num(factor),
                    (orig as f64 * factor) as u64,
                    num(needed)
                ),
                source: "Qwen3 model card, \"Processing Long Texts\" (factor 2 for \
                    ~64k, 4 for ~128k)",
                fix: None,
            });
        }
        if len <= orig {
            out.push(Finding {
                id: RuleId::YarnNotNeeded,
                severity: Info,
                category: ContextMemory,
                params: params(&["max-model-len", "hf-overrides"]),
                message: format!(
                    "The context ({len}) fits the native {orig} tokens; YaRN only \
                    costs quality here."
                ),
                source: "Qwen3 model card, \"Processing Long Texts\"",
                fix: None,
            });
        }
        if release >= Catalog::get().version
            && !r.contains_key("rope_theta")
            && hf_overrides(p).keys().any(|k| k.starts_with("rope_"))
        {
            let mut over = hf_overrides(p);
            for key in ["rope_scaling", "rope_parameters"] {
                if let Some(Value::Object(o)) = over.get_mut(key) {
                    o.insert(
                        "rope_theta".into(),
                        json!(m.rope_theta.unwrap_or(1_000_000.0)),
                    );
                }
            }
            out.push(Finding {
                id: RuleId::YarnRopeTheta,
                severity: Warning,
                category: ContextMemory,
                params: params(&["hf-overrides"]),
                message: "The RoPE override replaces the whole dict without rope_theta, \
                    which then ends up unset; include it."
                    .into(),
                source: "vllm/transformers_utils/config.py::patch_rope_parameters \
                        (tested with 0.33.0, vllm-startup-rules.md §12)",
                fix: Some(Fix {
                    label: "Add rope_theta".into(),
                    ops: vec![FixOp::Set(
                        "hf-overrides".into(),
                        ArgValue::word(Value::Object(over).to_string()),
                    )],
                }),
            });
        }
    } else if m.family() == "qwen3" && len > native && p.get("rope-scaling").is_none() {
        // (a --rope-scaling the release refuses is reported by flag-removed, with its migration)
        out.push(Finding {
            id: RuleId::ContextWithoutYarn,
            severity: Warning,
            category: ContextMemory,
            params: params(&["max-model-len"]),
            message: format!(
                "{} is trained on {native} tokens; a context of {len} without \
                    YaRN degrades past that point.",
                m.id
            ),
            source: "Qwen3 model card, \"Processing Long Texts\"",
            fix: None,
        });
    }
}

fn check_quant(inputs: &Inputs, m: &ModelArch, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    let release = p.vllm_version;
    let q = p.text("quantization").filter(|q| !q.is_empty());
    let ckpt = m.quant.as_ref().map(|q| q.method.as_str());
    let awq_names = ["awq", "awq_marlin", "auto_awq"];
    let gptq_names = [
        "gptq",
        "gptq_marlin",
        "auto_gptq",
        "gptq_marlin_24",
        "gptq_bitblas",
    ];
    if let (Some(user), Some(ck)) = (q.as_deref(), ckpt) {
        let compatible = user == ck
            || (ck == "awq" && awq_names.contains(&user))
            || (ck == "gptq" && gptq_names.contains(&user))
            || (ck == "fp8" && user.starts_with("fp8"));
        if !compatible {
            out.push(Finding {
                id: RuleId::QuantMismatch,
                severity: Error,
                category: QuantizationPrecision,
                params: params(&["quantization"]),
                message: format!(
                    "The checkpoint of {} is quantized with {ck}; --quantization \
                        {user} does not match and startup fails.",
                    m.id
                ),
                source: "vllm/config/model.py::ModelConfig._verify_quantization",
                fix: Some(Fix {
                    label: "Let vLLM detect the method".into(),
                    ops: vec![FixOp::Unset("quantization".into())],
                }),
            });
        }
    }
    if ckpt.is_none()
        && q.as_deref()
            .is_some_and(|u| awq_names.contains(&u) || gptq_names.contains(&u))
    {
        out.push(Finding {
            id: RuleId::QuantMismatch,
            severity: Error,
            category: QuantizationPrecision,
            params: params(&["quantization"]),
            message: format!(
                "{} is not a quantized checkpoint; --quantization {} needs one.",
                m.id,
                q.clone().unwrap_or_default()
            ),
            source: "vllm/config/model.py::ModelConfig._verify_quantization",
            fix: Some(Fix {
                label: "Remove --quantization".into(),
                ops: vec![FixOp::Unset("quantization".into())],
            }),
        });
    }
    let cc = inputs.cc();
    let dtype = p.text("dtype").unwrap_or_else(|| "auto".into());
    let act = activation_dtype(p, m);
    if ckpt == Some("awq") && release <= Version::known("0.23.0") {
        let method = q.clone().unwrap_or_else(|| "awq_marlin".into());
        if method == "awq" {
            out.push(Finding {
                id: RuleId::QuantAwqSlow,
                severity: Warning,
                category: QuantizationPrecision,
                params: params(&["quantization"]),
                message: format!("--quantization awq forces vLLM {release} onto the slow AWQ \
                    kernel; awq_marlin (or leaving it unset) uses Marlin."),
                source: "vllm/model_executor/layers/quantization/awq_marlin.py::AWQMarlinConfig.override_quantization_method",
                fix: Some(Fix {
                    label: "Use awq_marlin".into(),
                    ops: vec![FixOp::Set("quantization".into(), ArgValue::word("awq_marlin"))],
                }),
            });
            if act == "bfloat16" {
                out.push(Finding {
                    id: RuleId::AwqDtype,
                    severity: Error,
                    category: QuantizationPrecision,
                    params: params(&["quantization", "dtype"]),
                    message: format!("The AWQ kernel of vLLM {release} runs in float16 only; \
                        --dtype {dtype} resolves to bfloat16 and startup fails."),
                    source: "vllm/model_executor/layers/quantization/awq.py::AWQConfig.get_supported_act_dtypes",
                    fix: Some(Fix {
                        label: "Use --dtype half".into(),
                        ops: vec![FixOp::Set("dtype".into(), ArgValue::word("half"))],
                    }),
                });
            }
        }
        let min = if method == "awq_marlin" && release <= Version::known("0.13.0") {
            (8, 0)
        } else {
            (7, 5)
        };
        if let Some(c) = cc.filter(|c| *c < min) {
            out.push(Finding {
                id: RuleId::QuantMinCc,
                severity: Error,
                category: QuantizationPrecision,
                params: params(&["quantization"]),
                message: format!(
                    "{method} needs compute capability {}.{} in vLLM {release}; \
                        this GPU has {}.{}.",
                    min.0, min.1, c.0, c.1
                ),
                source: "vllm/model_executor/layers/quantization/awq_marlin.py::get_min_capability",
                fix: None,
            });
        }
    }
    if act == "bfloat16" && (dtype == "bfloat16" || dtype == "auto") {
        if let Some(c) = cc.filter(|c| *c < (8, 0)) {
            out.push(Finding {
                id: RuleId::Bf16Cc,
                severity: Error,
                category: QuantizationPrecision,
                params: params(&["dtype"]),
                message: format!(
                    "bfloat16 needs compute capability 8.0; this GPU has {}.{}.",
                    c.0, c.1
                ),
                source: "vllm/platforms/cuda.py::CudaPlatformBase.check_if_supports_dtype",
                fix: Some(Fix {
                    label: "Use --dtype half".into(),
                    ops: vec![FixOp::Set("dtype".into(), ArgValue::word("half"))],
                }),
            });
        }
    }
}

fn check_kv(inputs: &Inputs, m: &ModelArch, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    let kv = p.text("kv-cache-dtype").unwrap_or_else(|| "auto".into());
    let backend = p
        .text("attention-backend")
        .unwrap_or_default()
        .to_ascii_uppercase();
    let cc = inputs.cc();
    if (kv == "fp8" || kv == "fp8_e4m3") && cc.is_some_and(|c| c < (9, 0)) {
        let c = cc.unwrap();
        out.push(Finding {
            id: RuleId::KvFp8Backend,
            severity: Info,
            category: QuantizationPrecision,
            params: params(&["kv-cache-dtype"]),
            message: format!(
                "On compute capability {}.{} FlashAttention cannot read an fp8 \
                    KV cache (it needs FA3 on SM90+); vLLM picks FlashInfer or Triton attention instead, which is usually slower.",
                c.0, c.1
            ),
            source: "vllm/v1/attention/backends/fa_utils.py::flash_attn_supports_kv_cache_dtype",
            fix: None,
        });
    }
    fp8_kv_fp16_on_fa3(inputs, m, &kv, &backend, out);
    if kv == "fp8_e5m2" && backend.contains("FLASH_ATTN") {
        out.push(Finding {
            id: RuleId::KvE5m2Flash,
            severity: Error,
            category: QuantizationPrecision,
            params: params(&["kv-cache-dtype", "attention-backend"]),
            message: "FlashAttention never supports an fp8_e5m2 KV cache; with the \
                backend forced, startup fails."
                .into(),
            source: "vllm/v1/attention/backend.py::AttentionBackend.validate_configuration",
            fix: Some(Fix {
                label: "Use fp8 (e4m3)".into(),
                ops: vec![FixOp::Set("kv-cache-dtype".into(), ArgValue::word("fp8"))],
            }),
        });
    }
    if kv == "float16" || kv == "bfloat16" {
        let model_dtype = match p.text("dtype").as_deref() {
            Some("half") | Some("float16") => "float16".to_string(),
            Some("bfloat16") => "bfloat16".to_string(),
            _ => m.torch_dtype.clone(),
        };
        if kv != model_dtype {
            out.push(Finding {
                id: RuleId::KvDtypeModel,
                severity: Error,
                category: QuantizationPrecision,
                params: params(&["kv-cache-dtype", "dtype"]),
                message: format!(
                    "--kv-cache-dtype {kv} must match the model dtype ({model_dtype})."
                ),
                source: "vllm/config/cache.py (CacheConfig.cache_dtype)",
                fix: Some(Fix {
                    label: "Use auto".into(),
                    ops: vec![FixOp::Unset("kv-cache-dtype".into())],
                }),
            });
        }
    }
}

/// The dtype the model runs in: `--dtype`, with `auto` the checkpoint's and `half` its name.
fn activation_dtype(p: &crate::profile::Profile, m: &ModelArch) -> String {
    match p.text("dtype").as_deref().unwrap_or("auto") {
        "auto" => m.torch_dtype.clone(),
        "half" | "float16" => "float16".into(),
        other => other.to_string(),
    }
}

/// `kv-fp8-fp16-fa3`: on Hopper (SM90) FlashAttention 3 reads an fp8 KV cache with the queries
/// quantized to fp8 too (from 0.8.2: `ops.scaled_fp8_quant` on the query before
/// `flash_attn_varlen_func`), and its fp8 kernel writes bfloat16 only. A float16 model crashes
/// at its first attention call, after the KV cache is sized (the CUDA-graph capture).
fn fp8_kv_fp16_on_fa3(
    inputs: &Inputs,
    m: &ModelArch,
    kv: &str,
    backend: &str,
    out: &mut Vec<Finding>,
) {
    let p = inputs.profile;
    let hopper = inputs.cc().is_some_and(|(major, _)| major == 9);
    let flash = backend.is_empty() || backend == "FLASH_ATTN";
    let dtype = activation_dtype(p, m);
    // MLA models (DeepSeek V2/V3) use their own attention backends.
    let mla = m.architecture.starts_with("Deepseek") && m.architecture != "DeepseekForCausalLM";
    if !(hopper
        && flash
        && !mla
        && (kv == "fp8" || kv == "fp8_e4m3")
        && dtype == "float16"
        && p.vllm_version >= Version::known("0.8.2"))
    {
        return;
    }
    // The slow AWQ kernel runs in float16 only; then the KV cache has to give way.
    let awq_kernel = p.text("quantization").as_deref() == Some("awq");
    let fix = if awq_kernel {
        Fix {
            label: "Use an auto KV cache dtype".into(),
            ops: vec![FixOp::Unset("kv-cache-dtype".into())],
        }
    } else {
        Fix {
            label: "Use --dtype bfloat16".into(),
            ops: vec![FixOp::Set("dtype".into(), ArgValue::word("bfloat16"))],
        }
    };
    let gpu = inputs.gpu.map(|g| g.name.as_str()).unwrap_or("this GPU");
    out.push(Finding {
        id: RuleId::KvFp8Fp16Fa3,
        severity: Error,
        category: QuantizationPrecision,
        params: params(&["kv-cache-dtype", "dtype"]),
        message: format!(
            "On {gpu} (SM90) vLLM {} attends with FlashAttention 3, which quantizes the \
             queries to fp8 for an fp8 KV cache, and its fp8 kernel only writes bfloat16: \
             with float16 activations the engine sizes its KV cache and then crashes at the \
             first CUDA-graph capture (\"For FP8 input, output must have dtype BF16\"). Use \
             bfloat16, or an auto KV cache dtype.",
            p.vllm_version
        ),
        source: "vllm/v1/attention/backends/flash_attn.py (fp8 query quantization with FA3 on \
            SM90, from 0.8.2); own H200 startups GT-G01/GT-G19 (float16 + fp8: crashed) and \
            GT-G13 (bfloat16 + fp8: ran), vLLM 0.24.0, shared/gpu/examples",
        fix: Some(fix),
    });
}
