//! Less knowledge never scores better: over profiles of every catalogued model on several
//! GPUs and settings, hiding the model's architecture or the GPU gives a score no higher than
//! with the fact supplied, and `checks_skipped` names what is missing.
use studio_core::compose::interpolate::Env;
use studio_core::gpu::UNSTATED_GPU;
use studio_core::models::models;
use studio_core::profile::{ArgValue, Profile};
use studio_core::rules::{evaluate_in, score, Inputs, Need};

fn scored(p: &Profile, pasted: Option<&studio_core::models::ModelArch>) -> (u32, Vec<Need>) {
    let checked = evaluate_in(p, pasted, &Env::default());
    let s = score(
        &Inputs::new(&checked.effective, pasted),
        &checked.findings,
        &checked.coverage,
    );
    (s.overall, checked.coverage.missing())
}

/// Profiles that vary the settings the model and GPU rules read.
fn profiles() -> Vec<Profile> {
    let settings: &[&[(&str, &str)]] = &[
        &[],
        &[("max-model-len", "131072"), ("tensor-parallel-size", "2")],
        &[("kv-cache-dtype", "fp8"), ("dtype", "half")],
        &[
            ("tensor-parallel-size", "3"),
            ("gpu-memory-utilization", "0.5"),
        ],
    ];
    let gpus = ["rtx-3090", "h100-80gb-sxm", "a100-80gb-sxm"];
    let mut out = Vec::new();
    for (i, m) in models().iter().enumerate() {
        let mut p = Profile {
            model: m.id.clone(),
            ..Profile::default()
        };
        p.hardware.gpu = gpus[i % gpus.len()].into();
        p.hardware.gpu_count = 2;
        for (flag, value) in settings[i % settings.len()] {
            p.set(flag, ArgValue::word(*value));
        }
        out.push(p);
    }
    out
}

#[test]
fn hiding_the_model_or_the_gpu_never_raises_the_score() {
    let mut compared = 0;
    for p in profiles() {
        let arch = studio_core::models::find(&p.model)
            .expect("catalogued")
            .clone();
        // The model under a name the catalog does not know: facts only when pasted.
        let mut unlisted = p.clone();
        unlisted.model = format!("someone/{}-mirror", p.model.replace('/', "-"));
        let (without, missing) = scored(&unlisted, None);
        let (with, none) = scored(&unlisted, Some(&arch));
        assert!(missing.contains(&Need::Model), "{}: {missing:?}", p.model);
        assert!(!none.contains(&Need::Model), "{}: {none:?}", p.model);
        assert!(
            without <= with,
            "{}: {without} without facts > {with} with",
            p.model
        );
        // The GPU not stated.
        let mut unstated = p.clone();
        unstated.hardware.gpu = UNSTATED_GPU.into();
        let (without, missing) = scored(&unstated, None);
        let (with, none) = scored(&p, None);
        assert!(missing.contains(&Need::Gpu) && missing.contains(&Need::GpuMemory));
        assert!(none.is_empty(), "{}: {none:?}", p.model);
        assert!(
            without <= with,
            "{} on {}: {without} > {with}",
            p.model,
            p.hardware.gpu
        );
        compared += 2;
    }
    assert!(compared >= 40, "{compared} profiles compared");
}
