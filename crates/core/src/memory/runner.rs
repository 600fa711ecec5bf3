//! Which model runner a release uses for an architecture, and what that runner takes out of the
//! KV budget. Facts: `data/vllm-model-runner.json`, generated from every release's source by
//! `scripts/facts/vllm_model_runner.py`.
use crate::version::Version;
use serde_json::Value;
use std::sync::OnceLock;

/// vLLM's GPU model runner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runner {
    /// `v1/worker/gpu_model_runner.py`.
    V1,
    /// `v1/worker/gpu/model_runner.py` (default for some architectures from 0.22.0, for all
    /// from 0.29.0).
    V2,
}

impl Runner {
    /// `v1` or `v2` (JSON, accuracy classes).
    pub fn id(self) -> &'static str {
        match self {
            Runner::V1 => "v1",
            Runner::V2 => "v2",
        }
    }
}

/// One release's facts.
#[derive(Clone, Debug)]
struct Facts {
    release: Version,
    /// `None`: every architecture; else those listed.
    v2_default: Option<Vec<String>>,
    v2_profiles_cuda_graphs: bool,
    hybrid_kv_groups: bool,
}

fn facts() -> &'static [Facts] {
    static FACTS: OnceLock<Vec<Facts>> = OnceLock::new();
    FACTS.get_or_init(|| {
        let data: Value = serde_json::from_str(include_str!(concat!(
            env!("OUT_DIR"),
            "/vllm-model-runner.json"
        )))
        .expect("model-runner facts");
        let mut out: Vec<Facts> = data["releases"]
            .as_object()
            .expect("releases")
            .iter()
            .filter_map(|(v, f)| {
                Some(Facts {
                    release: Version::parse(v)?,
                    v2_default: match &f["v2_default"] {
                        Value::String(_) => None,
                        list => Some(
                            list.as_array()?
                                .iter()
                                .filter_map(|a| a.as_str().map(str::to_string))
                                .collect(),
                        ),
                    },
                    v2_profiles_cuda_graphs: f["v2_profiles_cuda_graphs"].as_bool()?,
                    hybrid_kv_groups: f["hybrid_kv_groups"].as_bool()?,
                })
            })
            .collect();
        crate::order::sort_by_key(&mut out, |f| f.release);
        out
    })
}

/// The facts of `release`, or of the newest published release before it (a build such as
/// 0.28.1 between two sampled releases behaves like the one it was cut from).
fn facts_for(release: Version) -> Option<&'static Facts> {
    facts().iter().rev().find(|f| f.release <= release)
}

/// The runner `release` picks for `architecture` (absent overrides such as
/// `VLLM_USE_V2_MODEL_RUNNER`).
pub fn runner(release: Version, architecture: &str) -> Runner {
    match facts_for(release).map(|f| &f.v2_default) {
        Some(None) => Runner::V2,
        Some(Some(list)) if list.iter().any(|a| a == architecture) => Runner::V2,
        _ => Runner::V1,
    }
}

/// Whether the runner takes its CUDA-graph estimate out of the KV budget; when it does not
/// (the 0.22–0.28 V2 runner's `profile_cudagraph_memory` returns 0), the graphs are captured on
/// top of `gpu-memory-utilization × total`.
pub fn profiles_cuda_graphs(release: Version, runner: Runner) -> bool {
    match runner {
        Runner::V1 => true,
        Runner::V2 => facts_for(release).is_some_and(|f| f.v2_profiles_cuda_graphs),
    }
}

/// Whether the release gives sliding-window and recurrent layers their own KV groups.
pub fn hybrid_kv_groups(release: Version) -> bool {
    facts_for(release).is_some_and(|f| f.hybrid_kv_groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runners_follow_each_releases_source() {
        let v = |s: &str| Version::parse(s).unwrap();
        assert_eq!(runner(v("0.21.0"), "Qwen3ForCausalLM"), Runner::V1);
        assert_eq!(runner(v("0.24.0"), "Qwen3ForCausalLM"), Runner::V2);
        assert_eq!(runner(v("0.24.0"), "Qwen3MoeForCausalLM"), Runner::V1);
        assert_eq!(runner(v("0.25.0"), "Qwen3ForCausalLM"), Runner::V1);
        assert_eq!(runner(v("0.33.0"), "Gemma3ForCausalLM"), Runner::V2);
        // A build between two sampled releases takes the earlier one's facts.
        assert_eq!(runner(v("0.24.1"), "LlamaForCausalLM"), Runner::V2);
        assert!(!profiles_cuda_graphs(v("0.24.0"), Runner::V2));
        assert!(profiles_cuda_graphs(v("0.29.0"), Runner::V2));
        assert!(!hybrid_kv_groups(v("0.8.5")));
        assert!(hybrid_kv_groups(v("0.24.0")));
    }
}
