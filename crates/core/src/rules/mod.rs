//! The validation rules: what vLLM will refuse, what will run out of memory, and what is merely
//! suboptimal, each with its reason, its source and, where possible, a one-click fix.
mod flags;
mod ids;
mod infra;
mod model_rules;
mod package_rules;
mod score;

pub use crate::context::{derived_max_len, Inputs};
pub use ids::{Need, RuleId, Stage};
pub use score::{checklists, score, CategoryRow, ChecklistItem, Score};

use super::compose::interpolate::{effective, Env};
use super::critical::Category;
use super::models::ModelArch;
use super::profile::{ArgValue, Profile};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// vLLM refuses to start, or crashes / runs out of memory at start.
    Error,
    /// Starts, but wrong or risky for the goal.
    Warning,
    /// A better option exists.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info` (JSON, `data-severity`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One change a fix makes.
#[derive(Clone, Debug, PartialEq)]
pub enum FixOp {
    Set(String, ArgValue),
    Unset(String),
    /// Set the image tag.
    Tag(String),
    /// Give the container `ipc: host`.
    IpcHost,
    /// Set the healthcheck's start period.
    StartPeriod(String),
    /// Set the healthcheck's test command.
    HealthTest(Vec<String>),
    /// Remove the command's stray words.
    RemoveStrayWords,
}

impl FixOp {
    /// The change in words (`--hf-overrides '{…}'`, `remove --swap-space`).
    pub fn describe(&self) -> String {
        match self {
            FixOp::Set(n, v) => super::compose::arg_words(&super::profile::Arg {
                name: n.clone(),
                value: v.clone(),
            }),
            FixOp::Unset(n) => format!("remove --{n}"),
            FixOp::Tag(t) => format!("image tag {t}"),
            FixOp::IpcHost => "ipc: host".into(),
            FixOp::StartPeriod(s) => format!("healthcheck start_period {s}"),
            FixOp::HealthTest(t) => format!("healthcheck test {}", t.join(" ")),
            FixOp::RemoveStrayWords => "remove the stray command words".into(),
        }
    }
}

/// A config change the UI applies in one click.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub label: String,
    pub ops: Vec<FixOp>,
}

impl Fix {
    /// Applies the fix to a profile.
    pub fn apply(&self, p: &mut Profile) {
        for op in &self.ops {
            match op {
                FixOp::Set(n, v) => p.set(n, v.clone()),
                FixOp::Unset(n) => p.unset(n),
                FixOp::Tag(t) => p.compose.tag = t.clone(),
                FixOp::IpcHost => p.compose.ipc_host = true,
                FixOp::StartPeriod(s) => {
                    if let Some(h) = p.compose.healthcheck.as_mut() {
                        h.start_period = s.clone();
                    }
                }
                FixOp::HealthTest(t) => {
                    if let Some(h) = p.compose.healthcheck.as_mut() {
                        h.test = t.clone();
                    }
                }
                FixOp::RemoveStrayWords => p.stray.clear(),
            }
        }
    }
}

/// One thing a rule found.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule that found it.
    pub id: RuleId,
    pub severity: Severity,
    pub category: Category,
    /// The parameters it concerns (flag names without dashes, or compose keys).
    pub params: Vec<String>,
    pub message: String,
    /// Where the behaviour is defined: a vLLM source file and function, a docs page, a model card.
    pub source: &'static str,
    pub fix: Option<Fix>,
}

/// A profile checked as Compose would run it: the effective profile (variables interpolated),
/// its findings, and which checks ran.
pub struct Checked {
    pub effective: Profile,
    pub findings: Vec<Finding>,
    pub coverage: Coverage,
}

/// Which checks ran, and which could not for want of a fact.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coverage {
    /// Rules that ran (whether or not they found something).
    pub run: Vec<RuleId>,
    /// Rules that could not run, each with the facts it lacked.
    pub skipped: Vec<(RuleId, Vec<Need>)>,
}

impl Coverage {
    /// The facts missing, each once, in `Need` order.
    pub fn missing(&self) -> Vec<Need> {
        let mut needs: Vec<Need> = self.skipped.iter().flat_map(|(_, n)| n.clone()).collect();
        crate::order::sort(&mut needs);
        needs.dedup();
        needs
    }

    /// How many skipped rules lacked `need`.
    pub fn skipped_for(&self, need: Need) -> usize {
        self.skipped
            .iter()
            .filter(|(_, n)| n.contains(&need))
            .count()
    }

    /// Whether some check did not run (the score is then partial).
    pub fn partial(&self) -> bool {
        !self.skipped.is_empty()
    }
}

