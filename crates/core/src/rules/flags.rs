//! Rules about the flags themselves: does the release have them, are their values accepted, do
//! the parser and scheduler options agree. Sources: `vllm-serve-args-0.33.0.json`,
//! `vllm-flag-history.md`, `vllm-startup-rules.md` §1–2, §10.
use super::{category_of, params, Finding, Fix, FixOp, Inputs, RuleId, Severity::*};
use crate::catalog::{Availability, Catalog};
use crate::context::hf_overrides;
use crate::critical::Category;
use crate::profile::{ArgValue, Profile};
use crate::registry::names_in;
use crate::values::check_value;
use crate::version::Version;
use serde_json::{json, Value};

const PARSE: &str =
    "vllm/utils/argparse_utils.py::FlexibleArgumentParser.parse_args (unrecognized arguments)";

/// Deprecations known per release range (`vllm-flag-history.md`); 0.33.0's own come from the catalog.
const DEPRECATED: [(&str, &str, &str, &str); 4] = [
    (
        "rope-scaling",
        "0.6.4",
        "0.11.0",
        "use --hf-overrides '{\"rope_scaling\": …}'",
    ),
    (
        "rope-theta",
        "0.6.4",
        "0.11.0",
        "use --hf-overrides '{\"rope_theta\": …}'",
    ),
    (
        "enable-reasoning",
        "0.9.0",
        "0.9.2",
        "--reasoning-parser alone enables reasoning",
    ),
    ("task", "0.10.1", "0.12.0", "use --runner / --convert"),
];

/// The migration of a removed flag into what the release accepts.
fn migration(inputs: &Inputs, name: &str, value: &ArgValue) -> Option<(String, Fix)> {
    let p = inputs.profile;
    let release = p.vllm_version;
    match name {
        "rope-scaling" | "rope-theta" => {
            let mut over = hf_overrides(p);
            if let Some(Value::Object(mut rope)) = p
                .text("rope-scaling")
                .and_then(|t| serde_json::from_str(&t).ok())
            {
                // Without rope_theta, an override of the whole dict leaves it unset (tested on 0.33.0).
                let theta = p
                    .text("rope-theta")
                    .and_then(|t| t.parse::<f64>().ok())
                    .or(inputs.model.and_then(|m| m.rope_theta));
                if let Some(theta) = theta {
                    rope.entry("rope_theta").or_insert(json!(theta));
                }
                // From 0.30.0 YaRN no longer raises the derived length: raise it explicitly.
                if release >= Version::known("0.30.0")
                    && rope.get("rope_type").and_then(Value::as_str) == Some("yarn")
                {
                    let orig = rope
                        .get("original_max_position_embeddings")
                        .and_then(Value::as_f64);
                    let factor = rope.get("factor").and_then(Value::as_f64);
                    if let (Some(o), Some(f)) = (orig, factor) {
                        over.insert("max_position_embeddings".into(), json!((o * f) as u64));
                    }
                }
                over.insert("rope_scaling".into(), Value::Object(rope));
            } else if let Some(theta) = p.text("rope-theta").and_then(|t| t.parse::<f64>().ok()) {
                over.insert("rope_theta".into(), json!(theta));
            }
            let text = Value::Object(over).to_string();
            let ops = vec![
                FixOp::Unset("rope-scaling".into()),
                FixOp::Unset("rope-theta".into()),
                FixOp::Set("hf-overrides".into(), ArgValue::word(text)),
            ];
            Some((
                "move the RoPE settings into --hf-overrides".into(),
                Fix {
                    label: "Migrate to --hf-overrides".into(),
                    ops,
                },
            ))
        }
        "max-seq-len-to-capture" if release >= Version::known("0.11.1") => Some((
            "its successor is --max-cudagraph-capture-size".into(),
            Fix {
                label: "Use --max-cudagraph-capture-size".into(),
                ops: vec![
                    FixOp::Unset(name.into()),
                    FixOp::Set("max-cudagraph-capture-size".into(), value.clone()),
                ],
            },
        )),
        "swap-space" => Some((
            "it was dropped without a replacement; preempted requests are \
                recomputed"
                .into(),
            Fix {
                label: "Remove --swap-space".into(),
                ops: vec![FixOp::Unset(name.into())],
            },
        )),
        "enable-reasoning" => Some((
            "--reasoning-parser alone turns reasoning on".into(),
            Fix {
                label: "Remove --enable-reasoning".into(),
                ops: vec![FixOp::Unset(name.into())],
            },
        )),
        _ => None,
    }
}

