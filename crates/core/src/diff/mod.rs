//! Comparing two profiles: rows per parameter with the relative change of numbers, and the
//! consequences (score, findings, memory). Markdown for pull-request reviews.
mod baselines;

pub use baselines::{baseline, Baseline, BASELINES};

use super::compose::settings::{setting, ENV_PREFIX};
use super::link::to_pairs;
use super::memory;
use super::profile::{parse_human_int, Profile};
use super::rules::{self, Inputs};

/// What happened to a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Changed,
    Same,
}

impl Change {
    /// `added`, `removed`, `changed`, `same` (`data-change`).
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Same => "same",
        }
    }
}

/// One parameter of the comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Flag name without dashes, or a link key (`vllm-version`, `tag`, …).
    pub key: String,
    pub change: Change,
    pub old: Option<String>,
    pub new: Option<String>,
    /// For numbers: `+309.6 %, ×4.1`.
    pub relative: Option<String>,
}

/// Score, findings and memory of one side.
#[derive(Clone, Debug, PartialEq)]
pub struct Side {
    pub score: u32,
    pub findings: Vec<(String, String)>,
    pub kv_tokens: Option<u64>,
    pub concurrency: Option<f64>,
    pub verdict: Option<String>,
}

/// A whole comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Diff {
    pub rows: Vec<Row>,
    pub base: Side,
    pub head: Side,
}

/// Parameters of a profile as (key, value): hardware, release, model, every set flag, and the
/// compose settings under their link keys.
fn params(p: &Profile) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![
        ("vllm-version".into(), p.vllm_version.to_string()),
        ("gpu".into(), p.hardware.gpu.clone()),
        ("gpu-count".into(), p.hardware.gpu_count.to_string()),
    ];
    out.push(("model".into(), p.model.clone()));
    for a in &p.args {
        out.push((a.name.clone(), a.value.shell_text()));
    }
    // The memory override and every compose setting, as the link writes them.
    let listed =
        |k: &str| k == "gpu-memory-gib" || setting(k).is_some() || k.starts_with(ENV_PREFIX);
    for (k, v) in to_pairs(p) {
        if listed(&k) {
            out.push((k, v));
        }
    }
    out
}

fn number(text: &str) -> Option<f64> {
    parse_human_int(text)
        .map(|n| n as f64)
        .or_else(|| text.trim().parse::<f64>().ok())
        .filter(|n| n.is_finite())
}

/// `32000 → 131072` gives `+309.6 %, ×4.1`; `0.85 → 0.95` gives `+11.8 %`.
pub fn relative_change(old: &str, new: &str) -> Option<String> {
    let (a, b) = (number(old)?, number(new)?);
    if a == 0.0 {
        return None;
    }
    let pct = (b - a) / a * 100.0;
    let ratio = b / a;
    let mut s = format!("{}{:.1} %", if pct >= 0.0 { "+" } else { "−" }, pct.abs());
    if ratio >= 2.0 || ratio <= 0.5 {
        s += &format!(", ×{}", trim_float(ratio));
    }
    Some(s)
}

fn trim_float(x: f64) -> String {
    let s = format!("{x:.1}");
    s.trim_end_matches(".0").to_string()
}

fn side(p: &Profile) -> Side {
    let inputs = Inputs::new(p, None);
    let findings = rules::evaluate(&inputs);
    let score = rules::score(
        &inputs,
        &findings,
        &rules::coverage(&inputs, false, &findings),
    )
    .overall;
    let est = memory::estimate(&inputs);
    Side {
        score,
        findings: findings
            .iter()
            .map(|f| (f.id.to_string(), f.message.clone()))
            .collect(),
        kv_tokens: est.as_ref().map(|e| e.kv_tokens),
        concurrency: est.as_ref().map(|e| e.max_concurrency),
        verdict: est.map(|e| e.verdict.id().to_string()),
    }
}

