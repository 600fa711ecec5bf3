//! Reading an existing compose file into a profile. Nothing the file says about the vLLM command is
//! dropped silently: removed and unknown flags are kept, and every change is reported as a note.
use super::edit::Origin;
use super::interpolate::{interpolate, Env};
use super::HF_CACHE_MOUNT;
use crate::args::parse_marked;
use crate::profile::{ComposeSettings, GpuDevices, Healthcheck, Profile};
use crate::shell;
use crate::version::{nearest_sampled, release_of_image, releases, LATEST};
use crate::yaml::{self, Node};
use std::fmt;

/// Why a file could not be imported, with its place when the YAML itself is broken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// 1-based line and column of a YAML syntax error.
    pub location: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, col)) => write!(f, "line {line}, column {col}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A successful import: the profile, what the reader changed or could not keep, and the file
/// itself, which exports write edits back into.
#[derive(Clone, Debug)]
pub struct Imported {
    pub profile: Profile,
    pub notes: Vec<String>,
    pub origin: Origin,
    /// Every service of the file that runs vLLM, in file order (the picker's choices).
    pub vllm_services: Vec<String>,
    /// The service's `entrypoint:` words as written (empty: the image's own).
    pub entrypoint: Vec<String>,
}

impl Imported {
    /// The entrypoint when it is a shell script, whose vLLM arguments cannot be read or edited
    /// statically (`bash -c "…"`, `sh script.sh`, `/start.sh`).
    pub fn script_entrypoint(&self) -> Option<String> {
        let shell = self.entrypoint.first().is_some_and(|w| is_shell(w));
        let script = self.entrypoint.iter().any(|w| w.ends_with(".sh"));
        (shell || script).then(|| self.entrypoint.join(" "))
    }
}

/// Whether a program is a POSIX-style shell (`/bin/sh`, `bash`, …).
fn is_shell(program: &str) -> bool {
    let name = program.rsplit('/').next().unwrap_or(program);
    ["sh", "bash", "dash", "zsh", "ash"].contains(&name)
}

/// Whether the entrypoint runs the command as a shell script (`[/bin/sh, -c]`).
fn runs_command_as_script(entrypoint: &[String]) -> bool {
    entrypoint.first().is_some_and(|w| is_shell(w)) && entrypoint.last().is_some_and(|w| w == "-c")
}

fn err(message: impl Into<String>) -> ImportError {
    ImportError {
        location: None,
        message: message.into(),
    }
}

/// A scalar as text (`5002`, `true`, `0.95`, `"x"`).
fn scalar(y: &Node) -> Option<String> {
    y.as_str().map(str::to_string)
}

/// What an import says of the hardware: a file names no GPU model, so it is left unstated (the
/// GPU checks wait for the user to pick one); the count is the device reservation's, else what
/// the parallel sizes need (TP × PP); the nodes are `--nnodes` (one node file of a set).
pub(crate) fn stated_hardware(p: &Profile, reserved: Option<u32>) -> crate::profile::Hardware {
    let size = |flag| p.int(flag).unwrap_or(1).clamp(1, 64) as u32;
    crate::profile::Hardware {
        gpu: crate::gpu::UNSTATED_GPU.into(),
        gpu_count: reserved
            .unwrap_or_else(|| size("tensor-parallel-size") * size("pipeline-parallel-size"))
            .clamp(1, 64),
        gpu_memory_gib: None,
        // A node file of a multi-node deployment says how many nodes there are (`--nnodes`).
        nodes: p.int("nnodes").unwrap_or(1).clamp(1, 64) as u32,
        ..Default::default()
    }
}

/// The import note that asks for the GPU model.
pub(crate) const UNSTATED_GPU_NOTE: &str = "The file does not say which GPU it runs on: pick \
    the GPU model so that the memory and GPU checks can run (until then they are skipped and \
    the score is partial).";

/// Reads `text` as a compose file. The release comes from `current`, except that an image tag
/// naming a known release (`v0.11.0`) selects that release; the hardware is what the file says
/// ([`stated_hardware`]). The first vLLM service is
/// imported; [`import_service`] picks another.
pub fn import_compose(text: &str, current: &Profile) -> Result<Imported, ImportError> {
    import_service(text, current, None)
}

/// What Compose itself would refuse or need from elsewhere, in plain words: included files,
/// services with neither `image` nor `build` (an override file), `env_file`s, networks the
/// service uses that the file does not declare.
fn file_notes(doc: &Node, services: &[(String, Node)], svc: &Node) -> Vec<String> {
    let mut notes = Vec::new();
    let words = |n: &Node| -> Vec<String> {
        match n {
            Node::Seq(items) => items
                .iter()
                .filter_map(|i| scalar(i).or_else(|| scalar(i.get("path"))))
                .collect(),
            Node::Scalar { text, .. } => vec![text.clone()],
            Node::Map(entries) => entries.iter().map(|(k, _)| k.clone()).collect(),
            Node::Null => Vec::new(),
        }
    };
    let included = words(doc.get("include"));
    if !included.is_empty() {
        notes.push(format!(
            "The file includes {}: Compose reads them first; what they define is not checked here.",
            included.join(", ")
        ));
    }
    for (name, s) in services {
        if s.get("image") == &Node::Null && s.get("build") == &Node::Null {
            notes.push(format!(
                "Service `{name}` has neither `image` nor `build`: Compose refuses the file on its \
                 own (an override meant for `-f base.yml -f this.yml`?)."
            ));
        }
    }
    let env_files = words(svc.get("env_file"));
    if !env_files.is_empty() {
        notes.push(format!(
            "Compose needs {} beside the file (`env_file`).",
            env_files.join(", ")
        ));
    }
    let declared = words(doc.get("networks"));
    for net in words(svc.get("networks")) {
        if !declared.contains(&net) && net != "default" {
            notes.push(format!(
                "Network `{net}` is used but not declared under the top-level `networks:`: Compose \
                 refuses it."
            ));
        }
    }
    notes
}

/// Variables Compose cannot do without in the service's settings (outside the command, which
/// the checks read): a required `${VAR:?}` without a value, a volume whose source is empty.
fn variable_notes(svc: &Node, env: &Env) -> Vec<String> {
    fn scalars<'a>(n: &'a Node, out: &mut Vec<&'a str>) {
        match n {
            Node::Scalar { text, .. } => out.push(text),
            Node::Seq(items) => items.iter().for_each(|i| scalars(i, out)),
            Node::Map(entries) => entries.iter().for_each(|(_, v)| scalars(v, out)),
            Node::Null => {}
        }
    }
    let mut notes = Vec::new();
    let mut texts = Vec::new();
    if let Node::Map(entries) = svc {
        for (key, value) in entries.iter().filter(|(k, _)| k != "command") {
            texts.clear();
            scalars(value, &mut texts);
            for t in &texts {
                match interpolate(t, env) {
                    Err(e) => notes.push(format!("Compose refuses the file ({key}): {e}.")),
                    Ok(r) if key == "volumes" && r.text.starts_with(':') => notes.push(format!(
                        "Volume `{t}` has an empty source while {} is unset: Compose refuses it.",
                        r.unresolved.join(", ")
                    )),
                    Ok(_) => {}
                }
            }
        }
    }
    notes
}

