//! Which names a release registers for `--quantization`, `--kv-cache-dtype`, `--tool-call-parser`
//! and `--reasoning-parser`, and which releases let argparse enforce them. Source: the "values by
//! release" tables of `data/vllm-flag-history.md` (compared release by release from the wheels).
use super::version::{Bound, Version};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The tables of `data/vllm-flag-history.md` (extracted by build.rs).
const HISTORY: &str = include_str!(concat!(env!("OUT_DIR"), "/history-tables.md"));

struct Row {
    release: Bound,
    added: Vec<String>,
    removed: Vec<String>,
}

fn names(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses `0.4.1–0.4.3` (en dash range), `0.9.0`, `0.4.3 (oldest sample with the flag)`.
fn release_cell(cell: &str) -> Option<Bound> {
    let cell = cell.split(" (").next()?.trim();
    Bound::parse(&cell.replace('–', ".."))
}

fn tables() -> &'static Vec<(String, Vec<Row>)> {
    static TABLES: OnceLock<Vec<(String, Vec<Row>)>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut out: Vec<(String, Vec<Row>)> = Vec::new();
        for line in HISTORY.lines() {
            if let Some(rest) = line.strip_prefix("### `--") {
                if let Some(flag) = rest
                    .split('`')
                    .next()
                    .filter(|_| rest.contains("values by release"))
                {
                    out.push((flag.to_string(), Vec::new()));
                }
                continue;
            }
            if line.starts_with("## ") || line.starts_with("Full list") {
                continue;
            }
            let Some((_, rows)) = out.last_mut() else {
                continue;
            };
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if cells.len() >= 5 && !cells[1].starts_with("release") && !cells[1].starts_with("---")
            {
                if let Some(release) = release_cell(cells[1]) {
                    rows.push(Row {
                        release,
                        added: names(cells[2]),
                        removed: names(cells[3]),
                    });
                }
            }
        }
        out
    })
}

/// The names `flag` (without dashes) accepts in `release`, when the history tracks that flag;
/// an empty set before the flag existed.
pub fn names_in(flag: &str, release: Version) -> Option<BTreeSet<String>> {
    let (_, rows) = tables().iter().find(|(f, _)| f == flag)?;
    let mut set = BTreeSet::new();
    for row in rows.iter().filter(|r| r.release.earliest <= release) {
        set.extend(row.added.iter().cloned());
        for r in &row.removed {
            set.remove(r);
        }
    }
    Some(set)
}

/// Whether argparse itself rejects an unknown name for `flag` in `release` (before that, or
/// after, the name is checked later at startup). Source: the enforcement table of the history.
pub fn argparse_enforces(flag: &str, release: Version) -> bool {
    let needle = format!("| `--{flag}` |");
    let Some(line) = HISTORY
        .lines()
        .find(|l| l.starts_with(&needle) && l.matches('|').count() == 4)
    else {
        return false;
    };
    let range = line.split('|').nth(2).unwrap_or_default().trim();
    if range == "always" {
        return true;
    }
    if let Some(upper) = range.strip_prefix('≤') {
        return Version::parse(upper).is_some_and(|u| release <= u);
    }
    match range.split_once('–') {
        Some((a, b)) => Version::parse(a)
            .zip(Version::parse(b))
            .is_some_and(|(a, b)| a <= release && release <= b),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn reproduces_the_full_lists_of_0_33() {
        assert_eq!(
            names_in("quantization", Version::known("0.33.0"))
                .unwrap()
                .len(),
            30
        );
        assert_eq!(
            names_in("kv-cache-dtype", Version::known("0.33.0"))
                .unwrap()
                .len(),
            22
        );
        assert_eq!(
            names_in("tool-call-parser", Version::known("0.33.0"))
                .unwrap()
                .len(),
            58
        );
        assert_eq!(
            names_in("reasoning-parser", Version::known("0.33.0"))
                .unwrap()
                .len(),
            42
        );
    }

    #[test]
    fn names_follow_releases() {
        assert!(!names_in("reasoning-parser", Version::known("0.8.5.post1"))
            .unwrap()
            .contains("qwen3"));
        assert!(names_in("reasoning-parser", Version::known("0.9.0"))
            .unwrap()
            .contains("qwen3"));
        assert!(names_in("quantization", Version::known("0.5.3"))
            .unwrap()
            .contains("awq_marlin"));
        assert!(!names_in("quantization", Version::known("0.5.2"))
            .unwrap()
            .contains("awq_marlin"));
        assert!(names_in("tool-call-parser", Version::known("0.6.0"))
            .unwrap()
            .contains("hermes"));
        assert!(names_in("frobnicate", Version::known("0.6.0")).is_none());
    }

    #[test]
    fn knows_when_argparse_enforced_choices() {
        assert!(argparse_enforces(
            "kv-cache-dtype",
            Version::known("0.32.0")
        ));
        assert!(!argparse_enforces(
            "kv-cache-dtype",
            Version::known("0.33.0")
        ));
        assert!(argparse_enforces(
            "reasoning-parser",
            Version::known("0.9.0")
        ));
        assert!(!argparse_enforces(
            "reasoning-parser",
            Version::known("0.11.1")
        ));
        assert!(argparse_enforces("dtype", Version::known("0.33.0")));
    }
}
