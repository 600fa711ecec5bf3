//! Reading an existing compose file into a profile. Nothing the file says about the vLLM command is
//! dropped silently: removed and unknown flags are kept, and every change is reported as a note.
use crate::domain::args::parse_marked;
use crate::domain::profile::{ComposeSettings, GpuDevices, Healthcheck, Profile};
use crate::domain::shell;
use crate::domain::version::{releases, Version};
use std::fmt;
use yaml_rust2::{Yaml, YamlLoader};

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

/// A successful import: the profile and what the reader changed or could not keep.
#[derive(Clone, Debug)]
pub struct Imported {
    pub profile: Profile,
    pub notes: Vec<String>,
}

fn err(message: impl Into<String>) -> ImportError {
    ImportError { location: None, message: message.into() }
}

/// A scalar as text (`5002`, `true`, `0.95`, `"x"`).
fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads `text` as a compose file. Hardware and release come from `current`, except that an
/// image tag naming a known release (`v0.11.0`) selects that release.
pub fn import_compose(text: &str, current: &Profile) -> Result<Imported, ImportError> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| ImportError {
        location: Some((e.marker().line(), e.marker().col() + 1)),
        message: e.info().to_string(),
    })?;
    let doc = &resolve_merges(docs.first().ok_or_else(|| err("the file is empty"))?);
    let services = doc["services"]
        .as_hash()
        .ok_or_else(|| err("no `services:` mapping found; is this a compose file?"))?;
    let pick = services
        .iter()
        .find(|(_, s)| s["image"].as_str().is_some_and(|i| i.contains("vllm")))
        .or_else(|| services.iter().next())
        .ok_or_else(|| err("`services:` is empty"))?;
    let (name, svc) = pick;
    let service = scalar(name).unwrap_or_default();
    let mut notes = Vec::new();
    if services.len() > 1 {
        notes.push(format!("The file has {} services; imported `{service}`.", services.len()));
    }
    let at = |key: &str| format!("services.{service}.{key}");

    let mut compose = ComposeSettings { service: service.clone(), ..ComposeSettings::default() };
    let mut profile = Profile { compose: ComposeSettings::default(), ..current.clone() };
    profile.model.clear();
    profile.args.clear();

    if let Some(image) = scalar(&svc["image"]) {
        let slash = image.rfind('/').map_or(0, |i| i + 1);
        match image[slash..].rfind(':') {
            Some(i) => {
                compose.image = image[..slash + i].to_string();
                compose.tag = image[slash + i + 1..].to_string();
            }
            None => {
                compose.image = image.clone();
                compose.tag = "latest".into();
            }
        }
        if let Some(v) = Version::parse(&compose.tag).filter(|v| releases().contains(v)) {
            profile.vllm_version = v;
        }
    }
    compose.container_name = scalar(&svc["container_name"]).unwrap_or_default();

    let words = match &svc["command"] {
        Yaml::String(s) => shell::split_marked(s).map_err(|e| err(format!("{}: {e}", at("command"))))?,
        Yaml::Array(items) => items.iter().filter_map(scalar).map(|w| (w, false)).collect(),
        Yaml::BadValue | Yaml::Null => Vec::new(),
        _ => return Err(err(format!("{}: expected a string or a list", at("command")))),
    };
    let words: Vec<(String, bool)> =
        words.into_iter().map(|(w, note)| (super::unescape_dollars(&w), note)).collect();
    let parsed = parse_marked(&words);
    profile.model = parsed.model.unwrap_or_default();
    profile.args = parsed.args;
    notes.extend(parsed.notes);

    let env: Vec<(String, String)> = match &svc["environment"] {
        Yaml::Hash(h) => h
            .iter()
            .filter_map(|(k, v)| Some((scalar(k)?, scalar(v).unwrap_or_default())))
            .collect(),
        Yaml::Array(items) => items
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
        if key == "HF_TOKEN" || key == "HUGGING_FACE_HUB_TOKEN" {
            compose.hf_token = true;
            if !value.is_empty() && !value.starts_with('$') {
                notes.push(format!(
                    "`{key}` held a literal token; it is replaced by `${{HF_TOKEN}}` from .env."
                ));
            }
        } else {
            compose.extra_env.push((key, value));
        }
    }

    if let Some(first) = svc["ports"].as_vec().and_then(|p| p.first()) {
        let host = match first {
            Yaml::Hash(_) => scalar(&first["published"]),
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
    for volume in svc["volumes"].as_vec().into_iter().flatten() {
        match scalar(volume) {
            Some(v) if v.ends_with(":/root/.cache/huggingface") => {
                compose.hf_cache = v.trim_end_matches(":/root/.cache/huggingface").to_string()
            }
            Some(v) => notes.push(format!("Volume `{v}` is not kept (only the HF cache is modelled).")),
            None => notes.push("A long-syntax volume is not kept.".into()),
        }
    }
    compose.ipc_host = scalar(&svc["ipc"]).as_deref() == Some("host");
    compose.shm_size = scalar(&svc["shm_size"]).unwrap_or_default();
    compose.restart = scalar(&svc["restart"]).unwrap_or_default();

    let device = &svc["deploy"]["resources"]["reservations"]["devices"][0];
    compose.devices = if let Some(ids) = device["device_ids"].as_vec() {
        GpuDevices::Ids(ids.iter().filter_map(scalar).collect())
    } else {
        match &device["count"] {
            Yaml::Integer(n) => GpuDevices::Count((*n).max(0) as u32),
            _ => GpuDevices::All,
        }
    };
    if let Some(n) = compose.devices.literal_count() {
        profile.hardware.gpu_count = n.max(1);
    }

    let hc = &svc["healthcheck"];
    if hc.as_hash().is_some() && hc["disable"].as_bool() != Some(true) {
        let test = match &hc["test"] {
            Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
            Yaml::String(s) => vec!["CMD-SHELL".to_string(), s.clone()],
            _ => Vec::new(),
        };
        compose.healthcheck = Some(Healthcheck {
            test,
            interval: scalar(&hc["interval"]).unwrap_or_default(),
            timeout: scalar(&hc["timeout"]).unwrap_or_default(),
            retries: hc["retries"].as_i64().unwrap_or(3).max(0) as u32,
            start_period: scalar(&hc["start_period"]).unwrap_or_default(),
        });
    }
    const MODELLED: [&str; 12] = [
        "image", "container_name", "command", "environment", "ports", "volumes", "ipc", "shm_size",
        "restart", "deploy", "healthcheck", "entrypoint",
    ];
    if let Some(h) = svc.as_hash() {
        let other: Vec<String> =
            h.keys().filter_map(scalar).filter(|k| !MODELLED.contains(&k.as_str())).collect();
        if !other.is_empty() {
            notes.push(format!("Not kept (not modelled): {}.", other.join(", ")));
        }
    }
    profile.compose = compose;
    Ok(Imported { profile, notes })
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

/// Applies YAML merge keys (`<<: *defaults`, or a list of them), as Compose does: keys written in
/// the mapping win, then earlier merged mappings over later ones.
fn resolve_merges(y: &Yaml) -> Yaml {
    match y {
        Yaml::Hash(h) => {
            let mut out = yaml_rust2::yaml::Hash::new();
            for (k, v) in h {
                if k.as_str() != Some("<<") {
                    out.insert(k.clone(), resolve_merges(v));
                }
            }
            let merge_key = Yaml::String("<<".into());
            let sources: Vec<&Yaml> = match h.get(&merge_key) {
                Some(Yaml::Array(list)) => list.iter().collect(),
                Some(other) => vec![other],
                None => vec![],
            };
            for source in sources {
                if let Yaml::Hash(merged) = resolve_merges(source) {
                    for (k, v) in merged {
                        out.entry(k).or_insert(v);
                    }
                }
            }
            Yaml::Hash(out)
        }
        Yaml::Array(items) => Yaml::Array(items.iter().map(resolve_merges).collect()),
        other => other.clone(),
    }
}
