//! The score and the reference document's tables, computed from the findings.
use super::{Coverage, Finding, Inputs, RuleId, Severity, Stage};
use crate::critical::Category;
use crate::models::native_context;

/// One row of the category table (as the reference document shows it).
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryRow {
    pub category: Category,
    /// Critical parameters of the category present in the profile.
    pub verified: usize,
    /// Those no finding concerns.
    pub optimal: usize,
    /// Those some finding concerns.
    pub suboptimal: usize,
    pub percent: u32,
}

/// The overall score and its table.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// 0–100; 100 only with no finding at all; any error caps it at 49.
    pub overall: u32,
    pub rows: Vec<CategoryRow>,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Checks that ran, of `checks_total`.
    pub checks_run: usize,
    pub checks_total: usize,
    /// Some check could not run: the overall score charges each skipped check as if it had
    /// found what its stage can find at worst, so it never beats the score with the facts known.
    pub partial: bool,
}

/// Points a finding costs.
fn penalty(s: Severity) -> u32 {
    match s {
        Severity::Error => 15,
        Severity::Warning => 5,
        Severity::Info => 1,
    }
}

/// The worst a rule of this stage reports: parser and startup rules find errors.
fn worst(stage: Stage) -> Severity {
    match stage {
        Stage::Parser | Stage::Startup => Severity::Error,
        Stage::Runtime => Severity::Warning,
        Stage::Advice => Severity::Info,
    }
}

fn percent(severities: impl Iterator<Item = Severity>) -> u32 {
    let (mut lost, mut error) = (0u32, false);
    for s in severities {
        lost += penalty(s);
        error |= s == Severity::Error;
    }
    let p = 100u32.saturating_sub(lost);
    if error {
        p.min(49)
    } else {
        p
    }
}

/// Scores the findings for a profile, with what could not be checked (see [`Score::partial`]).
pub fn score(inputs: &Inputs, findings: &[Finding], coverage: &Coverage) -> Score {
    let p = inputs.profile;
    let rows = Category::ALL
        .iter()
        .map(|&c| {
            let mut params: Vec<&str> = c
                .critical_flags()
                .iter()
                .copied()
                .filter(|f| p.get(f).is_some())
                .collect();
            match c {
                Category::GpuParallelism => params.push("devices"),
                Category::Infrastructure if p.compose.healthcheck.is_some() => {
                    params.push("healthcheck")
                }
                _ => {}
            }
            let mine: Vec<&Finding> = findings.iter().filter(|f| f.category == c).collect();
            let suboptimal = params
                .iter()
                .filter(|x| findings.iter().any(|f| f.params.iter().any(|q| q == *x)))
                .count();
            CategoryRow {
                category: c,
                verified: params.len(),
                optimal: params.len() - suboptimal,
                suboptimal,
                percent: percent(mine.iter().map(|f| f.severity)),
            }
        })
        .collect();
    let skipped = coverage.skipped.iter().map(|(rule, _)| worst(rule.stage()));
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    Score {
        overall: percent(findings.iter().map(|f| f.severity).chain(skipped)),
        rows,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        checks_run: coverage.run.len(),
        checks_total: coverage.run.len() + coverage.skipped.len(),
        partial: coverage.partial(),
    }
}