/// The service's entries the profile does not model exactly, as JSON: every entry it has no
/// field for, and a modelled one written in a way the fields cannot say (`ipc: shareable`, a
/// port bound to an address, a deploy block with limits, volumes besides the HF cache, …).
fn kept_entries(svc: &Node, container_port: i64, script_command: bool) -> Vec<(String, String)> {
    let Some(entries) = svc.as_map() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in entries {
        let keep = match key.as_str() {
            "image" | "container_name" | "shm_size" | "restart" => None,
            // A script run through `sh -c` is kept as written; flags are modelled.
            "command" => script_command.then(|| value.to_json()),
            // Entries passed through from the host (`- NAME`, `NAME:` with no value) have no
            // field: the block is kept as written.
            "environment" => {
                let through = match value {
                    Node::Seq(items) => items
                        .iter()
                        .any(|i| scalar(i).is_some_and(|t| !t.contains('='))),
                    Node::Map(m) => m.iter().any(|(_, v)| v == &Node::Null),
                    _ => false,
                };
                through.then(|| value.to_json())
            }
            "ipc" => (scalar(value).as_deref() != Some("host")).then(|| value.to_json()),
            "ports" => (!plain_ports(value, container_port)).then(|| value.to_json()),
            // The whole list, in its order, when it has more than the HF cache (which the
            // export puts in the place of the HF item).
            "volumes" => {
                let items = value.as_seq().unwrap_or_default();
                let hf = |v: &Node| scalar(v).is_some_and(|t| t.ends_with(HF_CACHE_MOUNT));
                (!items.iter().all(hf)).then(|| value.to_json())
            }
            "deploy" => (!plain_deploy(value)).then(|| value.to_json()),
            "healthcheck" => (!plain_healthcheck(value)).then(|| value.to_json()),
            _ => Some(value.to_json()),
        };
        if let Some(json) = keep {
            out.push((key.clone(), json.to_string()));
        }
    }
    out
}

