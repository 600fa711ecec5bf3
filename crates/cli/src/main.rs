//! `vllm-profile`: the command-line shell over the domain core. Usable in CI.
//! Exit codes: 0 success, 1 a check failed (an error finding, a score under --min-score, or a
//! profile that does not fit), 2 bad input or usage.
use serde_json::json;
use std::process::ExitCode;
use studio_core::{compose, diff, link, memory, models, profile::Profile, rules};

const USAGE: &str = "usage:
  vllm-profile render  (--link Q | FILE)     print the compose YAML
  vllm-profile command (--link Q | FILE)     print the equivalent `vllm serve` command
  vllm-profile env     (--link Q | FILE)     print the .env file
  vllm-profile import  FILE                  print the share-link query of a compose file
  vllm-profile check   (--link Q | FILE) [--vllm-version V] [--gpu ID] [--gpu-count N]
                       [--model-config config.json] [--json] [--min-score S]
  vllm-profile estimate (--link Q | FILE) [same hardware options] [--json]
  vllm-profile fix     (--link Q | FILE) [hardware options]  apply every one-click fix, print the YAML
  vllm-profile diff BASE HEAD [--markdown]   BASE/HEAD: a compose file, a link, or v1/v2/v3
Q is a share-link query or a whole URL.";

struct Options {
    source: Vec<String>,
    json: bool,
    markdown: bool,
    min_score: Option<u32>,
    version: Option<String>,
    gpu: Option<String>,
    gpu_count: Option<String>,
    model_config: Option<String>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        source: vec![],
        json: false,
        markdown: false,
        min_score: None,
        version: None,
        gpu: None,
        gpu_count: None,
        model_config: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--json" => o.json = true,
            "--markdown" => o.markdown = true,
            "--link" => o.source.push(format!("--link={}", value("--link")?)),
            "--min-score" => {
                o.min_score = Some(
                    value("--min-score")?
                        .parse()
                        .map_err(|_| "--min-score takes 0-100".to_string())?,
                )
            }
            "--vllm-version" => o.version = Some(value("--vllm-version")?),
            "--gpu" => o.gpu = Some(value("--gpu")?),
            "--gpu-count" => o.gpu_count = Some(value("--gpu-count")?),
            "--model-config" => o.model_config = Some(value("--model-config")?),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => o.source.push(s.to_string()),
        }
    }
    Ok(o)
}

/// A profile from `--link=Q`, a compose file, or a baseline name (v1/v2/v3).
fn load_one(source: &str) -> Result<Profile, String> {
    if let Some(q) = source.strip_prefix("--link=") {
        let (p, problems) = link::decode(q);
        if !problems.is_empty() {
            return Err(problems
                .iter()
                .map(|p| format!("link key `{}`: {}", p.key, p.message))
                .collect::<Vec<_>>()
                .join("\n"));
        }
        return Ok(p);
    }
    if let Some(b) = diff::baseline(source) {
        return Ok(b.profile());
    }
    let text = std::fs::read_to_string(source).map_err(|e| format!("{source}: {e}"))?;
    let imported = compose::import_compose(&text, &Profile::default())
        .map_err(|e| format!("{source}: {e}"))?;
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    Ok(imported.profile)
}

/// The single profile of a command, with hardware and release options applied.
fn load(o: &Options) -> Result<Profile, String> {
    let [source] = o.source.as_slice() else {
        return Err(USAGE.to_string());
    };
    let mut p = load_one(source)?;
    let mut pairs = vec![];
    if let Some(v) = &o.version {
        pairs.push(("vllm-version", v))
    }
    if let Some(v) = &o.gpu {
        pairs.push(("gpu", v))
    }
    if let Some(v) = &o.gpu_count {
        pairs.push(("gpu-count", v))
    }
    for (key, value) in pairs {
        let q = format!("{key}={}", link::encode_component(value));
        let (probe, problems) = link::decode(&q);
        if let Some(problem) = problems.first() {
            return Err(format!("--{key}: {}", problem.message));
        }
        match key {
            "vllm-version" => p.vllm_version = probe.vllm_version,
            "gpu" => p.hardware.gpu = probe.hardware.gpu,
            _ => p.hardware.gpu_count = probe.hardware.gpu_count,
        }
    }
    Ok(p)
}

fn pasted_model(o: &Options, p: &Profile) -> Result<Option<models::ModelArch>, String> {
    let Some(path) = &o.model_config else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    models::from_config_json(&p.model_id(), &text)
        .map(Some)
        .map_err(|e| format!("{path}: {e}"))
}

