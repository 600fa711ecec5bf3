//! `vllm-profile`: the command-line shell over the core, for CI jobs and reviews.
//! Exit codes: 0 success, 1 a check failed (an error finding, a score under --min-score, or a
//! profile that does not fit), 2 bad input or usage (message on stderr).
use clap::{Args, Parser, Subcommand};
use serde_json::json;
use std::process::ExitCode;
use studio_core::{compose, diff, link, memory, models, profile::Profile, rules};

/// Edit, check, size and diff vLLM docker-compose serving profiles.
#[derive(Parser)]
#[command(
    name = "vllm-profile",
    version,
    after_help = "Q is a share-link query or a whole URL."
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

/// Where a profile comes from: a share link or a compose file.
#[derive(Args)]
#[group(required = true, multiple = false)]
struct Source {
    /// A share-link query or URL; `-` reads it from standard input.
    #[arg(long, value_name = "Q")]
    link: Option<String>,
    /// A docker-compose file.
    #[arg(value_name = "FILE")]
    file: Option<String>,
    /// The service to read when the file has several (default: the first that runs vLLM).
    #[arg(long, value_name = "NAME")]
    service: Option<String>,
    /// Variables for `${VAR}` (default: the `.env` beside FILE, as Compose reads it); the
    /// process environment wins over both, as in Compose.
    #[arg(long, value_name = "F")]
    env_file: Option<String>,
}

/// A link from standard input, read up to one byte past the link limit (a longer one is
/// refused without being held in memory).
fn read_stdin_link() -> Result<String, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(studio_core::limits::MAX_LINK_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("standard input: {e}"))?;
    if bytes.len() > studio_core::limits::MAX_LINK_BYTES {
        return Err(format!(
            "standard input: links over {} KiB are not read",
            studio_core::limits::MAX_LINK_BYTES >> 10
        ));
    }
    studio_core::limits::utf8(&bytes)
        .map(|t| t.trim().to_string())
        .map_err(|e| format!("standard input: {}", e.message))
}

