use super::*;
use crate::compose::reference_profile;
use crate::link;

/// The three deployments as profiles.
pub(crate) fn scenarios() -> Vec<(&'static str, Profile)> {
    let make = |q: &str| link::decode(q).0;
    vec![
        (
            "qwen3-235b-fp8-2x8-h100",
            make("v=1&model=Qwen/Qwen3-235B-A22B-FP8&gpu=h100-sxm&gpu-count=8&nodes=2&interconnect=infiniband&tensor-parallel-size=8&pipeline-parallel-size=2&service=qwen3-235b"),
        ),
        (
            "llama-3.3-70b-2x4-l40s",
            make("v=1&model=meta-llama/Llama-3.3-70B-Instruct&gpu=l40s&gpu-count=4&nodes=2&interconnect=ethernet&tensor-parallel-size=4&pipeline-parallel-size=2&service=llama70b"),
        ),
        ("reference-dp2-4x3090", {
            let mut p = reference_profile();
            link::apply_key(&mut p, "gpu", "rtx-3090").unwrap();
            link::apply_key(&mut p, "gpu-count", "4").unwrap();
            link::apply_key(&mut p, "data-parallel-size", "2").unwrap();
            p
        }),
    ]
}

#[test]
fn every_node_runs_the_same_arguments_and_only_the_rank_differs() {
    for (name, p) in scenarios() {
        let d = Deployment::of(&p);
        let files = node_files(&p);
        assert_eq!(files.len() as u32, d.nodes, "{name}");
        let words = |r: u32| crate::args::to_words(&node_profile(&p, r));
        // Without this node's own words: its rank and --headless.
        let shared = |w: Vec<String>| {
            crate::args::without_flags(&w, &[("--node-rank", true), ("--headless", false)])
        };
        for r in 0..d.nodes {
            let w = words(r);
            assert_eq!(shared(w.clone()), shared(words(0)), "{name} rank {r}");
            let rank_at = w.iter().position(|x| x == "--node-rank").unwrap();
            assert_eq!(w[rank_at + 1], r.to_string());
            assert_eq!(
                w.contains(&"--headless".to_string()),
                r > 0,
                "{name} rank {r}"
            );
            assert!(files[r as usize].1.contains("\"network_mode\": \"host\""));
        }
    }
}

#[test]
fn the_config_file_carries_every_flag_with_negatives_spelled_out() {
    let mut p = reference_profile();
    p.set("enable-prefix-caching", ArgValue::Switch(false));
    let y = vllm_config(&p);
    assert!(y.contains("model: \"Qwen/Qwen3-32B-AWQ\""), "{y}");
    let off = negative_spelling(Catalog::get(), "enable-prefix-caching");
    assert!(
        y.contains(&format!("{}: true", off.trim_start_matches("--"))),
        "{y}"
    );
    assert!(y.contains("max-model-len: \"131072\""), "{y}");
    for arg in &p.args {
        let key = match &arg.value {
            ArgValue::Switch(false) => negative_spelling(Catalog::get(), &arg.name)
                .trim_start_matches("--")
                .to_string(),
            _ => arg.name.clone(),
        };
        assert!(y.contains(&format!("\n{key}:")), "{key} missing in\n{y}");
    }
    let compose = config_compose(&p);
    assert!(
        compose.contains("--config /etc/vllm/config.yaml"),
        "{compose}"
    );
    assert!(
        compose.contains("./config.yaml:/etc/vllm/config.yaml:ro"),
        "{compose}"
    );
    assert!(!compose.contains("--max-model-len"), "{compose}");
}

#[test]
fn kubernetes_is_a_deployment_on_one_node_and_a_leader_worker_set_on_several() {
    let one = k8s::manifests(&reference_profile(), Some(18.0));
    assert!(one.contains("kind: Deployment") && !one.contains("LeaderWorkerSet"));
    for (name, p) in scenarios() {
        let m = k8s::manifests(&p, Some(100.0));
        let d = Deployment::of(&p);
        if d.nodes > 1 {
            assert!(m.contains("kind: LeaderWorkerSet"), "{name}");
            assert!(m.contains(&format!("size: {}", d.nodes)), "{name}");
            assert!(m.contains("\"--headless\""), "{name}");
            assert!(m.contains(&format!("nvidia.com/gpu: {}", d.gpus_per_node)));
        }
        assert!(
            m.contains("kind: Service") && m.contains("path: /health"),
            "{name}"
        );
    }
    assert_eq!(k8s::resource_name("Vllm_Medium.Qwen3"), "vllm-medium-qwen3");
    assert_eq!(k8s::startup_budget_secs(Some(120.0)), 600 + 12 * 60);
}

#[test]
fn a_node_file_imports_as_the_profile_and_its_deployment() {
    for (name, p) in scenarios() {
        let d = Deployment::of(&p);
        if d.nodes < 2 {
            continue;
        }
        let (file, text) = node_files(&p).remove(1);
        let imported = crate::compose::import_compose(&text, &Profile::default())
            .unwrap_or_else(|e| panic!("{name} {file}: {e:?}"));
        let back = &imported.profile;
        assert_eq!(back.hardware.nodes, d.nodes, "{name}");
        assert_eq!(Deployment::of(back).tensor, d.tensor);
        assert_eq!(Deployment::of(back).pipeline, d.pipeline);
        // Its node files are the set it came from (rank, headless and all).
        assert_eq!(node_files(back)[1].1, text, "{name}");
    }
}

#[test]
fn the_kubernetes_export_imports_back_as_the_same_profile_and_deployment() {
    for (name, p) in scenarios() {
        let text = k8s::manifests(&p, Some(50.0));
        let imported =
            crate::compose::import_any(&text, &Profile::default(), None, &Default::default())
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let back = &imported.profile;
        let d = Deployment::of(&p);
        assert_eq!(
            Deployment::of(back),
            Deployment {
                interconnect: String::new(),
                ..d.clone()
            },
            "{name}"
        );
        assert_eq!(back.model, p.model, "{name}");
        assert_eq!(
            vllm_config(back),
            vllm_config(&p),
            "{name}: the same engine arguments"
        );
        assert!(
            imported.notes[0].contains("Kubernetes"),
            "{:?}",
            imported.notes
        );
        // And it exports to the same manifests again.
        let mut again = back.clone();
        again.hardware.interconnect = p.hardware.interconnect.clone();
        again.compose.hf_token = p.compose.hf_token;
        assert_eq!(k8s::manifests(&again, Some(50.0)), text, "{name}");
    }
}

#[test]
fn links_carry_the_deployment() {
    let (p, problems) = link::decode("v=1&nodes=2&gpus-per-node=8&interconnect=infiniband");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!((p.hardware.nodes, p.hardware.gpu_count), (2, 8));
    let back = link::decode(&link::encode(&p)).0;
    assert_eq!(back.hardware, p.hardware);
    assert!(
        link::encode(&p).contains("nodes=2")
            && link::encode(&p).contains("interconnect=infiniband")
    );
    let (_, bad) = link::decode("v=1&nodes=0&interconnect=carrier-pigeon");
    assert_eq!(bad.len(), 2, "{bad:?}");
}
