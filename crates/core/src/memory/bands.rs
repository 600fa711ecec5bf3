//! How far the KV estimate can be trusted: each estimate belongs to an accuracy class (release
//! era × model runner × parallelism × attention family), and the class's real startups give the
//! range the truth fell in. `data/memory-bands.json` holds those ranges; it is generated from
//! the records by `cargo test -p studio-core --test memory_accuracy` with `STUDIO_WRITE_BANDS=1`
//! and a test fails when it no longer matches the estimator.
use super::kv::KvPlan;
use super::runner::Runner;
use crate::models::ModelArch;
use crate::profile::Profile;
use crate::version::Version;
use serde_json::Value;
use std::sync::OnceLock;

/// Extra width on each side of a class's observed range: the printed GiB are rounded to 0.01
/// and a class seen on few startups has not shown its whole spread.
const MARGIN: f64 = 0.005;

/// How much the verdict rests on real startups like this one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confidence {
    /// Real startups of this class exist and the whole band gives the same verdict.
    Measured,
    /// The band straddles the limit: within the class's error, vLLM may or may not start.
    Borderline,
    /// No real startup of this class has been compared with the estimate.
    UntestedClass,
}

impl Confidence {
    /// `measured`, `borderline`, `untested-class` (JSON, `data-confidence`).
    pub fn id(self) -> &'static str {
        match self {
            Confidence::Measured => "measured",
            Confidence::Borderline => "borderline",
            Confidence::UntestedClass => "untested-class",
        }
    }
}

/// The range the real KV cache falls in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub low: f64,
    pub high: f64,
    /// Whether startups of the estimate's own class gave the range.
    pub tested: bool,
}

/// The accuracy class of a profile: `v1-0.20/v2/tp1/dense`.
pub fn class_of(m: &ModelArch, p: &Profile, runner: Runner) -> String {
    let v = p.vllm_version;
    let era = if !super::era(v).v1 {
        "v0"
    } else if v < Version::known("0.20.0") {
        "v1-0.8"
    } else {
        "v1-0.20"
    };
    let tp = if p.int("tensor-parallel-size").unwrap_or(1) > 1 {
        "tp2+"
    } else {
        "tp1"
    };
    format!("{era}/{}/{tp}/{}", runner.id(), m.attention_family())
}

/// Relative errors `(estimate − real) / real` of one class: (lowest, highest, records).
type Range = (f64, f64, u64);

/// Each class's range, and the range over all records.
type Ranges = (Vec<(String, Range)>, Option<Range>);

fn ranges() -> &'static Ranges {
    static RANGES: OnceLock<Ranges> = OnceLock::new();
    RANGES.get_or_init(|| {
        let data: Value = serde_json::from_str(include_str!("../../data/memory-bands.json"))
            .expect("memory-bands.json");
        let range = |v: &Value| -> Option<Range> {
            Some((
                v["kv_err_min"].as_f64()?,
                v["kv_err_max"].as_f64()?,
                v["records"].as_u64()?,
            ))
        };
        let classes = data["classes"]
            .as_object()
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| Some((k.clone(), range(v)?)))
                    .collect()
            })
            .unwrap_or_default();
        (classes, range(&data["all"]))
    })
}

impl Band {
    /// The range the real value of an estimate `kv_gib` falls in, given the lowest and highest
    /// relative errors `(estimate − real) / real` seen: real = estimate / (1 + error), so the
    /// highest error gives the lowest real value.
    pub fn from_errors(kv_gib: f64, (lo, hi): (f64, f64), tested: bool) -> Band {
        Band {
            low: kv_gib / (1.0 + hi + MARGIN),
            high: kv_gib / (1.0 + lo - MARGIN).max(0.01),
            tested,
        }
    }
}

/// The error range for a class no startup has tested: the range over all classes, doubled
/// (and containing 0).
pub fn untested_errors((lo, hi): (f64, f64)) -> (f64, f64) {
    (2.0 * lo.min(0.0), 2.0 * hi.max(0.0))
}

/// The band of a KV estimate of `kv_gib` in `class`: the class's own range, or, for an
/// untested class, [`untested_errors`] of the range over every class.
pub fn band(class: &str, kv_gib: f64) -> Band {
    let (classes, all) = ranges();
    let own = classes.iter().find(|(c, _)| c == class).map(|(_, r)| *r);
    match (own, all) {
        (Some((lo, hi, _)), _) => Band::from_errors(kv_gib, (lo, hi), true),
        (None, Some((lo, hi, _))) => Band::from_errors(kv_gib, untested_errors((*lo, *hi)), false),
        (None, None) => Band::from_errors(kv_gib, (-0.1, 0.1), false),
    }
}

/// Whether the verdict holds across the band: the longest request scales with the KV bytes.
pub fn confidence(band: &Band, plan: &KvPlan, max_len: u64, kv_gib: f64) -> Confidence {
    if !band.tested {
        return Confidence::UntestedClass;
    }
    if kv_gib <= 0.0 {
        return Confidence::Measured;
    }
    let fits = |gib: f64| plan.longest_request as f64 * gib / kv_gib >= max_len as f64;
    if fits(band.low) == fits(band.high) {
        Confidence::Measured
    } else {
        Confidence::Borderline
    }
}
