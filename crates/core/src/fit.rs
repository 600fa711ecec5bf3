//! "Fit to my GPUs": the configurations of a profile that start on the given GPUs and meet a
//! goal (a context length and a number of concurrent requests, or the largest context), each
//! with the estimate's figures, ranked and explained. Every candidate is judged by the same
//! estimate and checks as the profile itself, so what the list says starts, the card says too.
use crate::context::{derived_max_len, Inputs};
use crate::link;
use crate::memory::{estimate, Estimate, Verdict};
use crate::models::ModelArch;
use crate::profile::Profile;
use crate::rules::{self, Severity};

const GIB: f64 = (1u64 << 30) as f64;

/// What the user wants from the GPUs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Goal {
    /// Tokens per request (`max-model-len`); `None`: the largest context that fits.
    pub context: Option<u64>,
    /// Requests of that length the KV cache must hold at once (at least 1).
    pub concurrency: u64,
}

/// One configuration that starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Configuration {
    /// Share-link keys and values that turn the profile into this configuration.
    pub changes: Vec<(String, String)>,
    pub max_model_len: u64,
    pub kv_tokens: u64,
    pub max_concurrency: f64,
    /// KV cache beyond what `concurrency` requests of `max_model_len` tokens need, per GPU.
    pub headroom_gib: f64,
    /// Why this configuration, and what each change costs.
    pub why: String,
    /// What the changes cost (quality, spare memory, GPUs): lower ranks first.
    penalty: u32,
}

/// The ranked configurations, or why none starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub configurations: Vec<Configuration>,
    pub none_fits: Option<String>,
}

/// One point of the search: the values a configuration sets.
#[derive(Clone, Copy)]
struct Knobs {
    tp: u32,
    /// Pipeline stages: 1, or one per node when the deployment spans several.
    pp: u32,
    fp8_kv: bool,
    utilization: Option<f64>,
    max_num_seqs: Option<u64>,
}