/// Which rules could run on `inputs`, given what the rules found. `hidden_command` says the
/// vLLM arguments are not all readable (a whole-word variable without a value, such as
/// `${EXTRA_ARGS}`).
pub fn coverage(inputs: &Inputs, hidden_command: bool, findings: &[Finding]) -> Coverage {
    let p = inputs.profile;
    let met = |need: Need| match need {
        Need::Command => !hidden_command && p.compose.kept_entry("command").is_none(),
        Need::Model => inputs.model.is_some(),
        Need::ValidValues => !findings.iter().any(|f| f.id == RuleId::ValueInvalid),
        Need::Gpu => inputs.gpu.is_some(),
        Need::GpuMemory => inputs.gpu_memory_gib.is_some(),
        // Only a profile that sets a config flag has keys to check.
        Need::ConfigKeys => {
            p.vllm_version == crate::package_facts::config_keys_release()
                || !p.args.iter().any(|a| {
                    let base = a.name.split('.').next().unwrap_or_default();
                    crate::package_facts::config_keys(base).is_some()
                })
        }
    };
    let mut c = Coverage::default();
    for &rule in RuleId::ALL {
        let missing: Vec<Need> = rule.needs().iter().copied().filter(|n| !met(*n)).collect();
        if missing.is_empty() {
            c.run.push(rule);
        } else {
            c.skipped.push((rule, missing));
        }
    }
    c
}

/// Checks `p` as Compose would hand it to vLLM, reading variables from `env`: the rules judge
/// the interpolated values, and a variable without a value is a finding of its own (Compose
/// uses an empty string), not a malformed value.
pub fn evaluate_in(p: &Profile, pasted: Option<&ModelArch>, env: &Env) -> Checked {
    let (effective, unresolved, required) = match effective(p, env) {
        Ok((e, u)) => (e, u, None),
        Err(e) => (p.clone(), Vec::new(), Some(e)),
    };
    let inputs = Inputs {
        written: p,
        ..Inputs::new(&effective, pasted)
    };
    let mut findings = evaluate(&inputs);
    let hidden = p
        .env_words
        .iter()
        .any(|w| unresolved.iter().any(|n| w.contains(n.as_str())));
    let coverage = coverage(&inputs, hidden, &findings);
    if !unresolved.is_empty() {
        let names: Vec<String> = unresolved.iter().map(|n| format!("${{{n}}}")).collect();
        findings.push(Finding {
            id: RuleId::VariableUnresolved,
            severity: Severity::Warning,
            category: Category::Infrastructure,
            params: Vec::new(),
            message: format!(
                "Unresolved: set {} (in .env or the environment); Compose puts an empty string \
                 in its place, and the checks read it so.",
                names.join(", ")
            ),
            source: "Compose Specification, interpolation",
            fix: None,
        });
    }
    if let Some(message) = required {
        findings.push(Finding {
            id: RuleId::VariableRequired,
            severity: Severity::Error,
            category: Category::Infrastructure,
            params: Vec::new(),
            message: format!("Compose refuses the file: {message}."),
            source: "Compose Specification, interpolation (${VAR:?err})",
            fix: None,
        });
    }
    crate::order::sort_by_key(&mut findings, |f| (f.severity, f.category));
    Checked {
        effective,
        findings,
        coverage,
    }
}

/// Whether vLLM starts, from the validation and the memory estimate together (the memory fit
/// is the `memory-fit` rule, so one list of findings says it all).
#[derive(Clone, Debug, PartialEq)]
pub enum StartVerdict {
    /// No error finding; `partial` when some check could not run.
    Starts { partial: bool },
    /// vLLM's argument parser refuses the command: the first such finding.
    Refused(Finding),
    /// The command parses but the engine fails while starting (model, memory, devices).
    Fails(Finding),
}

impl StartVerdict {
    /// `starts`, `starts-partial`, `refused`, `fails` (`data-verdict`).
    pub fn id(&self) -> &'static str {
        match self {
            StartVerdict::Starts { partial: false } => "starts",
            StartVerdict::Starts { partial: true } => "starts-partial",
            StartVerdict::Refused(_) => "refused",
            StartVerdict::Fails(_) => "fails",
        }
    }

    /// The verdict in words.
    pub fn describe(&self) -> String {
        match self {
            StartVerdict::Starts { partial: false } => "vLLM should start this profile.".into(),
            StartVerdict::Starts { partial: true } => {
                "No error found, but some checks could not run (see Validation).".into()
            }
            StartVerdict::Refused(f) => format!("vLLM refuses the arguments: {}", f.message),
            StartVerdict::Fails(f) => format!("vLLM does not start: {}", f.message),
        }
    }
}

