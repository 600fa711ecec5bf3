//! Compose and infrastructure rules: image tag, shared memory, healthcheck, secrets.
use super::{params, Finding, Fix, FixOp, Inputs, RuleId, Severity::*};
use crate::catalog::SECRET_FLAGS;
use crate::compose::{compose_problems, image_ref};
use crate::critical::Category::*;
use crate::profile::{ArgValue, Healthcheck};
use crate::values::num;
use crate::version::release_of_image;

use crate::compose::duration_secs;

pub(super) fn check(inputs: &Inputs, out: &mut Vec<Finding>) {
    compose_values(inputs, out);
    image_tag(inputs, out);
    shared_memory(inputs, out);
    match &inputs.profile.compose.healthcheck {
        None => out.push(healthcheck_missing()),
        Some(h) => {
            healthcheck_port(inputs, h, out);
            healthcheck_binary(inputs, h, out);
            healthcheck_start_period(inputs, h, out);
        }
    }
    literal_secrets(inputs, out);
    launch_script(inputs, out);
}

/// `compose-value-invalid`: a compose setting Compose would refuse (kept as written, so the
/// exports show it; the setting table says what Compose accepts).
fn compose_values(inputs: &Inputs, out: &mut Vec<Finding>) {
    for (key, problem) in compose_problems(inputs.profile) {
        out.push(Finding {
            id: RuleId::ComposeValueInvalid,
            severity: Error,
            category: Infrastructure,
            params: params(&[key]),
            message: format!("{problem}; Compose refuses the file."),
            source: "Compose Specification (compose-spec.json)",
            fix: None,
        });
    }
}

/// `launch-script`: the command is a shell script, so what vLLM gets cannot be read here.
fn launch_script(inputs: &Inputs, out: &mut Vec<Finding>) {
    if inputs.profile.compose.kept_entry("command").is_none() {
        return;
    }
    out.push(Finding {
        id: RuleId::LaunchScript,
        severity: Warning,
        category: Infrastructure,
        params: Vec::new(),
        message: "The service starts vLLM from a shell script (`entrypoint: [sh, -c]`): its \
                  arguments are not read, so the flag, value, model and memory checks did not \
                  run. A command of flags (vLLM's own entrypoint) can be checked."
            .into(),
        source: "Compose Specification, entrypoint/command",
        fix: None,
    });
}

/// `image-latest`, `image-version-mismatch`: the image tag against the selected release.
fn image_tag(inputs: &Inputs, out: &mut Vec<Finding>) {
    let c = &inputs.profile.compose;
    let release = inputs.profile.vllm_version;
    let pinned = format!("v{release}");
    if c.image.contains("vllm-openai") {
        if c.tag == "latest" {
            out.push(Finding {
                id: RuleId::ImageLatest,
                severity: Warning,
                category: Infrastructure,
                params: params(&["tag"]),
                message: format!(
                    "The tag `latest` moves with every vLLM release, so the flags \
                    checked here for {release} may not be the ones it runs; pin {pinned}."
                ),
                source: "Docker Hub vllm/vllm-openai tags; vllm-flag-history.md (flags \
                    change between releases)",
                fix: Some(Fix {
                    label: format!("Pin {pinned}"),
                    ops: vec![FixOp::Tag(pinned.clone())],
                }),
            });
        } else if let Some(tagged) = release_of_image(&image_ref(c)) {
            if tagged != release {
                out.push(Finding {
                    id: RuleId::ImageVersionMismatch,
                    severity: Warning,
                    category: Infrastructure,
                    params: params(&["tag", "vllm-version"]),
                    message: format!(
                        "The image runs vLLM {tagged} but the profile is checked \
                        against {release}."
                    ),
                    source: "vllm/vllm-openai image tags follow vLLM releases",
                    fix: Some(Fix {
                        label: format!("Use image {pinned}"),
                        ops: vec![FixOp::Tag(pinned.clone())],
                    }),
                });
            }
        }
    }
}

/// `shm-for-tp`: several GPU workers need shared memory beyond Docker's 64 MB.
fn shared_memory(inputs: &Inputs, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    let c = &p.compose;
    let tp =
        p.int("tensor-parallel-size").unwrap_or(1) * p.int("pipeline-parallel-size").unwrap_or(1);
    if tp > 1 && !c.ipc_host && !crate::compose::is_size(&c.shm_size) {
        out.push(Finding {
            id: RuleId::ShmForTp,
            severity: Error,
            category: GpuParallelism,
            params: params(&["ipc", "shm-size", "tensor-parallel-size"]),
            message: format!("With {tp} GPU workers, vLLM's processes exchange data through \
                /dev/shm; Docker's default 64 MB makes NCCL fail at start. Use ipc: host or a large shm_size."),
            source: "vLLM docs, \"Using Docker\" (--ipc=host or --shm-size); NCCL \
                shared-memory transport",
            fix: Some(Fix {
                label: "Use ipc: host".into(),
                ops: vec![FixOp::IpcHost],
            }),
        });
    }
}