fn check(o: &Options) -> Result<(String, bool), String> {
    let p = load(o)?;
    let pasted = pasted_model(o, &p)?;
    let inputs = rules::Inputs::new(&p, pasted.as_ref());
    let findings = rules::evaluate(&inputs);
    let score = rules::score(&inputs, &findings);
    let failed = score.errors > 0 || o.min_score.is_some_and(|m| score.overall < m);
    let text = if o.json {
        let list: Vec<_> = findings.iter().map(|f| json!({
            "id": f.id.as_str(), "stage": f.id.stage().as_str(), "severity": f.severity.as_str(), "category": f.category.id(), "params": f.params,
            "message": f.message, "source": f.source,
            "fix": f.fix.as_ref().map(|x| json!({"label": x.label, "changes": x.ops.iter().map(|op| op.describe()).collect::<Vec<_>>()})),
        })).collect();
        serde_json::to_string_pretty(&json!({"score": score.overall, "vllm_version": p.vllm_version.to_string(), "errors": score.errors, "warnings": score.warnings, "infos": score.infos, "findings": list})).unwrap() + "\n"
    } else {
        let mut t = format!(
            "score {}% for vLLM {} ({} errors, {} warnings, {} infos)\n",
            score.overall, p.vllm_version, score.errors, score.warnings, score.infos
        );
        for f in &findings {
            t += &format!(
                "{:7} {:24} {}\n        source: {}\n",
                f.severity.as_str(),
                f.id,
                f.message,
                f.source
            );
            if let Some(fix) = &f.fix {
                t += &format!(
                    "        fix: {} ({})\n",
                    fix.label,
                    fix.ops
                        .iter()
                        .map(|op| op.describe())
                        .collect::<Vec<_>>()
                        .join("; ")
                );
            }
        }
        t
    };
    Ok((text, failed))
}

fn estimate(o: &Options) -> Result<(String, bool), String> {
    let p = load(o)?;
    let pasted = pasted_model(o, &p)?;
    let inputs = rules::Inputs::new(&p, pasted.as_ref());
    let Some(e) = memory::estimate(&inputs) else {
        return Err(format!(
            "no architecture for `{}`: pass --model-config config.json (and a known --gpu)",
            p.model_id()
        ));
    };
    let smallest_tp = memory::smallest_fitting_tp(&inputs);
    let text = if o.json {
        serde_json::to_string_pretty(&json!({
            "weights_gib": round(e.weights_gib), "activation_gib": round(e.activation_gib), "non_torch_gib": round(e.non_torch_gib),
            "cuda_graph_gib": round(e.cuda_graph_gib), "kv_cache_gib": round(e.kv_cache_gib), "kv_tokens": e.kv_tokens,
            "max_concurrency": round(e.max_concurrency), "fits": e.fits, "verdict": e.verdict.id(), "message": e.verdict.describe(),
            "total_gib": round(e.total_gib), "usable_gib": round(e.usable_gib), "kv_bytes_per_token": e.kv_bytes_per_token,
            "block_size": e.block_size, "max_model_len": e.max_model_len, "smallest_tp": smallest_tp,
            "largest_max_model_len": memory::largest_fitting_len(&e, rules::derived_max_len(&p, inputs.model.unwrap())),
        })).unwrap() + "\n"
    } else {
        format!(
            "per GPU (vLLM {}, {} x {}):\n  weights      {:7.2} GiB\n  activation   {:7.2} GiB\n  non-torch    {:7.2} GiB\n  CUDA graphs  {:7.2} GiB\n  KV cache     {:7.2} GiB = {} tokens ({} B/token)\n  concurrency at {} tokens: {:.2}\n{}\n",
            p.vllm_version, p.hardware.gpu_count, p.hardware.gpu, e.weights_gib, e.activation_gib, e.non_torch_gib, e.cuda_graph_gib,
            e.kv_cache_gib, e.kv_tokens, e.kv_bytes_per_token, e.max_model_len, e.max_concurrency, e.verdict.describe()
        )
    };
    Ok((text, !e.fits))
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn run(args: &[String]) -> Result<(String, bool), String> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err(USAGE.to_string());
    };
    let o = parse_options(rest)?;
    match cmd.as_str() {
        "render" => load(&o).map(|p| (compose::to_yaml(&p), false)),
        "command" => load(&o).map(|p| (compose::to_command(&p), false)),
        "env" => load(&o).map(|p| (compose::to_env(&p), false)),
        "import" => load(&o).map(|p| (link::encode(&p) + "\n", false)),
        "check" => check(&o),
        "estimate" => estimate(&o),
        "fix" => load(&o).map(|mut p| {
            for _ in 0..5 {
                let fixes: Vec<_> = rules::evaluate(&rules::Inputs::new(&p, None))
                    .into_iter()
                    .filter_map(|f| f.fix)
                    .collect();
                if fixes.is_empty() {
                    break;
                }
                fixes.iter().for_each(|f| f.apply(&mut p));
            }
            (compose::to_yaml(&p), false)
        }),
        "diff" => {
            let [base, head] = o.source.as_slice() else {
                return Err(USAGE.to_string());
            };
            let (b, h) = (load_one(base)?, load_one(head)?);
            let d = diff::diff(&b, &h);
            Ok((
                if o.markdown {
                    diff::to_markdown(&d, base, head)
                } else {
                    diff::to_text(&d)
                },
                false,
            ))
        }
        "-h" | "--help" | "help" => Ok((format!("{USAGE}\n"), false)),
        other => Err(format!("unknown command `{other}`\n{USAGE}")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok((text, failed)) => {
            print!("{text}");
            if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("vllm-profile: {e}");
            ExitCode::from(2)
        }
    }
}
