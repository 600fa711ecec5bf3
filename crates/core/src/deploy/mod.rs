//! Beyond one box: the deployment beside the profile (the `parallelism` block llm-d and KServe
//! share: tensor, pipeline, data, expert, nodes, GPUs per node) and the artifacts made from the
//! same profile — vLLM's own config file, one compose file per node, Kubernetes manifests.
//! Multi-node follows vLLM 0.33.0's `docs/serving/parallelism_scaling.md`: every node runs the
//! same image, model and engine arguments with `--nnodes`, `--master-addr` and `--master-port`;
//! only `--node-rank` and `--headless` (the workers) differ.
pub mod helm;
pub mod k8s;

use crate::args::negative_spelling;
use crate::catalog::Catalog;
use crate::compose::{dq, to_yaml};
use crate::profile::{ArgValue, Profile};

/// Where the workers find the head node: a placeholder the user replaces (or Compose fills
/// from `.env`), never a guessed address.
pub const MASTER_ADDR: &str = "${HEAD_NODE_IP}";
/// vLLM's default `--master-port` (0.33.0).
pub const MASTER_PORT: u16 = 29501;
/// Where the exported config file is mounted in the container.
pub const CONFIG_PATH: &str = "/etc/vllm/config.yaml";

/// The deployment a profile describes.
#[derive(Clone, Debug, PartialEq)]
pub struct Deployment {
    pub nodes: u32,
    pub gpus_per_node: u32,
    pub tensor: u32,
    pub pipeline: u32,
    pub data: u32,
    /// Data-parallel replicas on each node (`--data-parallel-size-local`; all of them on one).
    pub data_local: u32,
    pub expert: bool,
    /// `nvlink`, `pcie`, `infiniband`, `ethernet`, or empty (not stated).
    pub interconnect: String,
}

impl Deployment {
    /// The deployment of `p`: its parallel sizes and the hardware's nodes and GPUs per node.
    pub fn of(p: &Profile) -> Deployment {
        let size = |flag: &str| p.int(flag).unwrap_or(1).max(1) as u32;
        Deployment {
            nodes: p.hardware.nodes.max(1),
            gpus_per_node: p.hardware.gpu_count.max(1),
            tensor: size("tensor-parallel-size"),
            pipeline: size("pipeline-parallel-size"),
            data: size("data-parallel-size"),
            data_local: p
                .int("data-parallel-size-local")
                .map(|n| n.max(1) as u32)
                .unwrap_or_else(|| size("data-parallel-size").div_ceil(p.hardware.nodes.max(1))),
            expert: p.flag_on("enable-expert-parallel") == Some(true),
            interconnect: p.hardware.interconnect.clone(),
        }
    }

    /// GPUs over all nodes.
    pub fn gpus(&self) -> u32 {
        self.nodes * self.gpus_per_node
    }

    /// Ranks vLLM starts: TP × PP × DP.
    pub fn ranks(&self) -> u32 {
        self.tensor * self.pipeline * self.data
    }
}

/// The profile as one node of a multi-node deployment runs it: the shared arguments plus this
/// node's rank (`--headless` on the workers), host networking and IPC, the node's own address.
pub fn node_profile(p: &Profile, rank: u32) -> Profile {
    let d = Deployment::of(p);
    let mut n = p.clone();
    let word = |v: String| ArgValue::word(v);
    n.set("nnodes", word(d.nodes.to_string()));
    n.set("node-rank", word(rank.to_string()));
    n.set("master-addr", word(MASTER_ADDR.into()));
    n.set("master-port", word(MASTER_PORT.to_string()));
    if rank > 0 {
        n.set("headless", ArgValue::Switch(true));
    } else {
        n.unset("headless");
    }
    n.compose.ipc_host = true;
    // Host networking: the ranks reach each other on the hosts' addresses, so no port mapping.
    n.compose.host_port.clear();
    n.compose
        .kept
        .retain(|(k, _)| k != "network_mode" && k != "ports");
    n.compose
        .kept
        .push(("network_mode".into(), "\"host\"".into()));
    n.compose.extra_env.retain(|(k, _)| k != "VLLM_HOST_IP");
    n.compose
        .extra_env
        .push(("VLLM_HOST_IP".into(), "${NODE_IP}".into()));
    if !n.compose.container_name.is_empty() {
        n.compose.container_name = format!("{}-node{rank}", n.compose.container_name);
    }
    n
}

