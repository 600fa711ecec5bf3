//! Kubernetes manifests from the profile: a ConfigMap with vLLM's config file, then a
//! Deployment (one node) or a LeaderWorkerSet (several: the leader is node 0, each worker a
//! `--headless` rank, `LWS_LEADER_ADDRESS` / `LWS_WORKER_INDEX` from the LWS controller), and a
//! Service on the API port. GPU limits per pod, `/dev/shm` in memory, `HF_TOKEN` from a Secret
//! reference, a start-up budget sized from the weights and readiness on `/health`.
use super::{vllm_config, Deployment, CONFIG_PATH, MASTER_PORT};
use crate::compose::dq;
use crate::profile::Profile;

/// The container port vLLM serves on (`--port`, default 8000).
fn api_port(p: &Profile) -> i64 {
    p.int("port")
        .filter(|n| (1..65536).contains(n))
        .unwrap_or(8000)
}

/// A DNS-1123 name from the service name (`vllm` when nothing usable is left).
pub fn resource_name(service: &str) -> String {
    let mut out = String::new();
    for c in service.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(40).collect();
    if out.is_empty() {
        "vllm".into()
    } else {
        out.trim_end_matches('-').to_string()
    }
}

/// Seconds the pod may take to start before Kubernetes restarts it: ten minutes, plus a minute
/// per 10 GiB of weights to read (from a cold cache, over the network).
pub fn startup_budget_secs(weights_gib: Option<f64>) -> u32 {
    600 + (weights_gib.unwrap_or(0.0) / 10.0).ceil() as u32 * 60
}

/// Indents every line of `text` by `n` spaces.
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The container spec (at `indent` 0): image, args, env, GPU limits, mounts, probes.
fn container(p: &Profile, args: &[String], leader: bool, budget: u32) -> String {
    let d = Deployment::of(p);
    let image = crate::compose::image_ref(&p.compose);
    let mut y = format!("name: vllm\nimage: {}\n", dq(&image));
    y += "command: [\"vllm\", \"serve\"]\nargs:\n";
    for a in args {
        y += &format!("  - {}\n", dq(a));
    }
    y += "env:\n";
    if p.compose.hf_token {
        y += "  - name: HF_TOKEN\n    valueFrom:\n      secretKeyRef:\n        name: hf-token\n        key: token\n";
    }
    y += "  - name: VLLM_HOST_IP\n    valueFrom:\n      fieldRef:\n        fieldPath: status.podIP\n";
    for (k, v) in &p.compose.extra_env {
        if k != "VLLM_HOST_IP" {
            y += &format!("  - name: {}\n    value: {}\n", dq(k), dq(v));
        }
    }
    if leader {
        y += &format!(
            "ports:\n  - name: http\n    containerPort: {}\n",
            api_port(p)
        );
    }
    y += &format!(
        "resources:\n  limits:\n    nvidia.com/gpu: {}\n",
        d.gpus_per_node
    );
    y += "volumeMounts:\n  - name: dshm\n    mountPath: /dev/shm\n  - name: config\n    mountPath: /etc/vllm\n    readOnly: true\n";
    if leader {
        let port = api_port(p);
        y += &format!(
            "startupProbe:\n  httpGet:\n    path: /health\n    port: {port}\n  periodSeconds: 10\n  failureThreshold: {}\n",
            budget.div_ceil(10)
        );
        y += &format!(
            "readinessProbe:\n  httpGet:\n    path: /health\n    port: {port}\n  periodSeconds: 10\n"
        );
    }
    y
}

/// The pod spec: one container, the shared-memory and config volumes.
fn pod_spec(p: &Profile, args: &[String], leader: bool, budget: u32, name: &str) -> String {
    let mut y = String::from("containers:\n");
    let c = container(p, args, leader, budget);
    let mut lines = c.lines();
    if let Some(first) = lines.next() {
        y += &format!("  - {first}\n");
        for l in lines {
            y += &format!("    {l}\n");
        }
    }
    y += "volumes:\n  - name: dshm\n    emptyDir:\n      medium: Memory\n";
    y += &format!("  - name: config\n    configMap:\n      name: {name}-config\n");
    y
}

/// The manifests for `p`, as one multi-document YAML text.
pub fn manifests(p: &Profile, weights_gib: Option<f64>) -> String {
    let d = Deployment::of(p);
    let name = resource_name(&p.compose.service);
    let budget = startup_budget_secs(weights_gib);
    let mut out = format!(
        "# {name}: {} node(s) × {} GPUs, TP {} × PP {} × DP {}. HF_TOKEN, when used, comes\n\
         # from the Secret `hf-token` (key `token`), created separately.\n",
        d.nodes, d.gpus_per_node, d.tensor, d.pipeline, d.data
    );
    out += &format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}-config\ndata:\n  config.yaml: |\n{}",
        indent(&vllm_config(p), 4)
    );
    let config = vec!["--config".to_string(), CONFIG_PATH.to_string()];
    let labels = format!("app.kubernetes.io/name: {name}\n");
    if d.nodes <= 1 {
        out += "---\napiVersion: apps/v1\nkind: Deployment\n";
        out += &format!(
            "metadata:\n  name: {name}\n  labels:\n{}",
            indent(&labels, 4)
        );
        out += &format!(
            "spec:\n  replicas: 1\n  selector:\n    matchLabels:\n{}  template:\n    metadata:\n      labels:\n{}    spec:\n{}",
            indent(&labels, 6),
            indent(&labels, 8),
            indent(&pod_spec(p, &config, true, budget, &name), 6)
        );
        out += &service(p, &name, &format!("app.kubernetes.io/name: {name}\n"));
        return out;
    }
    let shared = |rank: &str, headless: bool| {
        let mut a = config.clone();
        a.extend([
            "--nnodes".into(),
            d.nodes.to_string(),
            "--node-rank".into(),
            rank.to_string(),
            "--master-addr".into(),
            "$(LWS_LEADER_ADDRESS)".into(),
            "--master-port".into(),
            MASTER_PORT.to_string(),
        ]);
        if headless {
            a.push("--headless".into());
        }
        a
    };
    out += "---\napiVersion: leaderworkerset.x-k8s.io/v1\nkind: LeaderWorkerSet\n";
    out += &format!(
        "metadata:\n  name: {name}\n  labels:\n{}",
        indent(&labels, 4)
    );
    out += &format!(
        "spec:\n  replicas: 1\n  leaderWorkerTemplate:\n    size: {}\n    restartPolicy: RecreateGroupOnPodRestart\n",
        d.nodes
    );
    out += &format!(
        "    leaderTemplate:\n      metadata:\n        labels:\n          role: leader\n      spec:\n{}",
        indent(&pod_spec(p, &shared("0", false), true, budget, &name), 8)
    );
    out += &format!(
        "    workerTemplate:\n      spec:\n{}",
        indent(
            &pod_spec(
                p,
                &shared("$(LWS_WORKER_INDEX)", true),
                false,
                budget,
                &name
            ),
            8
        )
    );
    out += &service(
        p,
        &name,
        &format!("leaderworkerset.sigs.k8s.io/name: {name}\nrole: leader\n"),
    );
    out
}

fn service(p: &Profile, name: &str, selector: &str) -> String {
    format!(
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n{}  ports:\n    - name: http\n      port: {port}\n      targetPort: {port}\n",
        indent(selector, 4),
        port = api_port(p)
    )
}
