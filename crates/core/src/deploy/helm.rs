//! Values for vLLM's production-stack Helm chart (`vllm-stack` 0.1.12; its schema and how its
//! template builds the command: data/helm/SOURCE.md). The flags the chart has fields for go
//! into `vllmConfig`, every other flag into `vllmConfig.extraArgs` as written.
use super::{k8s::resource_name, Deployment};
use crate::compose::dq;
use crate::profile::{ArgValue, Profile};
use serde_json::Value;

/// Flags with a `vllmConfig` field of their own, and the field.
const FIELDS: [(&str, &str); 6] = [
    ("max-model-len", "maxModelLen"),
    ("tensor-parallel-size", "tensorParallelSize"),
    ("max-num-seqs", "maxNumSeqs"),
    ("gpu-memory-utilization", "gpuMemoryUtilization"),
    ("dtype", "dtype"),
    ("enable-chunked-prefill", "enableChunkedPrefill"),
];

/// The values file, or why the chart cannot express the profile.
pub fn values(p: &Profile) -> Result<String, String> {
    let d = Deployment::of(p);
    if d.nodes > 1 {
        return Err(
            "several nodes: the chart runs those through Ray (raySpec), which this export does \
             not write; use the Kubernetes export (a LeaderWorkerSet)"
                .into(),
        );
    }
    let name = resource_name(&p.compose.service);
    let mut y = format!(
        "# Values for vLLM's production-stack chart (vllm-stack 0.1.12): helm install {name} \
         vllm/vllm-stack -f this-file\nservingEngineSpec:\n  modelSpec:\n    - name: {}\n",
        dq(&name)
    );
    y += &format!("      repository: {}\n", dq(&p.compose.image));
    y += &format!("      tag: {}\n", dq(&p.compose.tag));
    y += &format!("      modelURL: {}\n", dq(&p.model_id()));
    y += "      replicaCount: 1\n";
    y += &format!("      requestGPU: {}\n", d.tensor * d.pipeline * d.data);
    if p.compose.hf_token {
        y += "      hf_token:\n        secretName: \"hf-token\"\n        secretKey: \"token\"\n";
    }
    y += "      vllmConfig:\n";
    // The chart passes --no-enable-prefix-caching unless this is true: always say it.
    let caching = p.effective("enable-prefix-caching");
    y += &format!(
        "        enablePrefixCaching: {}\n",
        caching.as_bool().unwrap_or(true)
    );
    let mut extra: Vec<String> = vec![];
    for arg in &p.args {
        let field = FIELDS.iter().find(|(f, _)| *f == arg.name).map(|(_, k)| *k);
        match (field, &arg.value) {
            (Some(k), ArgValue::Switch(b)) => y += &format!("        {k}: {b}\n"),
            (Some(k), ArgValue::Words(w)) if w.len() == 1 => {
                // Numbers as numbers (the schema's integer fields), the rest as strings.
                let v = match w[0].parse::<i64>() {
                    Ok(n) if k != "dtype" => n.to_string(),
                    _ => match w[0].parse::<f64>() {
                        Ok(x) if k == "gpuMemoryUtilization" => Value::from(x).to_string(),
                        _ => dq(&w[0]),
                    },
                };
                y += &format!("        {k}: {v}\n");
            }
            _ if arg.name == "enable-prefix-caching" || arg.name == "port" => {}
            _ => extra.extend(
                crate::args::to_words(&Profile {
                    args: vec![arg.clone()],
                    ..Profile::default()
                })
                .into_iter()
                .filter(|w| w != "--model"),
            ),
        }
    }
    if !extra.is_empty() {
        y += "        extraArgs:\n";
        for w in extra {
            y += &format!("          - {}\n", dq(&w));
        }
    }
    Ok(y)
}