/// `command-stray-words`: words vLLM's parser refuses as unrecognized arguments.
fn stray_words(p: &Profile, out: &mut Vec<Finding>) {
    if p.stray.is_empty() {
        return;
    }
    let shown: Vec<&str> = p.stray.iter().take(12).map(String::as_str).collect();
    out.push(Finding {
        id: RuleId::CommandStrayWords,
        severity: Error,
        category: Category::Infrastructure,
        params: Vec::new(),
        message: format!(
            "The command has {} word(s) that belong to no flag ({}{}); vLLM stops with \
             `unrecognized arguments`. A `#` inside a compose command is not a comment: Compose \
             passes it on.",
            p.stray.len(),
            shown.join(" "),
            if p.stray.len() > shown.len() {
                " …"
            } else {
                ""
            }
        ),
        source: PARSE,
        fix: Some(Fix {
            label: "Remove the stray words".into(),
            ops: vec![FixOp::RemoveStrayWords],
        }),
    });
}

pub(super) fn check(inputs: &Inputs, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    let release = p.vllm_version;
    let catalog = Catalog::get();
    stray_words(p, out);
    for arg in &p.args {
        let name = arg.name.as_str();
        let cat = category_of(name);
        match catalog.availability(name, release) {
            Availability::Removed(gone) => {
                let (how, fix) = migration(inputs, name, &arg.value).unwrap_or_else(|| {
                    (
                        "remove it".into(),
                        Fix {
                            label: format!("Remove --{name}"),
                            ops: vec![FixOp::Unset(name.into())],
                        },
                    )
                });
                out.push(Finding {
                    id: RuleId::FlagRemoved,
                    severity: Error,
                    category: cat,
                    params: params(&[name]),
                    message: format!(
                        "vLLM {release} refuses --{name}: it was removed in {gone}; {how}."
                    ),
                    source: PARSE,
                    fix: Some(fix),
                });
                continue;
            }
            Availability::NotYet(since) => {
                out.push(Finding {
                    id: RuleId::FlagNotYet,
                    severity: Error,
                    category: cat,
                    params: params(&[name]),
                    message: format!(
                        "--{name} only exists from vLLM {since}; {release} refuses it."
                    ),
                    source: PARSE,
                    fix: Some(Fix {
                        label: format!("Remove --{name}"),
                        ops: vec![FixOp::Unset(name.into())],
                    }),
                });
                continue;
            }
            Availability::Unknown => {
                out.push(Finding {
                    id: RuleId::FlagUnknown,
                    severity: Error,
                    category: cat,
                    params: params(&[name]),
                    message: format!(
                        "--{name} is not a flag of any vLLM release; vLLM stops with \
                        `unrecognized arguments`."
                    ),
                    source: PARSE,
                    fix: Some(Fix {
                        label: format!("Remove --{name}"),
                        ops: vec![FixOp::Unset(name.into())],
                    }),
                });
                continue;
            }
            Availability::Present => {}
        }
        if let Some((_, from, to, hint)) = DEPRECATED.iter().find(|(n, ..)| *n == name) {
            if release >= Version::known(from) && release <= Version::known(to) {
                let fix = migration(inputs, name, &arg.value).map(|(_, fix)| fix);
                out.push(Finding {
                    id: RuleId::FlagDeprecated,
                    severity: Warning,
                    category: cat,
                    params: params(&[name]),
                    message: format!(
                        "--{name} is deprecated in vLLM {release} ({hint}); it is \
                        removed in a later release."
                    ),
                    source: "vllm/engine/arg_utils.py (deprecation warnings, see \
                        vllm-flag-history.md)",
                    fix,
                });
            }
        }
        let Some(flag) = catalog.flag(name) else {
            continue;
        };
        if flag.deprecated && release == catalog.version {
            let note = flag
                .deprecation_note
                .clone()
                .unwrap_or_else(|| "it will be removed".into());
            out.push(Finding {
                id: RuleId::FlagDeprecated,
                severity: if name == "model" { Info } else { Warning },
                category: cat,
                params: params(&[name]),
                message: format!("--{name} is deprecated in vLLM {release}: {note}."),
                source: "vllm-serve-args-0.33.0.json (deprecated=True)",
                fix: None,
            });
        }
        if let ArgValue::Words(w) = &arg.value {
            if let Err(e) = check_value(flag, &w.join(" ")) {
                out.push(Finding {
                    id: RuleId::ValueInvalid,
                    severity: Error,
                    category: cat,
                    params: params(&[name]),
                    message: format!("--{name}: {e}; vLLM stops at startup."),
                    source: "vllm/engine/arg_utils.py::_compute_kwargs (argparse types and \
                        choices); config dataclass validators",
                    fix: None,
                });
                continue;
            }
        }
    }
    if let Some(text) = p
        .text("hf-overrides")
        .filter(|t| !(t.trim().starts_with('{') && t.trim().ends_with('}')))
    {
        if Catalog::get().availability("hf-overrides", release) == Availability::Present {
            out.push(Finding {
                id: RuleId::HfOverridesNotObject,
                severity: Error,
                category: Category::Infrastructure,
                params: params(&["hf-overrides"]),
                message: format!(
                    "--hf-overrides `{text}` is not a JSON object; the parser \
                    keeps it as text and building the model config fails (it takes a dict)."
                ),
                source: "vllm/engine/arg_utils.py::union_dict_and_str; \
                    vllm/config/model.py::ModelConfig.hf_overrides",
                fix: None,
            });
        }
    }
    check_names(inputs, out);
    check_parsers(inputs, out);
    check_scheduler(inputs, out);
}