/// Compares `base` with `head`.
pub fn diff(base: &Profile, head: &Profile) -> Diff {
    let (a, b) = (params(base), params(head));
    let mut keys: Vec<String> = a.iter().map(|(k, _)| k.clone()).collect();
    for (k, _) in &b {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    let get = |list: &[(String, String)], k: &str| {
        list.iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.clone())
            .filter(|v| !(k == "model" && v.is_empty()))
    };
    let rows = keys
        .into_iter()
        .map(|k| {
            let (old, new) = (get(&a, &k), get(&b, &k));
            let change = match (&old, &new) {
                (None, Some(_)) => Change::Added,
                (Some(_), None) => Change::Removed,
                (Some(x), Some(y)) if x != y => Change::Changed,
                _ => Change::Same,
            };
            let relative = match (&old, &new) {
                (Some(x), Some(y)) if change == Change::Changed => relative_change(x, y),
                _ => None,
            };
            Row {
                key: k,
                change,
                old,
                new,
                relative,
            }
        })
        .collect();
    Diff {
        rows,
        base: side(base),
        head: side(head),
    }
}

/// A finding as a diff compares it: rule id and message.
pub type FindingKey = (String, String);

impl Diff {
    /// Findings in head and not in base (by id and message), and the reverse.
    pub fn findings_delta(&self) -> (Vec<FindingKey>, Vec<FindingKey>) {
        let b = crate::order::set_of(self.base.findings.iter());
        let h = crate::order::set_of(self.head.findings.iter());
        (
            h.difference(&b).map(|x| (*x).clone()).collect(),
            b.difference(&h).map(|x| (*x).clone()).collect(),
        )
    }

    /// Rows that changed.
    pub fn changed(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.change != Change::Same)
    }
}

/// Text from a profile or file, made safe inside one Markdown table row or list item: no line
/// break (it would end the row), no `|` (a new cell), no backtick (ends a code span), no `<` /
/// `>` (HTML where a renderer allows it).
fn md(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
        .replace('|', "\\|")
        .replace('`', "'")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn cell(v: &Option<String>) -> String {
    v.as_deref()
        .map(|s| format!("`{}`", md(s)))
        .unwrap_or_else(|| "—".into())
}

/// The diff as Markdown for a pull-request review.
pub fn to_markdown(d: &Diff, base: &str, head: &str) -> String {
    let (base, head) = (md(base), md(head));
    let mut m = format!(
        "### vLLM profile: `{base}` → `{head}`\n\n| Parameter | {base} \
        | {head} | Change |\n|---|---|---|---|\n"
    );
    for r in d.changed() {
        let change = r
            .relative
            .clone()
            .unwrap_or_else(|| r.change.as_str().to_string());
        m += &format!(
            "| `{}` | {} | {} | {} |\n",
            md(&r.key),
            cell(&r.old),
            cell(&r.new),
            md(&change)
        );
    }
    if d.changed().next().is_none() {
        m += "| (no change) | | | |\n";
    }
    m += &format!("\n**Score:** {} % → {} %\n", d.base.score, d.head.score);
    let fmt_opt = |x: Option<u64>| x.map(|n| n.to_string()).unwrap_or_else(|| "—".into());
    let fmt_f = |x: Option<f64>| x.map(|n| format!("{n:.2}")).unwrap_or_else(|| "—".into());
    m += &format!(
        "**KV tokens per GPU:** {} → {}  \n**Concurrency at max \
            length:** {} → {}  \n**Verdict:** {} → {}\n",
        fmt_opt(d.base.kv_tokens),
        fmt_opt(d.head.kv_tokens),
        fmt_f(d.base.concurrency),
        fmt_f(d.head.concurrency),
        d.base.verdict.as_deref().unwrap_or("—"),
        d.head.verdict.as_deref().unwrap_or("—")
    );
    let (new, gone) = d.findings_delta();
    if !new.is_empty() {
        m += "\nNew findings:\n";
        for (id, msg) in &new {
            m += &format!("- `{id}`: {}\n", md(msg));
        }
    }
    if !gone.is_empty() {
        m += "\nResolved findings:\n";
        for (id, msg) in &gone {
            m += &format!("- `{id}`: {}\n", md(msg));
        }
    }
    m
}

/// The diff as plain text (CLI).
pub fn to_text(d: &Diff) -> String {
    let mut t = String::new();
    for r in d.changed() {
        t += &format!(
            "{:8} {:32} {} → {}{}\n",
            r.change.as_str(),
            r.key,
            r.old.as_deref().unwrap_or("—"),
            r.new.as_deref().unwrap_or("—"),
            r.relative
                .as_ref()
                .map(|x| format!("  ({x})"))
                .unwrap_or_default()
        );
    }
    t += &format!("score {} % → {} %\n", d.base.score, d.head.score);
    t
}

#[cfg(test)]
mod tests;
