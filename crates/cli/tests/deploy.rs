//! Issue 15's table test: three deployments exported with `vllm-profile export` to every target;
//! each compose file is validated by the real Compose (`shared/tools/compose-check`, its
//! normalized model read back), each manifest strictly by `shared/tools/k8s-check` (the
//! LeaderWorkerSet against its CRD), and the artifacts agree with each other: the same engine
//! arguments everywhere, ranks 0..N−1, `--headless` on every worker and only there.
use std::path::{Path, PathBuf};
use std::process::Command;

const SCENARIOS: [(&str, &str); 3] = [
    (
        "qwen3-235b",
        "v=1&model=Qwen/Qwen3-235B-A22B-FP8&gpu=h100-sxm&gpu-count=8&nodes=2&interconnect=infiniband&tensor-parallel-size=8&pipeline-parallel-size=2&service=qwen3-235b&env-hf-token=true",
    ),
    (
        "llama70b",
        "v=1&model=meta-llama/Llama-3.3-70B-Instruct&gpu=l40s&gpu-count=4&nodes=2&interconnect=ethernet&tensor-parallel-size=4&pipeline-parallel-size=2&service=llama70b",
    ),
    (
        "reference-dp2",
        "v=1&model=Qwen/Qwen3-32B-AWQ&gpu=rtx-3090&gpu-count=4&tensor-parallel-size=2&data-parallel-size=2&quantization=awq_marlin&max-model-len=32768&service=reference-dp2",
    ),
];

fn tools() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/tools")
}

fn export(link: &str, to: &str, dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_vllm-profile"))
        .args(["export", "--link", link, "--target", to, "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The service's command as Compose normalizes it.
fn compose_command(file: &Path) -> Vec<String> {
    let out = Command::new(tools().join("compose-check"))
        .arg("--json")
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "compose refuses {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let start = text.find('{').unwrap();
    let model: serde_json::Value = serde_json::from_str(&text[start..]).unwrap();
    let service = model["services"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap();
    service["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

/// `words` without this node's own: `--node-rank N` and `--headless`.
fn shared(words: &[String]) -> Vec<String> {
    studio_core::args::without_flags(words, &[("--node-rank", true), ("--headless", false)])
}

#[test]
fn every_export_validates_and_the_artifacts_agree() {
    let root = std::env::temp_dir().join(format!("deploy-{}", std::process::id()));
    let mut manifests = vec![];
    for (name, link) in SCENARIOS {
        let dir = root.join(name);
        for to in ["config", "nodes", "k8s"] {
            export(link, to, &dir);
        }
        std::fs::write(
            dir.join(".env"),
            "HEAD_NODE_IP=10.0.0.1\nNODE_IP=10.0.0.2\n",
        )
        .unwrap();
        // vLLM's config file and the service that mounts it.
        let config_service = compose_command(&dir.join(format!("{name}.compose.yml")));
        assert_eq!(
            config_service,
            ["--config", "/etc/vllm/config.yaml"],
            "{name}"
        );
        let config = std::fs::read_to_string(dir.join("config.yaml")).unwrap();
        // One file per node: the same arguments, ranks 0..N-1, headless workers.
        let mut nodes = vec![];
        for r in 0.. {
            let f = dir.join(format!("{name}.node{r}.compose.yml"));
            if !f.exists() {
                break;
            }
            nodes.push(compose_command(&f));
        }
        let n = nodes.len();
        assert!(n >= 1, "{name}");
        for (r, words) in nodes.iter().enumerate() {
            assert_eq!(shared(words), shared(&nodes[0]), "{name}: node {r}");
            let at = words.iter().position(|w| w == "--node-rank").unwrap();
            assert_eq!(words[at + 1], r.to_string(), "{name}");
            assert_eq!(
                words.iter().any(|w| w == "--headless"),
                r > 0,
                "{name}: node {r}"
            );
            let nnodes = words.iter().position(|w| w == "--nnodes").unwrap();
            assert_eq!(words[nnodes + 1], n.to_string());
        }
        // Every engine flag of the node command is in the config file, with the same value.
        let mut it = shared(&nodes[0]).into_iter().peekable();
        while let Some(w) = it.next() {
            let Some(flag) = w.strip_prefix("--") else {
                continue;
            };
            if matches!(flag, "nnodes" | "master-addr" | "master-port") {
                it.next();
                continue;
            }
            let value = it.next_if(|v| !v.starts_with("--"));
            let line = match &value {
                Some(v) => format!("{flag}: \"{v}\""),
                None => format!("{flag}: true"),
            };
            assert!(config.contains(&line), "{name}: {line} not in\n{config}");
        }
        let manifest = dir.join(format!("{name}.k8s.yaml"));
        manifests.push(manifest.clone());
        let k8s = std::fs::read_to_string(&manifest).unwrap();
        assert_eq!(k8s.contains("kind: LeaderWorkerSet"), n > 1, "{name}");
        assert_eq!(
            k8s.matches("\"--headless\"").count(),
            usize::from(n > 1),
            "{name}"
        );
        // The ConfigMap holds the same config file.
        for line in config.lines().filter(|l| !l.starts_with('#')) {
            assert!(k8s.contains(&format!("    {line}")), "{name}: {line}");
        }
    }
    // Helm values for the one-node deployment, against the chart's own schema; several nodes
    // are refused with the reason (the chart runs them through Ray).
    let helm_dir = root.join("helm");
    export(SCENARIOS[2].1, "helm", &helm_dir);
    let values = helm_dir.join("reference-dp2.values.yaml");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/data/helm/production-stack-values.schema.json");
    let out = Command::new(tools().join("k8s-check"))
        .arg("--values-schema")
        .arg(&schema)
        .arg(&values)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "helm values: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&values).unwrap();
    assert!(
        text.contains("enablePrefixCaching: true") && text.contains("requestGPU: 4"),
        "{text}"
    );
    let refused = Command::new(env!("CARGO_BIN_EXE_vllm-profile"))
        .args(["export", "--link", SCENARIOS[0].1, "--target", "helm"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("raySpec"));
    // Kubernetes, strictly (one run for all: the validator takes seconds to start).
    let out = Command::new(tools().join("k8s-check"))
        .args(&manifests)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "k8s-check: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).matches("OK ").count(),
        3 * 3,
        "ConfigMap, workload and Service for each"
    );
    let _ = std::fs::remove_dir_all(&root);
}