/// A file as text, refused before it is read whole when it is over the document limit, and
/// located where it stops being UTF-8.
fn read_text(path: &str) -> Result<String, String> {
    let len = std::fs::metadata(path)
        .map_err(|e| format!("{path}: {e}"))?
        .len();
    if len > studio_core::limits::MAX_DOCUMENT_BYTES as u64 {
        return Err(format!(
            "{path}: the file is {len} bytes; files over {} MiB are not read",
            studio_core::limits::MAX_DOCUMENT_BYTES >> 20
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    studio_core::limits::utf8(&bytes)
        .map(str::to_string)
        .map_err(|e| format!("{path}: {}", e.message))
}

/// The variables Compose would use for this source.
fn variables(source: &Source) -> Result<compose::interpolate::Env, String> {
    let beside = source.file.as_ref().map(|f| {
        std::path::Path::new(f)
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join(".env")
    });
    let path = source
        .env_file
        .as_ref()
        .map(std::path::PathBuf::from)
        .or(beside);
    let mut env = match path {
        Some(p) if p.exists() => {
            let text = read_text(&p.display().to_string())?;
            compose::interpolate::Env::from_dotenv(&text)
        }
        Some(p) if source.env_file.is_some() => {
            return Err(format!("{}: no such file", p.display()))
        }
        _ => compose::interpolate::Env::default(),
    };
    for (name, value) in std::env::vars() {
        env.set(&name, &value);
    }
    Ok(env)
}

/// A profile and the release and hardware to judge it on.
#[derive(Args)]
struct Target {
    #[command(flatten)]
    source: Source,
    #[command(flatten)]
    hardware: Hardware,
}

/// The release and hardware to check against (each overrides the profile's).
#[derive(Args)]
struct Hardware {
    /// vLLM release, e.g. 0.33.0.
    #[arg(long, value_name = "V")]
    vllm_version: Option<String>,
    /// GPU catalog id, e.g. rtx-3090, h100-sxm.
    #[arg(long, value_name = "ID")]
    gpu: Option<String>,
    /// Number of GPUs.
    #[arg(long, value_name = "N")]
    gpu_count: Option<String>,
    /// The model's config.json, for a model the catalog does not know.
    #[arg(long, value_name = "F")]
    model_config: Option<String>,
}

/// The subcommands (named `Cmd`: `Command` is one of them).
#[derive(Subcommand)]
enum Cmd {
    /// Print the compose YAML (a FILE: as the app exports it after an import with no edit, so
    /// its own bytes).
    Render(Source),
    /// Print the equivalent `vllm serve` command.
    Command(Source),
    /// Print the .env file.
    Env(Source),
    /// Print the share-link query of a compose file.
    Import {
        /// A docker-compose file.
        file: String,
        /// The service to read when the file has several.
        #[arg(long, value_name = "NAME")]
        service: Option<String>,
        /// Variables for `${VAR}` (default: the `.env` beside FILE).
        #[arg(long, value_name = "F")]
        env_file: Option<String>,
    },
    /// Print FILE with only the given changes written into it (keys as in share links).
    Edit {
        /// A docker-compose file.
        file: String,
        /// Set a key: `max-model-len=12345`, `tag=v0.33.0`, `enforce-eager=true`.
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Remove a flag, or put a compose setting back to its default.
        #[arg(long = "unset", value_name = "KEY")]
        unset: Vec<String>,
        /// The service to edit when the file has several.
        #[arg(long, value_name = "NAME")]
        service: Option<String>,
    },
    /// Check the profile: score and findings (exit 1 on an error or a score under --min-score).
    Check {
        #[command(flatten)]
        target: Target,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
        /// Fail (exit 1) under this score.
        #[arg(long, value_name = "S", value_parser = clap::value_parser!(u32).range(0..=100))]
        min_score: Option<u32>,
    },
    /// Estimate memory per GPU (exit 1 when it does not fit).
    Estimate {
        #[command(flatten)]
        target: Target,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// List the configurations that start on the GPUs and meet a goal (exit 1 when none does).
    Fit {
        #[command(flatten)]
        target: Target,
        /// Tokens per request (max-model-len); without it, the largest context that fits.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        context: Option<u64>,
        /// Requests of that length to hold at once.
        #[arg(long, value_name = "C", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
        concurrency: u64,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Write the deployment artifacts of the profile (0.5.0): vLLM's config file and a compose
    /// service that mounts it, one compose file per node, or Kubernetes manifests.
    Export {
        #[command(flatten)]
        source: Target,
        /// What to write.
        #[arg(long, value_enum)]
        target: ExportTarget,
        /// Write the files into DIR (created) instead of printing them.
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
    },
    /// Apply every one-click fix and print the YAML.
    Fix(Target),
    /// Compare two profiles.
    Diff {
        /// A compose file, a baseline (v1, v2, v3) or a share link (query or URL).
        base: String,
        /// Same forms as BASE.
        head: String,
        /// Markdown for a pull-request comment.
        #[arg(long)]
        markdown: bool,
    },
}

/// A profile from a share link (anything with `=` that is not a file), a baseline name or a file.
fn load_one(source: &str) -> Result<Profile, String> {
    if let Some(b) = diff::baseline(source) {
        return Ok(b.profile());
    }
    if !std::path::Path::new(source).exists() && source.contains('=') {
        return load_link(source);
    }
    load_file(source)
}

fn load_link(query: &str) -> Result<Profile, String> {
    let stdin;
    let query = if query == "-" {
        stdin = read_stdin_link()?;
        stdin.as_str()
    } else {
        query
    };
    let (p, problems) = link::decode(query);
    if !problems.is_empty() {
        return Err(problems
            .iter()
            .map(|p| format!("link key `{}`: {}", p.key, p.message))
            .collect::<Vec<_>>()
            .join("\n"));
    }
    Ok(p)
}

/// Reads a compose file, a launch line (`docker run`, `vllm serve`) or a vLLM `--config` file.
fn import_file(path: &str, service: Option<&str>) -> Result<compose::Imported, String> {
    import_file_with(path, service, None)
}

fn import_file_with(
    path: &str,
    service: Option<&str>,
    env_file: Option<&str>,
) -> Result<compose::Imported, String> {
    let text = read_text(path)?;
    let source = Source {
        link: None,
        file: Some(path.to_string()),
        service: service.map(str::to_string),
        env_file: env_file.map(str::to_string),
    };
    let env = variables(&source)?;
    let imported = compose::import_any(&text, &Profile::default(), service, &env)
        .map_err(|e| format!("{path}: {e}"))?;
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    Ok(imported)
}

fn load_file(path: &str) -> Result<Profile, String> {
    import_file(path, None).map(|i| i.profile)
}

fn load_source(source: &Source) -> Result<Profile, String> {
    match (&source.link, &source.file) {
        (Some(q), _) => load_link(q),
        (None, Some(f)) => import_file(f, source.service.as_deref()).map(|i| i.profile),
        (None, None) => unreachable!("clap requires one of them"),
    }
}

/// `render`: a link as the app exports it; a file as written back after no edit.
fn render(source: &Source) -> Outcome {
    match &source.file {
        Some(f) if source.link.is_none() => {
            let imported = import_file(f, source.service.as_deref())?;
            let text = compose::write_back(&imported.origin, &imported.profile)?;
            Ok((text, false))
        }
        _ => load_source(source).map(|p| (compose::to_yaml(&p), false)),
    }
}

/// `edit`: FILE with the `--set` and `--unset` changes written into it, nothing else touched.
fn edit(file: &str, set: &[String], unset: &[String], service: Option<&str>) -> Outcome {
    let imported = import_file(file, service)?;
    if let Some(script) = imported.script_entrypoint() {
        return Err(format!(
            "service `{}` starts through the shell script entrypoint `{script}`; its vLLM \
             arguments cannot be edited from here",
            imported.origin.service
        ));
    }
    let mut p = imported.profile.clone();
    for pair in set {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("--set {pair}: expected KEY=VALUE"))?;
        link::apply_key(&mut p, key, value).map_err(|e| format!("--set {key}: {e}"))?;
    }
    // A value vLLM or Compose would refuse is written as given (the file is the user's), and
    // said on stderr so it never goes unnoticed; `check` reports it as an error.
    let set_keys: Vec<&str> = set
        .iter()
        .filter_map(|s| s.split_once('='))
        .map(|(k, _)| k)
        .collect();
    for f in rules::evaluate(&rules::Inputs::new(&p, None)) {
        let refused = matches!(
            f.id,
            rules::RuleId::ValueInvalid | rules::RuleId::ComposeValueInvalid
        );
        if refused && f.params.iter().any(|x| set_keys.contains(&x.as_str())) {
            eprintln!(
                "vllm-profile edit: warning: {} (written as given)",
                f.message
            );
        }
    }
    for key in unset {
        link::unset_key(&mut p, key).map_err(|e| format!("--unset {key}: {e}"))?;
    }
    Ok((compose::write_back(&imported.origin, &p)?, false))
}

/// The profile of a command, with the release and hardware options applied through the link
/// codec (so they are checked exactly as link keys are).
fn load(source: &Source, hw: &Hardware) -> Result<Profile, String> {
    let mut p = load_source(source)?;
    let pairs = [
        ("vllm-version", &hw.vllm_version),
        ("gpu", &hw.gpu),
        ("gpu-count", &hw.gpu_count),
    ];
    for (key, value) in pairs {
        let Some(value) = value else { continue };
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

fn pasted_model(hw: &Hardware, p: &Profile) -> Result<Option<models::ModelArch>, String> {
    let Some(path) = &hw.model_config else {
        return Ok(None);
    };
    let text = read_text(path)?;
    models::from_config_json(&p.model_id(), &text)
        .map(Some)
        .map_err(|e| format!("{path}: {e}"))
}

/// A command's output and whether the check it made failed (exit 1).
type Outcome = Result<(String, bool), String>;

fn describe_fix(fix: &rules::Fix) -> Vec<String> {
    fix.ops.iter().map(|op| op.describe()).collect()
}

/// `check --json`: the README's contract (score, counts, findings with stage and fix).
/// Each skipped rule with the facts it lacked (`check --json`'s `checks_skipped`).
fn skipped_json(coverage: &rules::Coverage) -> Vec<serde_json::Value> {
    coverage
        .skipped
        .iter()
        .map(|(rule, needs)| {
            json!({
                "id": rule.as_str(),
                "stage": rule.stage().as_str(),
                "missing": needs.iter().map(|n| n.as_str()).collect::<Vec<_>>(),
                "enable": needs.iter().map(|n| n.enable()).collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn check_json(
    p: &Profile,
    score: &rules::Score,
    findings: &[rules::Finding],
    coverage: &rules::Coverage,
) -> String {
    let list: Vec<_> = findings
        .iter()
        .map(|f| {
            json!({
                "id": f.id.as_str(),
                "stage": f.id.stage().as_str(),
                "severity": f.severity.as_str(),
                "category": f.category.id(),
                "params": f.params,
                "message": f.message,
                "source": f.source,
                "fix": f.fix.as_ref().map(|x| json!({"label": x.label, "changes": describe_fix(x)})),
            })
        })
        .collect();
    let doc = json!({
        "score": score.overall,
        "vllm_version": p.vllm_version.to_string(),
        "errors": score.errors,
        "warnings": score.warnings,
        "infos": score.infos,
        "partial": score.partial,
        "checks_run": coverage.run.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "checks_skipped": skipped_json(coverage),
        "findings": list,
    });
    serde_json::to_string_pretty(&doc).unwrap() + "\n"
}

fn check_text(
    p: &Profile,
    score: &rules::Score,
    findings: &[rules::Finding],
    coverage: &rules::Coverage,
) -> String {
    let mut t = format!(
        "score {}%{} for vLLM {} ({} errors, {} warnings, {} infos; {} of {} checks ran)\n",
        score.overall,
        if score.partial { " (partial)" } else { "" },
        p.vllm_version,
        score.errors,
        score.warnings,
        score.infos,
        score.checks_run,
        score.checks_total
    );
    for need in coverage.missing() {
        let n = coverage.skipped_for(need);
        t += &format!(
            "skipped {n} checks without {}: {}\n",
            need.as_str(),
            need.enable()
        );
    }
    for f in findings {
        let (sev, id) = (f.severity.as_str(), f.id.as_str());
        t += &format!(
            "{sev:7} {id:24} {}\n        source: {}\n",
            f.message, f.source
        );
        if let Some(fix) = &f.fix {
            t += &format!(
                "        fix: {} ({})\n",
                fix.label,
                describe_fix(fix).join("; ")
            );
        }
    }
    t
}

fn check(t: &Target, json: bool, min_score: Option<u32>) -> Outcome {
    let (p, hw) = (load(&t.source, &t.hardware)?, &t.hardware);
    let pasted = pasted_model(hw, &p)?;
    let checked = rules::evaluate_in(&p, pasted.as_ref(), &variables(&t.source)?);
    let findings = &checked.findings;
    let inputs = rules::Inputs::new(&checked.effective, pasted.as_ref());
    let score = rules::score(&inputs, findings, &checked.coverage);
    let failed = score.errors > 0 || min_score.is_some_and(|m| score.overall < m);
    let text = if json {
        check_json(&p, &score, findings, &checked.coverage)
    } else {
        check_text(&p, &score, findings, &checked.coverage)
    };
    Ok((text, failed))
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// `estimate --json`: the README's contract.
fn estimate_json(p: &Profile, inputs: &rules::Inputs, e: &memory::Estimate) -> String {
    let derived = inputs
        .model
        .map(|m| rules::derived_max_len(p, m))
        .unwrap_or(e.max_model_len);
    let doc = json!({
        "weights_gib": round(e.weights_gib),
        "activation_gib": round(e.activation_gib),
        "non_torch_gib": round(e.non_torch_gib),
        "cuda_graph_gib": round(e.cuda_graph_gib),
        "kv_cache_gib": round(e.kv_cache_gib),
        "kv_tokens": e.kv_tokens,
        "max_concurrency": round(e.max_concurrency),
        "fits": e.fits,
        "verdict": e.verdict.id(),
        "message": e.verdict.describe(),
        "total_gib": round(e.total_gib),
        "usable_gib": round(e.usable_gib),
        "kv_bytes_per_token": e.kv_bytes_per_token,
        "block_size": e.block_size,
        "max_model_len": e.max_model_len,
        "smallest_tp": memory::smallest_fitting_tp(inputs),
        "largest_max_model_len": memory::largest_fitting_len(e, derived),
        "binding_limit": memory::binding_limit(e, derived).1.id(),
        "kv_cache_gib_low": round(e.kv_cache_gib_low),
        "kv_cache_gib_high": round(e.kv_cache_gib_high),
        "confidence": e.confidence.id(),
        "accuracy_class": e.class,
        "model_runner": e.runner.id(),
        "graphs_outside_budget_gib": round(e.graphs_outside_budget_gib),
        "peak_gib": round(e.peak_gib),
        // null: no full-attention layer, so no length limit from memory.
        "longest_request": (e.longest_request != u64::MAX).then_some(e.longest_request),
        "warnings": e.warnings(),
        // 0.5.0: data-parallel replicas each hold their own KV cache.
        "data_parallel": p.int("data-parallel-size").unwrap_or(1).max(1),
        "total_kv_tokens": e.kv_tokens * p.int("data-parallel-size").unwrap_or(1).max(1) as u64,
        "total_max_concurrency": round(e.max_concurrency * p.int("data-parallel-size").unwrap_or(1).max(1) as f64),
    });
    serde_json::to_string_pretty(&doc).unwrap() + "\n"
}

fn estimate_text(p: &Profile, e: &memory::Estimate) -> String {
    let hw = format!(
        "vLLM {}, {} x {}",
        p.vllm_version, p.hardware.gpu_count, p.hardware.gpu
    );
    let kv = format!("{} tokens ({} B/token)", e.kv_tokens, e.kv_bytes_per_token);
    format!(
        "per GPU ({hw}):\n  weights      {:7.2} GiB\n  activation   {:7.2} GiB\n  \
         non-torch    {:7.2} GiB\n  CUDA graphs  {:7.2} GiB\n  KV cache     {:7.2} GiB = {kv}\n  \
         concurrency at {} tokens: {:.2}\n  KV cache range {:.2}–{:.2} GiB ({}, {})\n{}\n{}",
        e.weights_gib,
        e.activation_gib,
        e.non_torch_gib,
        e.cuda_graph_gib,
        e.kv_cache_gib,
        e.max_model_len,
        e.max_concurrency,
        e.kv_cache_gib_low,
        e.kv_cache_gib_high,
        e.class,
        e.confidence.id(),
        e.verdict.describe(),
        e.warnings()
            .iter()
            .map(|w| format!("warning: {w}\n"))
            .collect::<String>()
    )
}

fn estimate(t: &Target, json: bool) -> Outcome {
    let (p, hw) = (load(&t.source, &t.hardware)?, &t.hardware);
    let pasted = pasted_model(hw, &p)?;
    // Sized as Compose would run it (`${LEN:-8192}` read as 8192).
    let p = rules::evaluate_in(&p, pasted.as_ref(), &variables(&t.source)?).effective;
    let inputs = rules::Inputs::new(&p, pasted.as_ref());
    let Some(e) = memory::estimate(&inputs) else {
        return Err(format!(
            "no architecture for `{}`: pass --model-config config.json \
                (and a known --gpu)",
            p.model_id()
        ));
    };
    let text = if json {
        estimate_json(&p, &inputs, &e)
    } else {
        estimate_text(&p, &e)
    };
    Ok((text, !e.fits))
}

/// The artifacts `export --target` writes.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportTarget {
    /// `config.yaml` for `vllm serve --config` and `<service>.compose.yml` mounting it.
    Config,
    /// `<service>.node<rank>.compose.yml` for each node and `RUN.txt`, the run order.
    Nodes,
    /// `<service>.k8s.yaml`: ConfigMap, Deployment or LeaderWorkerSet, Service.
    K8s,
    /// `<service>.values.yaml` for vLLM's production-stack Helm chart (one node).
    Helm,
}

/// `export`: the files, printed (each after a `# file: NAME` line) or written into a folder.
fn export(t: &Target, to: ExportTarget, out: Option<&std::path::Path>) -> Outcome {
    use studio_core::deploy;
    let (p, hw) = (load(&t.source, &t.hardware)?, &t.hardware);
    let pasted = pasted_model(hw, &p)?;
    let checked = rules::evaluate_in(&p, pasted.as_ref(), &variables(&t.source)?).effective;
    let inputs = rules::Inputs::new(&checked, pasted.as_ref());
    let weights = inputs.model.map(|m| memory::weights_total_gib(m, &checked));
    let service = &p.compose.service;
    let files: Vec<(String, String)> = match to {
        ExportTarget::Config => vec![
            ("config.yaml".into(), deploy::vllm_config(&p)),
            (format!("{service}.compose.yml"), deploy::config_compose(&p)),
        ],
        ExportTarget::Nodes => {
            let mut f = deploy::node_files(&p);
            f.push(("RUN.txt".into(), deploy::run_order(&p)));
            f
        }
        ExportTarget::Helm => vec![(format!("{service}.values.yaml"), deploy::helm::values(&p)?)],
        ExportTarget::K8s => vec![(
            format!("{service}.k8s.yaml"),
            deploy::k8s::manifests(&p, weights),
        )],
    };
    match out {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let mut said = String::new();
            for (name, text) in &files {
                let path = dir.join(name);
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                said += &format!("wrote {}\n", path.display());
            }
            Ok((said, false))
        }
        None => Ok((
            files
                .iter()
                .map(|(name, text)| format!("# file: {name}\n{text}"))
                .collect(),
            false,
        )),
    }
}

/// `fit`: the configurations that start and meet the goal, best first.
fn fit(t: &Target, goal: studio_core::fit::Goal, json: bool) -> Outcome {
    let (p, hw) = (load(&t.source, &t.hardware)?, &t.hardware);
    let pasted = pasted_model(hw, &p)?;
    let p = rules::evaluate_in(&p, pasted.as_ref(), &variables(&t.source)?).effective;
    let found = studio_core::fit::fit(&p, pasted.as_ref(), goal);
    let text = if json {
        let list: Vec<_> = found
            .configurations
            .iter()
            .map(|c| {
                json!({
                    "changes": c.changes.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
                    "max_model_len": c.max_model_len,
                    "kv_tokens": c.kv_tokens,
                    "max_concurrency": round(c.max_concurrency),
                    "headroom_gib": round(c.headroom_gib),
                    "why": c.why,
                })
            })
            .collect();
        serde_json::to_string_pretty(&json!({
            "configurations": list,
            "none_fits": found.none_fits,
        }))
        .unwrap()
            + "\n"
    } else if let Some(why) = &found.none_fits {
        format!("nothing fits: {why}\n")
    } else {
        found
            .configurations
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let changes: Vec<String> =
                    c.changes.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!(
                    "{}. {}\n   {} KV tokens, {:.2}x concurrency, {:.2} GiB headroom: {}\n",
                    i + 1,
                    changes.join(" "),
                    c.kv_tokens,
                    c.max_concurrency,
                    c.headroom_gib,
                    c.why
                )
            })
            .collect()
    };
    Ok((text, found.configurations.is_empty()))
}

/// `fix`: every one-click fix, written back into FILE (or the link's service exported).
fn fix(t: &Target) -> Outcome {
    let (p, _) = rules::fix_all(&load(&t.source, &t.hardware)?, None, &Default::default());
    match (&t.source.file, &t.source.link) {
        (Some(f), None) => {
            let imported = import_file(f, t.source.service.as_deref())?;
            Ok((compose::write_back(&imported.origin, &p)?, false))
        }
        _ => Ok((compose::to_yaml(&p), false)),
    }
}

fn run(command: Cmd) -> Outcome {
    let no_hardware = Hardware {
        vllm_version: None,
        gpu: None,
        gpu_count: None,
        model_config: None,
    };
    let text = |p: Profile, render: fn(&Profile) -> String| (render(&p), false);
    match command {
        Cmd::Render(s) => render(&s),
        Cmd::Command(s) => load(&s, &no_hardware).map(|p| text(p, compose::to_command)),
        Cmd::Env(s) => load(&s, &no_hardware).map(|p| text(p, compose::to_env)),
        Cmd::Import {
            file,
            service,
            env_file,
        } => import_file_with(&file, service.as_deref(), env_file.as_deref())
            .map(|i| (link::encode(&i.profile) + "\n", false)),
        Cmd::Edit {
            file,
            set,
            unset,
            service,
        } => edit(&file, &set, &unset, service.as_deref()),
        Cmd::Check {
            target,
            json,
            min_score,
        } => check(&target, json, min_score),
        Cmd::Estimate { target, json } => estimate(&target, json),
        Cmd::Export {
            source,
            target,
            out,
        } => export(&source, target, out.as_deref()),
        Cmd::Fit {
            target,
            context,
            concurrency,
            json,
        } => fit(
            &target,
            studio_core::fit::Goal {
                context,
                concurrency,
            },
            json,
        ),
        Cmd::Fix(t) => fix(&t),
        Cmd::Diff {
            base,
            head,
            markdown,
        } => {
            let d = diff::diff(&load_one(&base)?, &load_one(&head)?);
            let out = if markdown {
                diff::to_markdown(&d, &base, &head)
            } else {
                diff::to_text(&d)
            };
            Ok((out, false))
        }
    }
}

fn main() -> ExitCode {
    // clap prints usage errors itself and exits with status 2 (help and --version with 0).
    let cli = Cli::parse();
    match run(cli.command) {
        Ok((text, failed)) => {
            print!("{text}");
            ExitCode::from(u8::from(failed))
        }
        Err(e) => {
            eprintln!("vllm-profile: {e}");
            ExitCode::from(2)
        }
    }
}