/// Searches tensor-parallel sizes (dividing the heads, within the GPUs), fp8 KV cache,
/// `gpu-memory-utilization` 0.95 and a `max-num-seqs` lowered to the goal's concurrency, for
/// `profile` on its hardware. Needs the model's facts and the card's memory.
pub fn fit(profile: &Profile, pasted: Option<&ModelArch>, goal: Goal) -> Fit {
    let inputs = Inputs::new(profile, pasted);
    let (Some(m), Some(_)) = (inputs.model, inputs.gpu_memory_gib) else {
        return Fit {
            configurations: vec![],
            none_fits: Some(
                "the model's architecture or the GPU's memory is unknown: paste the model's \
                 config.json or pick a GPU"
                    .into(),
            ),
        };
    };
    let concurrency = goal.concurrency.max(1);
    let base_errors = error_ids(profile, pasted);
    let base_tp = profile.int("tensor-parallel-size").unwrap_or(1).max(1) as u32;
    let base_fp8 = profile
        .text("kv-cache-dtype")
        .is_some_and(|k| k.starts_with("fp8"));
    let base_util = profile.float("gpu-memory-utilization").unwrap_or(0.9);
    let base_seqs = profile.int("max-num-seqs").map(|n| n as u64);
    let cap = derived_max_len(profile, m);
    let mut out: Vec<Configuration> = vec![];
    let nodes = profile.hardware.nodes.max(1);
    let base_pp = profile.int("pipeline-parallel-size").unwrap_or(1).max(1) as u32;
    // PP across nodes when there are several (TP inside a node: vLLM's multi-node guidance).
    let mut pps: Vec<u32> = vec![1, base_pp, nodes];
    crate::order::sort(&mut pps);
    pps.dedup();
    for (tp, pp) in [1u32, 2, 4, 8]
        .into_iter()
        .flat_map(|tp| pps.iter().map(move |pp| (tp, *pp)))
    {
        if tp > inputs.gpus.max(1) || m.heads % tp != 0 || pp > m.layers {
            continue;
        }
        for fp8_kv in [base_fp8, true] {
            for utilization in [None, Some(0.95).filter(|u| *u > base_util + 1e-9)] {
                // Fewer sequences shrink the profiling batch (sampler logits): only below the
                // current limit, and never below the goal's concurrency.
                let seqs = Some(concurrency.max(1)).filter(|c| base_seqs.is_none_or(|b| *c < b));
                for max_num_seqs in [None, seqs] {
                    let knobs = Knobs {
                        tp,
                        pp,
                        fp8_kv,
                        utilization,
                        max_num_seqs,
                    };
                    let len = match goal.context {
                        Some(n) => n,
                        None => match largest(profile, pasted, knobs, concurrency, cap) {
                            Some(n) => n,
                            None => continue,
                        },
                    };
                    let mut candidate = apply(profile, knobs, len);
                    // An error the knobs bring that has a one-click fix (TP > 1 wants shared
                    // memory: `ipc: host`) is fixed as part of the configuration; the checks run
                    // again only when a fix changed something.
                    let mut added = new_errors(&candidate, pasted, &base_errors);
                    if added.iter().any(|f| f.fix.is_some()) {
                        for f in &added {
                            if let Some(fix) = &f.fix {
                                fix.apply(&mut candidate);
                            }
                        }
                        added = new_errors(&candidate, pasted, &base_errors);
                    }
                    if !added.is_empty() {
                        continue;
                    }
                    let Some(changes) = changes_between(profile, &candidate) else {
                        continue;
                    };
                    let Some(e) = estimate(&Inputs::new(&candidate, pasted)) else {
                        continue;
                    };
                    if !starts(&e, len, concurrency) {
                        continue;
                    }
                    let needed = len as f64 * concurrency as f64 * e.kv_bytes_per_token as f64;
                    out.push(Configuration {
                        why: why(&e, knobs, base_tp, base_fp8, base_util, len, concurrency),
                        penalty: penalty(knobs, base_tp, base_fp8, base_util, base_seqs),
                        changes,
                        max_model_len: len,
                        kv_tokens: e.kv_tokens,
                        max_concurrency: e.max_concurrency,
                        headroom_gib: (e.kv_cache_gib - needed / GIB).max(0.0),
                    });
                }
            }
        }
    }
    // The same changes reached twice (e.g. fp8 already on) count once.
    crate::order::sort_by(&mut out, |a, b| a.changes.cmp(&b.changes));
    out.dedup_by(|a, b| a.changes == b.changes);
    crate::order::sort_by(&mut out, |a, b| match goal.context {
        // Largest context first; then the cheapest changes; then the most spare KV cache.
        None => b
            .max_model_len
            .cmp(&a.max_model_len)
            .then(a.penalty.cmp(&b.penalty))
            .then(b.headroom_gib.total_cmp(&a.headroom_gib)),
        Some(_) => a
            .penalty
            .cmp(&b.penalty)
            .then(b.headroom_gib.total_cmp(&a.headroom_gib)),
    });
    let none_fits = out.is_empty().then(|| match goal.context {
        Some(n) if n > cap => format!(
            "{n} tokens is above the {cap} that vLLM derives for {}: raise it with a rope \
             scaling override first",
            m.id
        ),
        Some(n) => format!(
            "no tensor-parallel size up to {} GPUs, KV cache dtype or memory setting holds \
             {concurrency} requests of {n} tokens",
            inputs.gpus.max(1)
        ),
        None => format!(
            "no configuration on {} GPUs holds even 1024 tokens for {concurrency} requests",
            inputs.gpus.max(1)
        ),
    });
    Fit {
        configurations: out,
        none_fits,
    }
}

/// The profile with `knobs` and `len` applied.
fn apply(profile: &Profile, k: Knobs, len: u64) -> Profile {
    let mut p = profile.clone();
    let mut set = |key: &str, value: String| {
        let _ = link::apply_key(&mut p, key, &value);
    };
    let size = |flag: &str| profile.int(flag).unwrap_or(1).max(1) as u32;
    if k.tp != size("tensor-parallel-size") {
        set("tensor-parallel-size", k.tp.to_string());
    }
    if k.pp != size("pipeline-parallel-size") {
        set("pipeline-parallel-size", k.pp.to_string());
    }
    if k.fp8_kv {
        set("kv-cache-dtype", "fp8".into());
    }
    if let Some(u) = k.utilization {
        set("gpu-memory-utilization", format!("{u}"));
    }
    if let Some(n) = k.max_num_seqs {
        set("max-num-seqs", n.to_string());
    }
    set("max-model-len", len.to_string());
    p
}

