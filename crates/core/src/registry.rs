//! Which names a release registers for `--quantization`, `--kv-cache-dtype`, `--tool-call-parser`
//! and `--reasoning-parser`, and which releases let argparse enforce them. Source: the "values by
//! release" tables of `data/vllm-flag-history.md` (compared release by release from the wheels).
use super::version::{Bound, Version};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The history tables as build.rs extracted them from `data/vllm-flag-history.md`.
const HISTORY: &str = include_str!(concat!(env!("OUT_DIR"), "/history.json"));

struct Row {
    release: Bound,
    added: Vec<String>,
    removed: Vec<String>,
}

/// Where argparse enforces a flag's names: releases `from..=to` (`None`: unbounded).
struct Enforced {
    from: Option<Version>,
    to: Option<Version>,
}

struct Tables {
    values: Vec<(String, Vec<Row>)>,
    enforced: Vec<(String, Enforced)>,
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let data: Value = serde_json::from_str(HISTORY).expect("history tables are JSON");
        let version = |v: &Value| v.as_str().map(Version::known);
        let values = data["values"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(flag, rows)| {
                let rows = rows
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| Row {
                        release: Bound::parse(r["release"].as_str().unwrap_or_default())
                            .expect("build.rs checked the release cells"),
                        added: strings(&r["added"]),
                        removed: strings(&r["removed"]),
                    })
                    .collect();
                (flag.clone(), rows)
            })
            .collect();
        let enforced = data["enforced"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(flag, e)| {
                (
                    flag.clone(),
                    Enforced {
                        from: version(&e["from"]),
                        to: version(&e["to"]),
                    },
                )
            })
            .collect();
        Tables { values, enforced }
    })
}

/// The names `flag` (without dashes) accepts in `release`, when the history tracks that flag;
/// an empty set before the flag existed.
pub fn names_in(flag: &str, release: Version) -> Option<BTreeSet<String>> {
    let (_, rows) = tables().values.iter().find(|(f, _)| f == flag)?;
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
    tables()
        .enforced
        .iter()
        .find(|(f, _)| f == flag)
        .is_some_and(|(_, e)| {
            e.from.is_none_or(|from| from <= release) && e.to.is_none_or(|to| release <= to)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_release_has_its_quantization_list() {
        // vllm-flag-history.md: 0.4.0.post1 hard-codes `awq, gptq, squeezellm` (its table
        // starts at 0.4.3); an empty list would call every method unregistered.
        let old = names_in("quantization", Version::known("0.4.0.post1")).unwrap();
        assert_eq!(
            old.into_iter().collect::<Vec<_>>(),
            ["awq", "gptq", "squeezellm"]
        );
        assert!(names_in("quantization", Version::known("0.4.3"))
            .unwrap()
            .contains("marlin"));
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