/// Names that must be registered in the release (`vllm-startup-rules.md` §4, §5, §7, §8).
fn check_names(inputs: &Inputs, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    let release = p.vllm_version;
    let checks: [(&str, &'static str, bool); 4] = [
        (
            "quantization",
            "vllm/config/model.py::ModelConfig._verify_quantization",
            true,
        ),
        (
            "kv-cache-dtype",
            "vllm/config/cache.py::CacheConfig._validate_cache_dtype",
            true,
        ),
        (
            "tool-call-parser",
            "vllm/entrypoints/common/cli_args.py::validate_api_server_args",
            p.flag_on("enable-auto-tool-choice") == Some(true),
        ),
        (
            "reasoning-parser",
            "vllm/entrypoints/common/cli_args.py::validate_api_server_args",
            true,
        ),
    ];
    for (flag, source, applies) in checks {
        let Some(value) = p
            .text(flag)
            .filter(|v| applies && !v.is_empty() && v != "none")
        else {
            continue;
        };
        if Catalog::get().availability(flag, release) != Availability::Present {
            continue;
        }
        let Some(known) = names_in(flag, release) else {
            continue;
        };
        if !known.contains(&value) {
            let hint = match known.len() {
                0 => String::new(),
                n if n <= 12 => format!(
                    " Known: {}.",
                    known.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
                n => format!(" ({n} names are registered.)"),
            };
            out.push(Finding {
                id: RuleId::ValueUnknownName,
                severity: Error,
                category: category_of(flag),
                params: params(&[flag]),
                message: format!(
                    "--{flag} {value} is not registered in vLLM {release}; startup \
                        fails.{hint}"
                ),
                source,
                fix: None,
            });
        }
    }
    // Deprecated quantization methods need an explicit opt-in (0.33.0: fbgemm_fp8, fp_quant).
    if release >= Catalog::get().version {
        if let Some(q) = p
            .text("quantization")
            .filter(|q| q == "fbgemm_fp8" || q == "fp_quant")
        {
            if p.flag_on("allow-deprecated-quantization") != Some(true) {
                out.push(Finding {
                    id: RuleId::QuantizationDeprecated,
                    severity: Error,
                    category: Category::QuantizationPrecision,
                    params: params(&["quantization", "allow-deprecated-quantization"]),
                    message: format!(
                        "--quantization {q} is deprecated in vLLM {release} and needs \
                            --allow-deprecated-quantization."
                    ),
                    source: "vllm/config/model.py::ModelConfig._verify_quantization \
                        (DEPRECATED_QUANTIZATION_METHODS)",
                    fix: Some(Fix {
                        label: "Allow the deprecated method".into(),
                        ops: vec![FixOp::Set(
                            "allow-deprecated-quantization".into(),
                            ArgValue::Switch(true),
                        )],
                    }),
                });
            }
        }
    }
}

/// Tool-calling and reasoning parser rules (`vllm-startup-rules.md` §4–5).
fn check_parsers(inputs: &Inputs, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    let release = p.vllm_version;
    let auto_tools = p.flag_on("enable-auto-tool-choice") == Some(true);
    if auto_tools && p.text("tool-call-parser").is_none_or(|t| t.is_empty()) {
        let family = inputs.model.map(|m| m.family());
        let parser = match family {
            Some("llama") => Some("llama3_json"),
            Some("qwen3" | "qwen2") => Some("hermes"),
            _ => None,
        };
        out.push(Finding {
            id: RuleId::ToolParserMissing,
            severity: Error,
            category: Category::ParsersTools,
            params: params(&["enable-auto-tool-choice", "tool-call-parser"]),
            message: "--enable-auto-tool-choice needs --tool-call-parser; vLLM \
                    stops with a TypeError."
                .into(),
            source: "vllm/entrypoints/common/cli_args.py::validate_parsed_serve_args",
            fix: parser.map(|n| Fix {
                label: format!("Use the {n} parser"),
                ops: vec![FixOp::Set("tool-call-parser".into(), ArgValue::word(n))],
            }),
        });
    }
    if auto_tools
        && p.get("enable-reasoning").is_some()
        && release >= Version::known("0.7.1")
        && release <= Version::known("0.8.1")
    {
        out.push(Finding {
            id: RuleId::ReasoningToolsConflict,
            severity: Error,
            category: Category::ParsersTools,
            params: params(&["enable-reasoning", "enable-auto-tool-choice"]),
            message: format!(
                "vLLM {release} refuses --enable-reasoning together with \
                    --enable-auto-tool-choice (allowed from 0.8.2)."
            ),
            source: "vllm/entrypoints/openai/cli_args.py::validate_parsed_serve_args (0.7.1–0.8.1)",
            fix: None,
        });
    }
    if p.get("enable-reasoning").is_some()
        && p.text("reasoning-parser").is_none_or(|r| r.is_empty())
        && release < Version::known("0.10.0")
    {
        out.push(Finding {
            id: RuleId::ReasoningParserMissing,
            severity: Error,
            category: Category::ParsersTools,
            params: params(&["enable-reasoning", "reasoning-parser"]),
            message: "--enable-reasoning needs --reasoning-parser.".into(),
            source: "vllm/engine/arg_utils.py (0.7.1–0.9.2)",
            fix: None,
        });
    }
    if let Some(m) = inputs.model.filter(|m| m.family() == "qwen3") {
        let set = p
            .text("reasoning-parser")
            .filter(|r| !r.is_empty() && r != "none");
        let available = names_in("reasoning-parser", release).is_some_and(|n| n.contains("qwen3"));
        if set.is_none() && available {
            out.push(Finding {
                id: RuleId::ReasoningParserSuggested,
                severity: Info,
                category: Category::ParsersTools,
                params: params(&["reasoning-parser"]),
                message: format!(
                    "{} writes its thinking between <think> tags; \
                        --reasoning-parser qwen3 returns it apart from the answer.",
                    m.id
                ),
                source: "Qwen3 model card (deployment with vLLM); \
                    vllm/reasoning/qwen3_reasoning_parser.py",
                fix: Some(Fix {
                    label: "Use the qwen3 reasoning parser".into(),
                    ops: vec![FixOp::Set(
                        "reasoning-parser".into(),
                        ArgValue::word("qwen3"),
                    )],
                }),
            });
        }
        if let Some(r) = set.filter(|r| r != "qwen3" && r != "deepseek_r1") {
            out.push(Finding {
                id: RuleId::ReasoningParserFamily,
                severity: Warning,
                category: Category::ParsersTools,
                params: params(&["reasoning-parser"]),
                message: format!(
                    "--reasoning-parser {r} does not match {}'s <think> format; \
                        qwen3 does.",
                    m.id
                ),
                source: "Qwen3 model card",
                fix: None,
            });
        }
    }
}

/// Scheduler limits (`vllm-startup-rules.md` §10, `config/scheduler.py::verify_max_model_len`).
fn check_scheduler(inputs: &Inputs, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    let (Some(batched), seqs) = (
        p.get("max-num-batched-tokens")
            .and(p.int("max-num-batched-tokens")),
        p.get("max-num-seqs").and(p.int("max-num-seqs")),
    ) else {
        return;
    };
    if let Some(seqs) = seqs.filter(|s| batched < *s) {
        out.push(Finding {
            id: RuleId::BatchedTokensSeqs,
            severity: Error,
            category: Category::ContextMemory,
            params: params(&["max-num-batched-tokens", "max-num-seqs"]),
            message: format!(
                "--max-num-batched-tokens {batched} is below --max-num-seqs \
                {seqs}; vLLM refuses it."
            ),
            source: "vllm/config/scheduler.py::SchedulerConfig.verify_max_model_len",
            fix: Some(Fix {
                label: format!("Raise --max-num-batched-tokens to {seqs}"),
                ops: vec![FixOp::Set(
                    "max-num-batched-tokens".into(),
                    ArgValue::word(seqs.to_string()),
                )],
            }),
        });
    }
    if p.flag_on("enable-chunked-prefill") == Some(false) {
        if let Some(len) = p.int("max-model-len").filter(|l| *l > batched) {
            out.push(Finding {
                id: RuleId::BatchedTokensLen,
                severity: Error,
                category: Category::ContextMemory,
                params: params(&[
                    "max-num-batched-tokens",
                    "max-model-len",
                    "enable-chunked-prefill",
                ]),
                message: format!(
                    "With chunked prefill off, --max-num-batched-tokens {batched} \
                        must be at least --max-model-len {len}."
                ),
                source: "vllm/config/scheduler.py::SchedulerConfig.verify_max_model_len",
                fix: Some(Fix {
                    label: "Raise max-num-batched-tokens".into(),
                    ops: vec![FixOp::Set(
                        "max-num-batched-tokens".into(),
                        ArgValue::word(len.to_string()),
                    )],
                }),
            });
        }
    }
}