/// One `"HOST:CONTAINER"` mapping to the port vLLM listens on: what `host-port` says.
fn plain_ports(value: &Node, container_port: i64) -> bool {
    let items = value.as_seq().unwrap_or_default();
    let Some(text) = items.first().and_then(scalar).filter(|_| items.len() == 1) else {
        return false;
    };
    let parts = split_outside_braces(&text, ':');
    parts.len() == 2 && parts[1] == container_port.to_string()
}

/// A deploy block that only reserves NVIDIA GPUs (count or ids): what `devices` says.
fn plain_deploy(value: &Node) -> bool {
    let only = |n: &Node, key: &str| n.as_map().is_some_and(|m| m.len() == 1 && m[0].0 == key);
    let reservations = value.get("resources").get("reservations");
    let devices = reservations.get("devices").as_seq().unwrap_or_default();
    let device = devices.first().and_then(Node::as_map).unwrap_or_default();
    let known = device.iter().all(|(k, v)| match k.as_str() {
        "driver" => scalar(v).as_deref() == Some("nvidia"),
        "count" | "device_ids" => true,
        "capabilities" => v
            .as_seq()
            .is_some_and(|c| c.len() == 1 && scalar(&c[0]).as_deref() == Some("gpu")),
        _ => false,
    });
    only(value, "resources")
        && only(value.get("resources"), "reservations")
        && only(reservations, "devices")
        && devices.len() == 1
        && known
}

/// A health check with the fields the form has (retries included: the export writes them).
fn plain_healthcheck(value: &Node) -> bool {
    let fields = ["test", "interval", "timeout", "retries", "start_period"];
    value
        .as_map()
        .is_some_and(|m| m.iter().all(|(k, _)| fields.contains(&k.as_str())))
        && value.get("retries") != &Node::Null
        && value.get("test").as_seq().is_some()
}

/// Whether a service runs vLLM: a vLLM image (`vllm/vllm-openai`, `rocm/vllm`, …), or a
/// command or entrypoint that starts it (`vllm serve`, `python3 -m vllm.entrypoints…`). A
/// client that merely names a vLLM server in its arguments does not count.
fn runs_vllm(svc: &Node) -> bool {
    let starts_vllm = |n: &Node| {
        let words: Vec<String> = match n {
            Node::Scalar { text, .. } => text.split_whitespace().map(str::to_string).collect(),
            Node::Seq(items) => items.iter().filter_map(scalar).collect(),
            _ => Vec::new(),
        };
        words.iter().any(|w| w.contains("vllm.entrypoints"))
            || words
                .windows(2)
                .any(|w| w[0].ends_with("vllm") && w[1] == "serve")
    };
    let image = svc.get("image").as_str().is_some_and(|i| {
        let name = i.rsplit_once(':').map_or(i, |(n, _)| n);
        name.contains("vllm") || i.contains("vllm-openai")
    });
    image || starts_vllm(svc.get("command")) || starts_vllm(svc.get("entrypoint"))
}