/// The link keys whose values differ from `base` to `next`; `None` when `next` drops a key
/// (a change list only sets).
fn changes_between(base: &Profile, next: &Profile) -> Option<Vec<(String, String)>> {
    let before = link::to_pairs(base);
    let after = link::to_pairs(next);
    let mut out: Vec<(String, String)> = vec![];
    for (k, _) in &before {
        if !after.iter().any(|(a, _)| a == k) {
            // Links leave out a flag set to vLLM's default (TP 1): say it as that value.
            out.push((k.clone(), next.text(k)?));
        }
    }
    out.extend(after.into_iter().filter(|pair| !before.contains(pair)));
    crate::order::sort(&mut out);
    Some(out)
}

fn starts(e: &Estimate, len: u64, concurrency: u64) -> bool {
    e.verdict == Verdict::Starts
        && e.max_model_len >= len
        && e.max_concurrency >= concurrency as f64
}

/// The largest `max-model-len` (a multiple of 1024, at most the derived cap) at which `knobs`
/// start with `concurrency` requests; the estimate is monotonic in the length, so a bisection.
fn largest(
    profile: &Profile,
    pasted: Option<&ModelArch>,
    k: Knobs,
    concurrency: u64,
    cap: u64,
) -> Option<u64> {
    let ok = |len: u64| {
        let p = apply(profile, k, len);
        estimate(&Inputs::new(&p, pasted)).is_some_and(|e| starts(&e, len, concurrency))
    };
    if ok(cap) {
        return Some(cap);
    }
    let (mut lo, mut hi) = (1u64, cap / 1024);
    if hi < 1 || !ok(1024) {
        return None;
    }
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if ok(mid * 1024) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(lo * 1024)
}

/// The error findings of `p` whose rule is not among `known`.
fn new_errors(p: &Profile, pasted: Option<&ModelArch>, known: &[&str]) -> Vec<rules::Finding> {
    rules::evaluate(&Inputs::new(p, pasted))
        .into_iter()
        .filter(|f| f.severity == Severity::Error && !known.contains(&f.id.as_str()))
        .collect()
}

fn error_ids(p: &Profile, pasted: Option<&ModelArch>) -> Vec<&'static str> {
    rules::evaluate(&Inputs::new(p, pasted))
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.id.as_str())
        .collect()
}

/// Quality first (an fp8 cache costs a little accuracy), then spare memory (0.95 leaves less
/// for other processes and fragmentation), then GPUs (more ranks, more communication), then a
/// smaller batch (less throughput under load).
fn penalty(k: Knobs, tp: u32, fp8: bool, util: f64, seqs: Option<u64>) -> u32 {
    let mut p = 0;
    // Another node's GPUs: pipeline bubbles and a network hop.
    if k.pp > 1 {
        p += 3;
    }
    if k.fp8_kv && !fp8 {
        p += 8;
    }
    if k.utilization.is_some_and(|u| u > util) {
        p += 4;
    }
    if k.tp > tp {
        p += 2;
    }
    if k.max_num_seqs.is_some_and(|n| seqs.is_none_or(|s| n < s)) {
        p += 1;
    }
    p
}