/// The one start/no-start verdict of a checked profile.
pub fn start_verdict(findings: &[Finding], coverage: &Coverage) -> StartVerdict {
    let error_at = |stage: Stage| {
        findings
            .iter()
            .find(|f| f.severity == Severity::Error && f.id.stage() == stage)
            .cloned()
    };
    if let Some(f) = error_at(Stage::Parser) {
        return StartVerdict::Refused(f);
    }
    if let Some(f) = error_at(Stage::Startup).or_else(|| {
        findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .cloned()
    }) {
        return StartVerdict::Fails(f);
    }
    StartVerdict::Starts {
        partial: coverage.partial(),
    }
}

/// Every finding for a profile, errors first.
/// Applies every one-click fix until none is left (a fix can reveal another; five rounds at
/// most, and a round that changes nothing ends it), checking as `evaluate_in` does. Returns the
/// fixed profile and each applied fix's label, in order.
pub fn fix_all(p: &Profile, pasted: Option<&ModelArch>, env: &Env) -> (Profile, Vec<String>) {
    let mut p = p.clone();
    let mut applied = Vec::new();
    for _ in 0..5 {
        let fixes: Vec<Fix> = evaluate_in(&p, pasted, env)
            .findings
            .into_iter()
            .filter_map(|f| f.fix)
            .collect();
        let before = p.clone();
        for f in &fixes {
            f.apply(&mut p);
            applied.push(f.label.clone());
        }
        if p == before {
            break;
        }
    }
    (p, applied)
}

pub fn evaluate(inputs: &Inputs) -> Vec<Finding> {
    let mut out = Vec::new();
    flags::check(inputs, &mut out);
    model_rules::check(inputs, &mut out);
    infra::check(inputs, &mut out);
    package_rules::check(inputs, &mut out);
    memory_fit(inputs, &mut out);
    crate::order::sort_by_key(&mut out, |f| (f.severity, f.category));
    out
}

/// The memory verdict as a rule (Context & Memory).
fn memory_fit(inputs: &Inputs, out: &mut Vec<Finding>) {
    // With a value vLLM refuses anyway, an estimate from the defaults would only add noise;
    // coverage lists the check as skipped for want of valid values (`Need::ValidValues`).
    if out.iter().any(|f| f.id == RuleId::ValueInvalid) {
        return;
    }
    let Some(e) = super::memory::estimate(inputs) else {
        return;
    };
    if e.fits {
        return;
    }
    let smaller = super::memory::largest_fitting_len(&e, e.max_model_len);
    let fix = matches!(e.verdict, super::memory::Verdict::KvTooSmall { .. })
        .then(|| smaller)
        .filter(|n| *n >= 1024)
        .map(|n| Fix {
            label: format!("Lower max-model-len to {n}"),
            ops: vec![FixOp::Set(
                "max-model-len".into(),
                ArgValue::word(n.to_string()),
            )],
        });
    out.push(Finding {
        id: RuleId::MemoryFit,
        severity: Severity::Error,
        category: Category::ContextMemory,
        params: params(&["max-model-len", "gpu-memory-utilization", "tensor-parallel-size"]),
        message: format!("{} (estimate per GPU: weights {:.2} GiB, KV cache {:.2} GiB)", e.verdict.describe(), e.weights_gib, e.kv_cache_gib),
        source: "vllm/v1/worker/gpu_worker.py::Worker.determine_available_memory; v1/core/kv_cache_planning.py::_check_enough_kv_cache_memory",
        fix,
    });
}

/// The parameters a finding concerns, as owned names.
fn params(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// The category a flag belongs to: its critical-parameter category, else by vLLM group.
pub fn category_of(flag: &str) -> Category {
    if let Some(c) = Category::ALL
        .iter()
        .find(|c| c.critical_flags().contains(&flag))
    {
        return *c;
    }
    let group = super::catalog::Catalog::get()
        .flag(flag)
        .map(|f| f.group.as_str())
        .unwrap_or("");
    match group {
        "CacheConfig" | "SchedulerConfig" | "OffloadConfig" => Category::ContextMemory,
        "ParallelConfig" => Category::GpuParallelism,
        "Frontend" | "StructuredOutputsConfig" => Category::ParsersTools,
        _ if flag.contains("quant") || flag.contains("dtype") => Category::QuantizationPrecision,
        _ => Category::Infrastructure,
    }
}

#[cfg(test)]
mod tests;