/// Like [`import_compose`], for the service named `wanted` (when given).
pub fn import_service(
    text: &str,
    current: &Profile,
    wanted: Option<&str>,
) -> Result<Imported, ImportError> {
    import_with_env(text, current, wanted, &Env::default())
}

/// Image name and tag: split at the tag's `:` (after the last `/`), but a reference with a
/// variable (`${IMAGE:-vllm/vllm-openai:v0.23.0}`, `vllm/vllm-openai:${TAG}`) is kept whole as
/// the image, with no tag of its own.
fn split_image(image: &str) -> (String, String) {
    if image.contains('$') {
        return (image.to_string(), String::new());
    }
    let name = image.split('@').next().unwrap_or(image);
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    match name[slash..].rfind(':') {
        Some(i) => (
            image[..slash + i].to_string(),
            image[slash + i + 1..].to_string(),
        ),
        // No tag: Compose pulls `latest` (a digest alone pins the image instead).
        None if !image.contains('@') => (image.to_string(), "latest".into()),
        None => (image.to_string(), String::new()),
    }
}

/// Like [`import_service`], with variable values (`.env`, the process environment) for what
/// the import reads through interpolation (the image's release).
pub fn import_with_env(
    text: &str,
    current: &Profile,
    wanted: Option<&str>,
    env: &Env,
) -> Result<Imported, ImportError> {
    let doc = yaml::parse(text).map_err(|e| ImportError {
        location: Some((e.line, e.col)),
        message: e.message,
    })?;
    if doc == Node::Null {
        return Err(err("the file is empty"));
    }
    let doc = &yaml::resolve_merges(&doc);
    let services = doc
        .get("services")
        .as_map()
        .ok_or_else(|| err("no `services:` mapping found; is this a compose file?"))?;
    let vllm_services: Vec<String> = services
        .iter()
        .filter(|(_, s)| runs_vllm(s))
        .map(|(n, _)| n.clone())
        .collect();
    let pick = match wanted {
        Some(name) => services.iter().find(|(n, _)| n == name).ok_or_else(|| {
            let names: Vec<&str> = services.iter().map(|(n, _)| n.as_str()).collect();
            err(format!(
                "no service `{name}` in the file (it has: {})",
                names.join(", ")
            ))
        })?,
        None => services
            .iter()
            .find(|(_, s)| runs_vllm(s))
            .or_else(|| services.iter().next())
            .ok_or_else(|| err("`services:` is empty"))?,
    };
    let (name, svc) = pick;
    let service = name.clone();
    let mut notes = Vec::new();
    if services.len() > 1 {
        notes.push(format!(
            "The file has {} services; imported `{service}`.",
            services.len()
        ));
    }
    notes.extend(file_notes(doc, services, svc));
    notes.extend(variable_notes(svc, env));
    let at = |key: &str| format!("services.{service}.{key}");

    let mut compose = ComposeSettings {
        service: service.clone(),
        ..ComposeSettings::default()
    };
    let mut profile = Profile {
        compose: ComposeSettings::default(),
        ..current.clone()
    };
    profile.model.clear();
    profile.args.clear();
    profile.stray.clear();
    profile.env_words.clear();

    if let Some(image) = scalar(svc.get("image")) {
        (compose.image, compose.tag) = split_image(&image);
        // The release the image runs, after interpolation (`${IMAGE:-vllm/vllm-openai:v0.23.0}`).
        let resolved = interpolate(&image, env).map(|r| r.text).unwrap_or_default();
        match release_of_image(&resolved) {
            Some(v) if v <= LATEST => {
                profile.vllm_version = v;
                if !releases().contains(&v) {
                    let near = nearest_sampled(v).unwrap_or(v);
                    notes.push(format!(
                        "The image runs vLLM {v}; its flag facts are those of {near}, the \
                         nearest release the reference data sampled."
                    ));
                }
            }
            Some(v) => notes.push(format!(
                "The image runs vLLM {v}, newer than the catalog ({LATEST}); checked against {LATEST}."
            )),
            None => {}
        }
    }
    compose.container_name = scalar(svc.get("container_name")).unwrap_or_default();

    let entrypoint: Vec<String> = match svc.get("entrypoint") {
        Node::Scalar { text, .. } => shell::split(text).unwrap_or_else(|_| vec![text.clone()]),
        Node::Seq(items) => items.iter().filter_map(scalar).collect(),
        _ => Vec::new(),
    };
    // `entrypoint: ["/bin/sh", "-c"]`: the command is a shell script, not vLLM's arguments.
    let script_command = runs_command_as_script(&entrypoint);
    let words = match svc.get("command") {
        _ if script_command => {
            notes.push(format!(
                "The command is a shell script run by `{}`: its vLLM arguments are not read \
                 (finding `launch-script`).",
                entrypoint.join(" ")
            ));
            Vec::new()
        }
        Node::Scalar { text, .. } => {
            shell::split_marked(text).map_err(|e| err(format!("{}: {e}", at("command"))))?
        }
        Node::Seq(items) => items
            .iter()
            .filter_map(scalar)
            .map(|w| (w, false))
            .collect(),
        Node::Null => Vec::new(),
        Node::Map(_) => {
            return Err(err(format!(
                "{}: expected a string or a list",
                at("command")
            )))
        }
    };
    let words: Vec<(String, bool)> = words
        .into_iter()
        .map(|(w, note)| (super::unescape_dollars(&w), note))
        .collect();
    // `vllm serve …` / `python3 -m vllm.entrypoints.openai.api_server …`: the launcher is not
    // configuration (the positions of stray words still count from the command's start).
    let launcher =
        crate::args::launcher_len(&words.iter().map(|(w, _)| w.clone()).collect::<Vec<_>>());
    let mut parsed = parse_marked(&words[launcher..]);
    parsed.stray_at.iter_mut().for_each(|i| *i += launcher);
    profile.model_positional = parsed.model_positional;
    profile.model = parsed.model.unwrap_or_default();
    profile.args = parsed.args;
    profile.stray = parsed.stray;
    profile.env_words = parsed.env_words;
    notes.extend(parsed.notes);

    let env: Vec<(String, String)> = match svc.get("environment") {
        Node::Map(h) => h
            .iter()
            .map(|(k, v)| (k.clone(), scalar(v).unwrap_or_default()))
            .collect(),
        Node::Seq(items) => items
            .iter()
            .filter_map(scalar)
            .map(|e| match e.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (e, String::new()),
            })
            .collect(),
        _ => Vec::new(),
    };
    for (key, value) in env {
        let literal = !value.is_empty() && !value.starts_with('$');
        if (key == "HF_TOKEN" || key == "HUGGING_FACE_HUB_TOKEN") && literal {
            notes.push(format!(
                "`{key}` holds a literal token: links and new exports use `${{{key}}}` from .env \
                 instead; the file keeps its text until its environment is edited."
            ));
        }
        if key == "HF_TOKEN" {
            compose.hf_token = true;
        } else if key == "HUGGING_FACE_HUB_TOKEN" && literal {
            // The variable keeps its own name; only the secret stays behind.
            compose.extra_env.push((key.clone(), format!("${{{key}}}")));
        } else {
            compose.extra_env.push((key, value));
        }
    }

    if let Some(first) = svc.get("ports").as_seq().and_then(|p| p.first()) {
        let host = match first {
            Node::Map(_) => scalar(first.get("published")),
            other => scalar(other).map(|s| {
                // HOST:CONTAINER or IP:HOST:CONTAINER; colons inside `${VAR:-x}` do not count.
                let parts = split_outside_braces(&s, ':');
                match parts.len() {
                    0 | 1 => s.clone(),
                    n => parts[n - 2].clone(),
                }
            }),
        };
        compose.host_port = host.unwrap_or_default();
    }
    for volume in svc.get("volumes").as_seq().into_iter().flatten() {
        match scalar(volume) {
            Some(v) if v.ends_with(HF_CACHE_MOUNT) => {
                compose.hf_cache = v.trim_end_matches(HF_CACHE_MOUNT).to_string()
            }
            Some(v) => notes.push(format!(
                "Volume `{v}` stays in the file as written; the form edits only the HF cache \
                 and links do not carry it."
            )),
            None => notes.push(
                "A long-syntax volume stays in the file as written; links do not carry it.".into(),
            ),
        }
    }
    compose.ipc_host = scalar(svc.get("ipc")).as_deref() == Some("host");
    compose.shm_size = scalar(svc.get("shm_size")).unwrap_or_default();
    compose.restart = scalar(svc.get("restart")).unwrap_or_default();

    let device = svc
        .get("deploy")
        .get("resources")
        .get("reservations")
        .get("devices")
        .at(0);
    compose.devices = if let Some(ids) = device.get("device_ids").as_seq() {
        GpuDevices::Ids(ids.iter().filter_map(scalar).collect())
    } else if device == &Node::Null {
        GpuDevices::None
    } else {
        match device.get("count").as_i64() {
            Some(n) => GpuDevices::Count(n.max(0) as u32),
            None => GpuDevices::All,
        }
    };
    profile.hardware = stated_hardware(&profile, compose.devices.literal_count());
    notes.push(UNSTATED_GPU_NOTE.into());

    let hc = svc.get("healthcheck");
    if hc.as_map().is_some() && hc.get("disable").as_bool() != Some(true) {
        let test = match hc.get("test") {
            Node::Seq(items) => items.iter().filter_map(scalar).collect(),
            Node::Scalar { text, .. } => vec!["CMD-SHELL".to_string(), text.clone()],
            _ => Vec::new(),
        };
        compose.healthcheck = Some(Healthcheck {
            test,
            interval: scalar(hc.get("interval")).unwrap_or_default(),
            timeout: scalar(hc.get("timeout")).unwrap_or_default(),
            retries: hc.get("retries").as_i64().unwrap_or(3).max(0) as u32,
            start_period: scalar(hc.get("start_period")).unwrap_or_default(),
        });
    }
    let kept = kept_entries(svc, profile.container_port(), script_command);
    if !kept.is_empty() {
        let keys: Vec<&str> = kept.iter().map(|(k, _)| k.as_str()).collect();
        notes.push(format!(
            "Kept as written (links carry them under `keep.<key>`): {}.",
            keys.join(", ")
        ));
    }
    compose.kept = kept;
    compose.kept_top = ["volumes", "networks", "secrets", "configs"]
        .iter()
        .filter(|k| doc.get(k) != &Node::Null)
        .map(|k| (k.to_string(), doc.get(k).to_json().to_string()))
        .collect();
    profile.compose = compose;
    let origin = Origin {
        text: text.to_string(),
        service,
        base: profile.clone(),
    };
    Ok(Imported {
        profile,
        notes,
        origin,
        vllm_services,
        entrypoint,
    })
}

/// Splits on `sep` except inside `${...}`.
fn split_outside_braces(text: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0usize;
    let mut prev = '\0';
    for c in text.chars() {
        match c {
            '{' if prev == '$' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            c if c == sep && depth == 0 => {
                parts.push(String::new());
                prev = c;
                continue;
            }
            _ => {}
        }
        parts.last_mut().unwrap().push(c);
        prev = c;
    }
    parts
}