/// One line of a checklist, evaluated live.
#[derive(Clone, Debug, PartialEq)]
pub struct ChecklistItem {
    pub label: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// The reference document's two checklists ("vLLM best practices", and the model family's
/// recommendations where the family is known), judged on the profile and its findings.
pub fn checklists(inputs: &Inputs, findings: &[Finding]) -> Vec<(String, Vec<ChecklistItem>)> {
    let p = inputs.profile;
    let hit = |ids: &[RuleId]| {
        findings
            .iter()
            .filter(|f| ids.contains(&f.id))
            .map(|f| f.message.clone())
            .next()
    };
    let item = |label: &'static str, ok: bool, detail: String| ChecklistItem { label, ok, detail };
    let gmu = p.float("gpu-memory-utilization").unwrap_or(f64::NAN);
    let kv = p.text("kv-cache-dtype").unwrap_or_else(|| "auto".into());
    let len = p.int("max-model-len").unwrap_or(0);
    let tp = p.int("tensor-parallel-size").unwrap_or(1);
    let quant_ok = inputs.model.and_then(|m| m.quant.as_ref()).is_some()
        && hit(&[
            RuleId::QuantMismatch,
            RuleId::QuantAwqSlow,
            RuleId::QuantMinCc,
            RuleId::AwqDtype,
        ])
        .is_none();
    let context_issue = hit(&[
        RuleId::MaxModelLenDerived,
        RuleId::YarnFactor,
        RuleId::ContextWithoutYarn,
        RuleId::YarnRopeTheta,
    ]);
    let rope_issue = hit(&[
        RuleId::FlagRemoved,
        RuleId::MaxModelLenDerived,
        RuleId::YarnFactor,
        RuleId::YarnRopeTheta,
    ])
    .filter(|_| {
        findings.iter().any(|f| {
            f.params
                .iter()
                .any(|x| x == "rope-scaling" || x == "hf-overrides")
        })
    });
    let health_issue = hit(&[
        RuleId::HealthcheckMissing,
        RuleId::HealthcheckStartPeriod,
        RuleId::HealthcheckPort,
    ]);
    // Unset, vLLM picks the multiprocessing executor on one node (ParallelConfig).
    let backend = p
        .text("distributed-executor-backend")
        .unwrap_or_else(|| "mp".into());
    let mut lists = vec![(
        "vLLM best practices".to_string(),
        vec![
            item(
                "Quantized checkpoint with a fast kernel",
                quant_ok,
                if quant_ok {
                    "checkpoint quantization matches a fast kernel".into()
                } else {
                    "no quantized checkpoint, or a quantization finding".into()
                },
            ),
            item(
                "gpu-memory-utilization between 0.90 and 0.95",
                (0.9..=0.95).contains(&gmu),
                crate::values::num(gmu),
            ),
            item(
                "FP8 KV cache for long contexts",
                kv.starts_with("fp8") || len <= 32768,
                format!("kv-cache-dtype {kv}, context {len}"),
            ),
            item(
                "Tensor parallelism only as far as needed",
                hit(&[
                    RuleId::GpusTooFew,
                    RuleId::TpHeads,
                    RuleId::TpKvHeads,
                    RuleId::MemoryFit,
                ])
                .is_none(),
                format!("TP {tp}"),
            ),
            item(
                "max-model-len the release accepts and memory holds",
                context_issue.is_none() && hit(&[RuleId::MemoryFit]).is_none(),
                context_issue.unwrap_or_else(|| "ok".into()),
            ),
            item(
                "RoPE scaling set the way this release reads it",
                rope_issue.is_none(),
                rope_issue.clone().unwrap_or_else(|| "ok".into()),
            ),
            item(
                "Multiprocessing executor for single-node TP",
                backend == "mp",
                backend.clone(),
            ),
            item(
                "Healthcheck timings fit the load time",
                health_issue.is_none(),
                health_issue.unwrap_or_else(|| "ok".into()),
            ),
        ],
    )];
    if let Some(m) = inputs.model.filter(|m| m.family() == "qwen3") {
        let reasoning = p.text("reasoning-parser").unwrap_or_default();
        let tools = p.flag_on("enable-auto-tool-choice") == Some(true)
            && hit(&[RuleId::ToolParserMissing, RuleId::ValueUnknownName]).is_none();
        let native = native_context(m);
        lists.push((
            "Qwen3 recommendations".to_string(),
            vec![
                item(
                    "Quantized checkpoint (AWQ) where memory is tight",
                    quant_ok,
                    m.quant
                        .as_ref()
                        .map(|q| q.method.clone())
                        .unwrap_or_else(|| "16-bit".into()),
                ),
                item(
                    "Tool calling with a registered parser",
                    tools,
                    p.text("tool-call-parser").unwrap_or_default(),
                ),
                item(
                    "qwen3 reasoning parser",
                    reasoning == "qwen3" && hit(&[RuleId::ValueUnknownName]).is_none(),
                    reasoning.clone(),
                ),
                item(
                    "Context within what the release derives",
                    hit(&[RuleId::MaxModelLenDerived]).is_none(),
                    format!("native {native}, context {len}"),
                ),
                item(
                    "Tensor parallel size divides the heads",
                    hit(&[RuleId::TpHeads, RuleId::TpKvHeads]).is_none(),
                    format!("{} heads, {} KV heads, TP {tp}", m.heads, m.kv_heads),
                ),
                item(
                    "YaRN only as far as the context needs",
                    hit(&[
                        RuleId::YarnFactor,
                        RuleId::ContextWithoutYarn,
                        RuleId::YarnNotNeeded,
                        RuleId::YarnRopeTheta,
                    ])
                    .is_none()
                        && rope_issue.is_none(),
                    "static YaRN factor ≈ context / 32768".into(),
                ),
            ],
        ));
    }
    lists
}
