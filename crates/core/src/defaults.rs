//! vLLM's default for a flag in a given release. The catalog holds 0.33.0's defaults; the few
//! that changed between releases are listed here with their source, so that every caller asks
//! one function and an older profile is never judged or sized with a newer default.
use crate::catalog::Catalog;
use crate::version::Version;
use serde_json::{json, Value};
use std::borrow::Cow;

/// A default that held before a release changed it.
struct EarlierDefault {
    flag: &'static str,
    /// The first release with the catalog's (newer) default.
    changed_in: &'static str,
    /// The default before that release, as JSON.
    before: fn() -> Value,
    /// Where the change is recorded.
    source: &'static str,
}

const EARLIER_DEFAULTS: &[EarlierDefault] = &[EarlierDefault {
    flag: "gpu-memory-utilization",
    changed_in: "0.20.0",
    before: || json!(0.9),
    source: "vllm-flag-history.md, summary table: default changed from 0.9 to 0.92 in 0.20.0 \
                 (CacheConfig)",
}];

/// A removed flag's default: (flag, value as JSON, source).
type RemovedDefault = (&'static str, fn() -> Value, &'static str);

/// Defaults of flags that 0.33.0 no longer has (the catalog's `removed_args` carry none).
const REMOVED_DEFAULTS: &[RemovedDefault] = &[
    (
        "swap-space",
        || json!(4),
        "vllm-flag-history.md: --swap-space default 4 GiB/GPU, removed \
            in 0.18.0",
    ),
    (
        "max-seq-len-to-capture",
        || json!(8192),
        "vllm-flag-history.md: --max-seq-len-to-capture default 8192, \
            removed in 0.11.0",
    ),
];

/// vLLM's default for `flag` in `release` (JSON null when it has none or the flag is unknown).
pub fn default_for(flag: &str, release: Version) -> Cow<'static, Value> {
    if let Some(earlier) = EARLIER_DEFAULTS
        .iter()
        .find(|d| d.flag == flag && release < Version::known(d.changed_in))
    {
        return Cow::Owned((earlier.before)());
    }
    // Borrowed: the rules read defaults many times per keystroke, some are large JSON objects.
    if let Some(f) = Catalog::get().flag(flag) {
        return Cow::Borrowed(&f.default);
    }
    Cow::Owned(
        REMOVED_DEFAULTS
            .iter()
            .find(|(name, _, _)| *name == flag)
            .map(|(_, value, _)| value())
            .unwrap_or(Value::Null),
    )
}

/// Where a release-dependent default comes from, when it is not the catalog's.
pub fn default_source(flag: &str, release: Version) -> Option<&'static str> {
    EARLIER_DEFAULTS
        .iter()
        .find(|d| d.flag == flag && release < Version::known(d.changed_in))
        .map(|d| d.source)
        .or_else(|| {
            REMOVED_DEFAULTS
                .iter()
                .find(|(name, _, _)| *name == flag)
                .map(|(_, _, source)| *source)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpu_memory_utilization_was_0_90_before_0_20() {
        let gmu = |r| default_for("gpu-memory-utilization", Version::known(r)).into_owned();
        assert_eq!(gmu("0.11.0"), json!(0.9));
        assert_eq!(gmu("0.19.1"), json!(0.9));
        assert_eq!(gmu("0.20.0"), json!(0.92));
        assert_eq!(gmu("0.33.0"), json!(0.92));
        assert!(default_source("gpu-memory-utilization", Version::known("0.11.0")).is_some());
    }

    #[test]
    fn other_flags_take_the_catalog_default_and_removed_ones_their_own() {
        let r = Version::known("0.11.0");
        assert_eq!(*default_for("port", r), json!(8000));
        assert_eq!(*default_for("swap-space", r), json!(4));
        assert_eq!(*default_for("no-such-flag", r), Value::Null);
    }
}