fn why(e: &Estimate, k: Knobs, tp: u32, fp8: bool, util: f64, len: u64, c: u64) -> String {
    let mut parts = vec![format!(
        "holds {c} × {len} tokens ({:.1}× at most), {:.2} GiB of weights per GPU",
        e.max_concurrency, e.weights_gib
    )];
    if k.tp > tp {
        parts.push(format!(
            "tensor parallel {} splits the weights and the KV heads over {} GPUs, no quality cost",
            k.tp, k.tp
        ));
    } else if k.tp < tp {
        parts.push(format!(
            "tensor parallel {} (from {tp}): the profile asks for more GPUs than it is given",
            k.tp
        ));
    }
    if k.pp > 1 {
        parts.push(format!(
            "pipeline parallel {} puts a stage of the layers on each node (TP inside a node, PP \
             across nodes)",
            k.pp
        ));
    }
    if k.fp8_kv && !fp8 {
        parts.push(
            "an fp8 KV cache halves the bytes per token at a small accuracy cost".to_string(),
        );
    }
    if k.utilization.is_some_and(|u| u > util) {
        parts.push(format!(
            "gpu-memory-utilization 0.95 (from {util}) gives the cache {:.2} GiB more but leaves \
             less for other processes",
            (0.95 - util) * e.total_gib
        ));
    }
    if let Some(n) = k.max_num_seqs {
        parts.push(format!(
            "max-num-seqs {n} shrinks the profiling batch; at most {n} run at once"
        ));
    }
    let mut text = parts.join("; ");
    text.push('.');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::reference_profile;

    fn on(gpu: &str, count: u32) -> Profile {
        let mut p = reference_profile();
        link::apply_key(&mut p, "gpu", gpu).unwrap();
        link::apply_key(&mut p, "gpu-count", &count.to_string()).unwrap();
        p
    }

    /// Applying a listed configuration's changes gives a profile the estimate says starts with
    /// the goal met; the list follows the goal's order.
    fn check(p: &Profile, goal: Goal) -> Fit {
        let fit = fit(p, None, goal);
        assert!(!fit.configurations.is_empty(), "{:?}", fit.none_fits);
        for c in &fit.configurations {
            let mut q = p.clone();
            for (k, v) in &c.changes {
                link::apply_key(&mut q, k, v).unwrap();
            }
            let e = estimate(&Inputs::new(&q, None)).unwrap();
            assert_eq!(e.verdict, Verdict::Starts, "{:?}", c.changes);
            assert!(
                e.max_concurrency >= goal.concurrency as f64,
                "{:?}",
                c.changes
            );
            if let Some(n) = goal.context {
                assert_eq!(q.int("max-model-len"), Some(n as i64));
            }
        }
        fit
    }

    #[test]
    fn two_rtx_3090s_fit_the_reference_model_and_rank_by_cost() {
        let p = on("rtx-3090", 2);
        let fit = check(
            &p,
            Goal {
                context: Some(32768),
                concurrency: 4,
            },
        );
        let penalties: Vec<u32> = fit.configurations.iter().map(|c| c.penalty).collect();
        assert!(penalties.windows(2).all(|w| w[0] <= w[1]), "{penalties:?}");
        let largest = check(
            &p,
            Goal {
                context: None,
                concurrency: 1,
            },
        );
        let lens: Vec<u64> = largest
            .configurations
            .iter()
            .map(|c| c.max_model_len)
            .collect();
        assert!(lens.windows(2).all(|w| w[0] >= w[1]), "{lens:?}");
    }

    #[test]
    fn one_h100_stays_on_one_gpu() {
        let p = on("h100-sxm", 1);
        let fit = check(
            &p,
            Goal {
                context: Some(32768),
                concurrency: 8,
            },
        );
        for c in &fit.configurations {
            assert!(
                c.changes
                    .iter()
                    .any(|(k, v)| k == "tensor-parallel-size" && v == "1"),
                "the reference's TP 2 cannot run on one GPU: {:?}",
                c.changes
            );
        }
    }

    #[test]
    fn several_nodes_get_pipeline_stages_across_them() {
        let (p, _) = link::decode(
            "v=1&model=meta-llama/Llama-3.3-70B-Instruct&gpu=l40s&gpu-count=4&nodes=2",
        );
        let fit = check(
            &p,
            Goal {
                context: Some(32768),
                concurrency: 4,
            },
        );
        assert!(
            fit.configurations.iter().any(|c| c
                .changes
                .contains(&("pipeline-parallel-size".to_string(), "2".to_string()))),
            "{:?}",
            fit.configurations
                .iter()
                .map(|c| &c.changes)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_goal_nothing_meets_says_why() {
        let p = on("rtx-3090", 1);
        let fit = fit(
            &p,
            None,
            Goal {
                context: Some(40960),
                concurrency: 64,
            },
        );
        assert!(fit.configurations.is_empty());
        assert!(fit.none_fits.unwrap().contains("64 requests"));
    }
}
