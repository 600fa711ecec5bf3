//! Importing Kubernetes manifests the other way: a LeaderWorkerSet (several nodes) or a
//! Deployment (one) with a vLLM container becomes the profile and its deployment — the
//! container's image and `vllm serve` arguments, the GPUs per pod, the group size as nodes.
//! A `--config` file in a ConfigMap of the same text is read as its flags. The per-node flags
//! (`--nnodes`, `--node-rank`, `--master-addr`, `--master-port`, `--headless`) are left out:
//! the deployment says them, and each export writes them again.
use super::command_line::import_command;
use super::export::to_yaml;
use super::import::Imported;
use super::Origin;
use crate::profile::Profile;
use crate::yaml::{self, Node};

fn text(n: &Node) -> Option<String> {
    n.as_str().map(str::to_string)
}

/// The documents of a multi-document YAML text (split on `---` lines), each parsed.
fn documents(source: &str) -> Vec<Node> {
    let mut docs = vec![String::new()];
    for line in source.lines() {
        if line.trim_end() == "---" {
            docs.push(String::new());
        } else {
            let last = docs.last_mut().unwrap();
            last.push_str(line);
            last.push('\n');
        }
    }
    docs.iter()
        .filter(|d| {
            d.lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        })
        .filter_map(|d| yaml::parse(d).ok())
        .collect()
}

/// The profile of a manifest text, or `None` when it holds no LeaderWorkerSet or Deployment.
pub fn import_manifests(source: &str, current: &Profile) -> Option<Imported> {
    let docs = documents(source);
    let kind = |d: &Node| text(d.get("kind")).unwrap_or_default();
    let workload = docs
        .iter()
        .find(|d| matches!(kind(d).as_str(), "LeaderWorkerSet" | "Deployment"))?;
    let (pod, nodes) = if kind(workload) == "LeaderWorkerSet" {
        let t = workload.get("spec").get("leaderWorkerTemplate");
        let leader = t.get("leaderTemplate");
        let pod = if leader.as_map().is_some() {
            leader
        } else {
            t.get("workerTemplate")
        };
        let size = text(t.get("size"))
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(1);
        (pod.get("spec"), size)
    } else {
        (workload.get("spec").get("template").get("spec"), 1)
    };
    let container = pod.get("containers").at(0);
    let mut words: Vec<String> = match container.get("command") {
        Node::Seq(items) => items.iter().filter_map(text).collect(),
        _ => vec![],
    };
    if let Node::Seq(items) = container.get("args") {
        words.extend(items.iter().filter_map(text));
    }
    // `vllm serve` as the image's entrypoint: the args alone.
    if !words
        .first()
        .is_some_and(|w| w.ends_with("vllm") || w == "python3" || w == "python")
    {
        words.splice(0..0, ["vllm".to_string(), "serve".to_string()]);
    }
    // The config file, when the manifest carries it.
    let mut flags: Vec<String> = vec![];
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if w == "--config" {
            let file = docs
                .iter()
                .filter(|d| kind(d) == "ConfigMap")
                .find_map(|d| text(d.get("data").get("config.yaml")));
            if let Some(config) = file.and_then(|t| yaml::parse(&t).ok()) {
                if let Some(entries) = config.as_map() {
                    flags.extend(super::command_line::config_words(entries));
                    i += 2;
                    continue;
                }
            }
        }
        flags.push(w.clone());
        i += 1;
    }
    // The deployment says the per-node flags; each export writes them again.
    let flags = crate::args::without_flags(&flags, &crate::args::PER_NODE_FLAGS);
    let line = flags
        .iter()
        .map(|w| crate::shell::quote(w))
        .collect::<Vec<_>>()
        .join(" ");
    let mut imported = import_command(&line, current).ok()?;
    let p = &mut imported.profile;
    if let Some(image) = text(container.get("image")) {
        match image.rsplit_once(':').filter(|(_, t)| !t.contains('/')) {
            Some((repo, tag)) => {
                p.compose.image = repo.into();
                p.compose.tag = tag.into();
            }
            None => p.compose.image = image,
        }
    }
    let gpus = text(
        container
            .get("resources")
            .get("limits")
            .get("nvidia.com/gpu"),
    )
    .and_then(|g| g.parse::<u32>().ok());
    if let Some(g) = gpus.filter(|g| (1..=64).contains(g)) {
        p.hardware.gpu_count = g;
    }
    p.hardware.nodes = nodes.clamp(1, 64);
    if let Some(name) = text(workload.get("metadata").get("name")) {
        p.compose.service = name;
    }
    imported.notes.insert(
        0,
        format!(
            "Read as a Kubernetes {}: {} node(s) × {} GPUs; the per-node flags come from the \
             deployment.",
            kind(workload),
            p.hardware.nodes,
            p.hardware.gpu_count
        ),
    );
    let service = p.compose.service.clone();
    imported.origin = Origin {
        text: to_yaml(p),
        service: service.clone(),
        base: p.clone(),
    };
    imported.vllm_services = vec![service];
    Some(imported)
}