/// One compose file per node, named `<service>.node<rank>.compose.yml`, rank 0 first.
pub fn node_files(p: &Profile) -> Vec<(String, String)> {
    let d = Deployment::of(p);
    (0..d.nodes)
        .map(|r| {
            (
                format!("{}.node{r}.compose.yml", p.compose.service),
                to_yaml(&node_profile(p, r)),
            )
        })
        .collect()
}

/// The run order of the node files, for the README of the download.
pub fn run_order(p: &Profile) -> String {
    let d = Deployment::of(p);
    let mut out = format!(
        "# {} nodes × {} GPUs, TP {} × PP {} × DP {}\n\
         # On every node: put HEAD_NODE_IP (node 0's address) and NODE_IP (this node's) in .env\n\
         # beside its file; all nodes need the same image and model files.\n",
        d.nodes, d.gpus_per_node, d.tensor, d.pipeline, d.data
    );
    for (r, (name, _)) in node_files(p).iter().enumerate() {
        let what = if r == 0 {
            "head: serves the API on its port".to_string()
        } else {
            "worker: --headless, no API server".to_string()
        };
        out += &format!(
            "{}. node {r} ({what}): docker compose -f {name} up -d\n",
            r + 1
        );
    }
    out += "Start the workers within a minute of the head; the head waits for every rank.\n";
    out
}

/// vLLM's own config file (`vllm serve --config FILE`, 0.7.3 and later): the flags as YAML keys
/// by their long names. 0.33.0's loader (`argparse_utils.py::load_config_file`) turns `true`
/// into the flag, a list into the flag and its items, a mapping into JSON; `false` becomes the
/// `--no-` spelling only where one exists, so negatives are written as that spelling: `true`.
/// JSON flags stay JSON strings (what the command would pass).
pub fn vllm_config(p: &Profile) -> String {
    let catalog = Catalog::get();
    let mut y = String::from("# vllm serve --config config.yaml (long flag names as keys)\n");
    if !p.model.is_empty() {
        y += &format!("model: {}\n", dq(&p.model));
    }
    for arg in &p.args {
        match &arg.value {
            ArgValue::Switch(true) => y += &format!("{}: true\n", arg.name),
            ArgValue::Switch(false) => {
                let no = negative_spelling(catalog, &arg.name);
                y += &format!("{}: true\n", no.trim_start_matches("--"));
            }
            ArgValue::Words(w) if w.len() == 1 => y += &format!("{}: {}\n", arg.name, dq(&w[0])),
            ArgValue::Words(w) if w.is_empty() => y += &format!("{}: true\n", arg.name),
            ArgValue::Words(w) => {
                y += &format!("{}:\n", arg.name);
                for item in w {
                    y += &format!("  - {}\n", dq(item));
                }
            }
        }
    }
    y
}

/// The compose service that runs the profile from the config file, mounted read-only beside
/// the compose file as `config.yaml`.
pub fn config_compose(p: &Profile) -> String {
    let mut c = p.clone();
    c.args.clear();
    c.model.clear();
    c.model_positional = false;
    c.stray.clear();
    c.set("config", ArgValue::word(CONFIG_PATH));
    // The file's own volumes stay; the config file joins them.
    let mut volumes: Vec<serde_json::Value> = c
        .compose
        .kept
        .iter()
        .find(|(k, _)| k == "volumes")
        .and_then(|(_, v)| serde_json::from_str::<serde_json::Value>(v).ok())
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    volumes.push(format!("./config.yaml:{CONFIG_PATH}:ro").into());
    c.compose.kept.retain(|(k, _)| k != "volumes");
    c.compose.kept.push((
        "volumes".into(),
        serde_json::Value::Array(volumes).to_string(),
    ));
    to_yaml(&c)
}

#[cfg(test)]
mod tests;