/// `healthcheck-missing`.
fn healthcheck_missing() -> Finding {
    Finding {
        id: RuleId::HealthcheckMissing,
        severity: Info,
        category: Infrastructure,
        params: params(&["healthcheck"]),
        message: "No healthcheck: Compose cannot tell a loading or crashed \
                        server from a ready one."
            .into(),
        source: "Compose Specification, healthcheck; vLLM serves GET /health",
        fix: None,
    }
}

/// `healthcheck-port`: the probe must call the port vLLM listens on.
fn healthcheck_port(inputs: &Inputs, h: &Healthcheck, out: &mut Vec<Finding>) {
    let port = inputs.profile.container_port();
    let text = h.test.join(" ");
    if text.contains("localhost:") || text.contains("127.0.0.1:") {
        let used = text
            .split([':', '/'])
            .find_map(|w| w.parse::<i64>().ok().filter(|n| *n > 0 && *n < 65536));
        if let Some(used) = used.filter(|u| *u != port) {
            out.push(Finding {
                id: RuleId::HealthcheckPort,
                severity: Warning,
                category: Infrastructure,
                params: params(&["healthcheck", "port"]),
                message: format!(
                    "The healthcheck calls port {used} but vLLM listens on {port}; \
                        the container never turns healthy."
                ),
                source: "Compose Specification, healthcheck",
                fix: Some(Fix {
                    label: format!("Check port {port}"),
                    ops: vec![FixOp::HealthTest(
                        h.test
                            .iter()
                            .map(|t| t.replace(&format!(":{used}"), &format!(":{port}")))
                            .collect(),
                    )],
                }),
            });
        }
    }
}

/// `healthcheck-binary`: curl/wget are not in every vLLM image; python3 is.
fn healthcheck_binary(inputs: &Inputs, h: &Healthcheck, out: &mut Vec<Finding>) {
    let port = inputs.profile.container_port();
    if h.test.get(1).is_some_and(|b| b == "curl" || b == "wget") {
        let probe = vec![
            "CMD".into(),
            "python3".into(),
            "-c".into(),
            format!(
                "import urllib.request; \
                urllib.request.urlopen('http://localhost:{port}/health')"
            ),
        ];
        out.push(Finding {
            id: RuleId::HealthcheckBinary,
            severity: Info,
            category: Infrastructure,
            params: params(&["healthcheck"]),
            message: format!(
                "The healthcheck needs `{}` inside the image; python3 is \
                    always there, {} only in images whose base installs it.",
                h.test[1], h.test[1]
            ),
            source: "vLLM docker/Dockerfile (vllm-base stage installs python3; the \
                tools beside it vary by release)",
            fix: Some(Fix {
                label: "Probe with python3".into(),
                ops: vec![FixOp::HealthTest(probe)],
            }),
        });
    }
}

/// `healthcheck-start-period`: loading the weights takes minutes.
fn healthcheck_start_period(inputs: &Inputs, h: &Healthcheck, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    let weights_gib = inputs
        .model
        .map(|m| crate::memory::weights_total_gib(m, p))
        .unwrap_or(0.0);
    // Loading reads the weights and compiles CUDA graphs: a few minutes for tens of GiB.
    let needed = if weights_gib > 8.0 { 300.0 } else { 120.0 };
    let period = if h.start_period.is_empty() {
        Some(0.0)
    } else {
        duration_secs(&h.start_period)
    };
    if let Some(secs) = period.filter(|s| *s < needed) {
        out.push(Finding {
            id: RuleId::HealthcheckStartPeriod,
            severity: Warning,
            category: Infrastructure,
            params: params(&["healthcheck"]),
            message: format!(
                "start_period {}s is short for {:.0} GiB of weights plus graph \
                    capture; failed checks count and the container may be marked unhealthy while still loading.",
                num(secs),
                weights_gib
            ),
            source: "Compose Specification, healthcheck.start_period",
            fix: Some(Fix {
                label: format!("Wait {}s", num(needed)),
                ops: vec![FixOp::StartPeriod(format!("{}s", num(needed)))],
            }),
        });
    }
}

/// `secret-literal`: `--api-key` / `--hf-token` given as text instead of a variable.
fn literal_secrets(inputs: &Inputs, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    for name in SECRET_FLAGS {
        if let Some(ArgValue::Words(w)) = p.get(name) {
            if w.iter().any(|v| !v.is_empty() && !v.starts_with('$')) {
                let var = format!("${{{}}}", name.replace('-', "_").to_ascii_uppercase());
                out.push(Finding {
                    id: RuleId::SecretLiteral,
                    severity: Error,
                    category: Infrastructure,
                    params: params(&[name]),
                    message: format!(
                        "--{name} holds a literal secret; it ends up in the compose \
                        file and in `docker inspect`. Use {var} from .env."
                    ),
                    source: "Compose Specification, interpolation (.env)",
                    fix: Some(Fix {
                        label: format!("Read it from {var}"),
                        ops: vec![FixOp::Set(name.to_string(), ArgValue::word(var))],
                    }),
                });
            }
        }
    }
}
