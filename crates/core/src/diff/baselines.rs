//! The reference document's three historical configs ("Historique des Optimisations"), built in
//! as baselines. Values the document leaves unstated for v1/v2 take v3's and are listed.
use crate::compose::reference_profile;
use crate::profile::{ArgValue, Profile};
use crate::version::Version;

/// A named historical config.
#[derive(Clone, Debug)]
pub struct Baseline {
    pub name: &'static str,
    pub date: &'static str,
    /// The vLLM release it plausibly targeted, and why.
    pub vllm_version: &'static str,
    pub why_version: &'static str,
    /// Flag → value as the document states it (`None`: the flag is absent in that version).
    pub stated: &'static [(&'static str, Option<&'static str>)],
    /// Parameters taken from v3 because the document does not state them.
    pub not_stated: &'static [&'static str],
}

const V1: Baseline = Baseline {
    name: "v1",
    date: "2024-03",
    vllm_version: "0.4.0.post1",
    why_version: "March 2024; 0.4.0.post1 is the oldest release the catalog \
            holds (0.4.0 was published at the end of that month).",
    stated: &[
        ("max-model-len", Some("32000")),
        ("gpu-memory-utilization", Some("0.85")),
        ("quantization", Some("awq")),
        ("kv-cache-dtype", None),
        ("rope-scaling", None),
        ("enable-auto-tool-choice", None),
        ("tool-call-parser", None),
        ("reasoning-parser", None),
    ],
    not_stated: &[
        "model",
        "tensor-parallel-size",
        "dtype",
        "distributed-executor-backend",
        "swap-space",
        "port",
        "compose settings",
    ],
};

const V2: Baseline = Baseline {
    name: "v2",
    date: "2024-09",
    vllm_version: "0.6.1",
    why_version: "September 2024: releases 0.6.0 (early), 0.6.1 (mid) and 0.6.2 \
        (late) came out that month; 0.6.1 has every flag v2 uses (awq_marlin from 0.5.3, fp8 KV, --rope-scaling).",
    stated: &[
        ("max-model-len", Some("65536")),
        ("gpu-memory-utilization", Some("0.90")),
        ("quantization", Some("awq_marlin")),
        ("kv-cache-dtype", Some("fp8")),
        ("rope-scaling", Some(r#"{"rope_type":"yarn","factor":2.0,"original_max_position_embeddings":32768}"#)),
        ("enable-auto-tool-choice", None),
        ("tool-call-parser", None),
        ("reasoning-parser", None),
    ],
    not_stated: &[
        "model",
        "tensor-parallel-size",
        "dtype",
        "distributed-executor-backend",
        "swap-space",
        "port",
        "rope-scaling.original_max_position_embeddings",
        "compose settings",
    ],
};

const V3: Baseline = Baseline {
    name: "v3",
    date: "2025-01",
    vllm_version: "0.11.0",
    why_version: "Dated January 2025 (0.6.6–0.7.0 then), but its command uses \
        --reasoning-parser qwen3 (from 0.9.0) and --rope-scaling (until 0.11.0), and Qwen3 itself appeared in April 2025: it only parses on 0.9.0–0.11.0, so the last of those.",
    stated: &[],
    not_stated: &[],
};

/// All baselines, oldest first.
pub const BASELINES: [Baseline; 3] = [V1, V2, V3];

/// The baseline with this name (`v1`, `v2`, `v3`).
pub fn baseline(name: &str) -> Option<&'static Baseline> {
    BASELINES.iter().find(|b| b.name == name)
}

impl Baseline {
    /// The baseline as a profile: v3 is the seed's medium profile; v1/v2 change what they state.
    pub fn profile(&self) -> Profile {
        let mut p = reference_profile();
        p.vllm_version = Version::parse(self.vllm_version).expect("a release");
        for (flag, value) in self.stated {
            match value {
                Some(v) => p.set(flag, ArgValue::word(*v)),
                None => p.unset(flag),
            }
        }
        p
    }
}
