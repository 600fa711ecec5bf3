//! Share links: a profile as a readable URL query, and back.
//!
//! Format version 1 (`v=1`), documented in the README:
//! - `vllm-version`, `gpu`, `gpu-count` (always written; GPUs per node), `gpu-memory-gib`,
//!   `nodes` (0.5.0, when over 1), `interconnect` (0.5.0), `model`;
//! - one key per flag set to a non-default value, named by the flag's canonical long name
//!   without dashes (`max-model-len=131072`, `enable-auto-tool-choice=true`); list flags repeat
//!   their key; flags no release knows are written `flag.<name>`; secret flags are never written;
//! - compose settings under documented keys (`service`, `image`, `tag`, `devices`, …), written
//!   only when they differ from the app's compose defaults.
use super::catalog::{Availability, Catalog, Kind, SECRET_FLAGS};
use super::compose::settings::{setting, COMPOSE_SETTINGS, ENV_PREFIX};
use super::gpu;
use super::profile::{Arg, ArgValue, Hardware, Profile};
use super::version::{selectable, Version, LATEST};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Link keys of service entries kept as written (`keep.networks=<JSON>`).
pub const KEEP_PREFIX: &str = "keep.";
/// Link keys of top-level sections kept as written (`keep-top.volumes=<JSON>`).
pub const KEEP_TOP_PREFIX: &str = "keep-top.";

/// The link format version this build writes.
pub const LINK_VERSION: u32 = 1;

/// A key of a link that could not be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkProblem {
    pub key: String,
    pub message: String,
}

/// Bytes a link writes as they are: RFC 3986 unreserved characters and a few readable ones
/// (`/:,@!*`); everything else is `%XX`.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/')
    .remove(b':')
    .remove(b',')
    .remove(b'@')
    .remove(b'!')
    .remove(b'*');

/// Percent-encodes a query component.
pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, ESCAPED).to_string()
}

/// Decodes a query component (`+` is a space, `%XX` a byte); `None` when a `%` is not followed
/// by two hex digits (percent-encoding would keep such text as it is; a link never has it) or
/// the bytes are not UTF-8.
pub fn decode_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    let spaced = text.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// The key/value pairs of the link, in order.
pub fn to_pairs(p: &Profile) -> Vec<(String, String)> {
    let catalog = Catalog::get();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: String| out.push((k.to_string(), v));
    put("v", LINK_VERSION.to_string());
    put("vllm-version", p.vllm_version.to_string());
    put("gpu", p.hardware.gpu.clone());
    put("gpu-count", p.hardware.gpu_count.to_string());
    if let Some(m) = p.hardware.gpu_memory_gib {
        put("gpu-memory-gib", super::values::num(m));
    }
    if p.hardware.nodes > 1 {
        put("nodes", p.hardware.nodes.to_string());
    }
    if !p.hardware.interconnect.is_empty() {
        put("interconnect", p.hardware.interconnect.clone());
    }
    if !p.model.is_empty() {
        put("model", p.model.clone());
        if p.model_positional {
            put("model-positional", "true".into());
        }
    }
    for arg in &p.args {
        if SECRET_FLAGS.contains(&arg.name.as_str()) {
            continue;
        }
        // A value equal to the catalog's (0.33.0) default is only dropped for that release:
        // older releases had other defaults (gpu-memory-utilization was 0.9 before 0.20).
        if p.vllm_version == catalog.version && Profile::is_default_value(&arg.name, &arg.value) {
            continue;
        }
        let key = match catalog.availability(&arg.name, LATEST) {
            Availability::Unknown => format!("flag.{}", arg.name),
            _ => arg.name.clone(),
        };
        match &arg.value {
            ArgValue::Switch(b) => put(&key, b.to_string()),
            ArgValue::Words(w) if w.is_empty() => put(&key, String::new()),
            ArgValue::Words(w)
                if catalog
                    .flag(&arg.name)
                    .is_some_and(|f| f.kind == Kind::List) =>
            {
                for word in w {
                    put(&key, word.clone());
                }
            }
            ArgValue::Words(w) => put(&key, w.join(" ")),
        }
    }
    for setting in COMPOSE_SETTINGS {
        match (setting.read)(&p.compose) {
            Some(text) if text != setting.default => put(setting.key, text),
            _ => {}
        }
    }
    for (k, v) in &p.compose.extra_env {
        put(&format!("{ENV_PREFIX}{k}"), v.clone());
    }
    // What the fields do not model, as the imported file wrote it.
    for (k, v) in &p.compose.kept {
        put(&format!("{KEEP_PREFIX}{k}"), v.clone());
    }
    for (k, v) in &p.compose.kept_top {
        put(&format!("{KEEP_TOP_PREFIX}{k}"), v.clone());
    }
    for w in &p.stray {
        put("stray", w.clone());
    }
    for w in &p.env_words {
        put("env-word", w.clone());
    }
    out
}

/// The query string (without `?`) for a profile.
pub fn encode(p: &Profile) -> String {
    to_pairs(p)
        .iter()
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Splits a query (or a whole URL) into decoded pairs; undecodable pairs become problems.
pub fn parse_query(input: &str) -> (Vec<(String, String)>, Vec<LinkProblem>) {
    // Untrusted: bounded before anything is decoded (crate::limits), and then nothing applies.
    let refuse = |message: String| {
        (
            Vec::new(),
            vec![LinkProblem {
                key: "(link)".into(),
                message,
            }],
        )
    };
    if input.len() > crate::limits::MAX_LINK_BYTES {
        return refuse(format!(
            "the link is {} bytes; links over {} KiB are not read",
            input.len(),
            crate::limits::MAX_LINK_BYTES >> 10
        ));
    }
    let keys = input.bytes().filter(|b| *b == b'&').count() + 1;
    if keys > crate::limits::MAX_LINK_KEYS {
        return refuse(format!(
            "the link has {keys} keys; links with over {} are not read",
            crate::limits::MAX_LINK_KEYS
        ));
    }
    let query = match input.split_once('?') {
        Some((_, q)) => q,
        None => input,
    };
    let query = query.split('#').next().unwrap_or_default().trim();
    let mut pairs = Vec::new();
    let mut problems = Vec::new();
    for piece in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
        match (decode_component(k), decode_component(v)) {
            (Some(k), Some(v)) => pairs.push((k, v)),
            _ => problems.push(LinkProblem {
                key: k.to_string(),
                message: "bad percent-encoding".into(),
            }),
        }
    }
    (pairs, problems)
}

/// Whether a query carries a profile (has any key this format knows).
pub fn carries_profile(query: &str) -> bool {
    parse_query(query)
        .0
        .iter()
        .any(|(k, _)| k == "v" || k == "vllm-version" || k == "model")
}

/// Builds a profile from a link. A key that cannot be read at all (an unknown GPU id, a
/// newer format) is reported and skipped; values vLLM or Compose would refuse are kept as
/// written and left to the rules; the rest applies.
/// In a diff link this is the head side.
pub fn decode(input: &str) -> (Profile, Vec<LinkProblem>) {
    let (pairs, problems) = parse_query(input);
    let head: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| !diff_link::is_diff_key(k))
        .collect();
    decode_pairs(&head, problems)
}

/// Builds a profile from already-decoded pairs (also used for the two sides of a diff link).
pub fn decode_pairs(
    pairs: &[(String, String)],
    mut problems: Vec<LinkProblem>,
) -> (Profile, Vec<LinkProblem>) {
    let mut p = Profile::default();
    for (key, value) in pairs {
        if let Err(message) = apply_pair(&mut p, key, value) {
            problems.push(LinkProblem {
                key: key.clone(),
                message,
            });
        }
    }
    // A value Compose or vLLM would refuse stays as written: the rules report it
    // (`compose-value-invalid`, `value-invalid`), so the reviewer sees what the author saw.
    (p, problems)
}

/// Applies one link key to a profile (`max-model-len`, `tag`, `gpu`, `env.NAME`, …), checked
/// as a link's keys are; the CLI's `edit --set` uses it.
pub fn apply_key(p: &mut Profile, key: &str, value: &str) -> Result<(), String> {
    apply_pair(p, key, value)
}

/// Removes what a link key sets: a flag, or a compose setting back to the app's default.
pub fn unset_key(p: &mut Profile, key: &str) -> Result<(), String> {
    if let Some(s) = setting(key) {
        p.compose = s.apply(&p.compose, s.default)?;
        return Ok(());
    }
    if key == "model" {
        p.model.clear();
        return Ok(());
    }
    let name = key.strip_prefix("flag.").unwrap_or(key);
    if p.get(name).is_none() {
        return Err(format!("`{key}` is not set in this service"));
    }
    p.unset(name);
    Ok(())
}

/// Applies one link key: the format version, the release, hardware, model, a compose setting
/// (from the setting table), an environment entry, or a flag.
fn apply_pair(p: &mut Profile, key: &str, value: &str) -> Result<(), String> {
    match key {
        "v" => check_format_version(value),
        "vllm-version" => {
            p.vllm_version = Version::parse(value)
                .filter(|v| selectable().contains(v))
                .ok_or_else(|| format!("`{value}` is not a vLLM release this app knows"))?;
            Ok(())
        }
        "gpu" | "gpu-count" | "gpu-memory-gib" | "nodes" | "interconnect" => {
            apply_hardware(&mut p.hardware, key, value)
        }
        // The name llm-d and KServe give the GPU count of a node (links write `gpu-count`).
        "gpus-per-node" => apply_hardware(&mut p.hardware, "gpu-count", value),
        "model" => {
            p.model = value.to_string();
            Ok(())
        }
        k if setting(k).is_some() => {
            p.compose = setting(k).unwrap().write_as_written(&p.compose, value)?;
            Ok(())
        }
        k if k.starts_with(KEEP_PREFIX) || k.starts_with(KEEP_TOP_PREFIX) => {
            serde_json::from_str::<serde_json::Value>(value)
                .map_err(|e| format!("not JSON: {e}"))?;
            let (list, name) = match k.strip_prefix(KEEP_TOP_PREFIX) {
                Some(name) => (&mut p.compose.kept_top, name),
                None => (&mut p.compose.kept, &k[KEEP_PREFIX.len()..]),
            };
            list.push((name.to_string(), value.to_string()));
            Ok(())
        }
        "model-positional" => {
            p.model_positional = value == "true";
            Ok(())
        }
        "stray" => {
            p.stray.push(value.to_string());
            Ok(())
        }
        "env-word" => {
            p.env_words.push(value.to_string());
            Ok(())
        }
        k if k.starts_with(ENV_PREFIX) => {
            let name = k[ENV_PREFIX.len()..].to_string();
            p.compose.extra_env.push((name, value.to_string()));
            Ok(())
        }
        k => match k.strip_prefix("flag.") {
            Some(name) => apply_flag(p, Catalog::get(), name, true, value),
            None => apply_flag(p, Catalog::get(), k, false, value),
        },
    }
}

/// `v`: a link of a newer format is reported, not guessed at.
fn check_format_version(value: &str) -> Result<(), String> {
    match value.parse::<u32>() {
        Ok(v) if v <= LINK_VERSION => Ok(()),
        _ => Err(format!(
            "link format `{value}` is newer than this app (reads up to {LINK_VERSION})"
        )),
    }
}

/// `gpu`, `gpu-count`, `gpu-memory-gib`.
fn apply_hardware(hw: &mut Hardware, key: &str, value: &str) -> Result<(), String> {
    match key {
        "gpu" if value == "custom" || value == gpu::UNSTATED_GPU => hw.gpu = value.to_string(),
        // Short forms (`h100-sxm`) are stored under the catalog id.
        "gpu" => {
            hw.gpu = gpu::find(value).map(|g| g.id()).ok_or_else(|| {
                format!("`{value}` is not a GPU id (e.g. rtx-3090, h100-80gb-sxm)")
            })?
        }
        "gpu-count" => match value.parse::<u32>() {
            Ok(n) if (1..=64).contains(&n) => hw.gpu_count = n,
            _ => return Err(format!("`{value}` is not a GPU count (1–64)")),
        },
        "nodes" => match value.parse::<u32>() {
            Ok(n) if (1..=64).contains(&n) => hw.nodes = n,
            _ => return Err(format!("`{value}` is not a node count (1–64)")),
        },
        "interconnect" => match value {
            "nvlink" | "pcie" | "infiniband" | "ethernet" => hw.interconnect = value.into(),
            _ => {
                return Err(format!(
                    "`{value}` is not an interconnect (nvlink, pcie, infiniband, ethernet)"
                ))
            }
        },
        _ => match value.parse::<f64>() {
            Ok(m) if m > 0.0 && m < 4096.0 => hw.gpu_memory_gib = Some(m),
            _ => return Err(format!("`{value}` is not a memory size in GiB")),
        },
    }
    Ok(())
}

/// A flag the catalog cannot type (unknown, or only in older releases): its text as one word,
/// or none for a bare flag.
fn kept_as_written(value: &str) -> ArgValue {
    ArgValue::Words(if value.is_empty() {
        vec![]
    } else {
        vec![value.to_string()]
    })
}

fn apply_flag(
    p: &mut Profile,
    catalog: &Catalog,
    name: &str,
    unknown: bool,
    value: &str,
) -> Result<(), String> {
    if unknown {
        p.set(name, kept_as_written(value));
        return Ok(());
    }
    if SECRET_FLAGS.contains(&name) {
        return Err("secret flags are never read from links".into());
    }
    let Some(flag) = catalog.flag(name) else {
        return match catalog.availability(name, LATEST) {
            Availability::Unknown => Err(format!(
                "`{name}` is not a vLLM flag (unknown flags are written `flag.{name}`)"
            )),
            _ => {
                p.set(name, kept_as_written(value));
                Ok(())
            }
        };
    };
    // Values travel as written, valid or not (`${LEN:-8192}`, `image=4`): the checks read them
    // as Compose and vLLM would, and an invalid one is a `value-invalid` error there.
    match flag.kind {
        Kind::Bool | Kind::FlagOnly => match value.as_str_bool() {
            Some(b) => p.set(name, ArgValue::Switch(b)),
            None => return Err(format!("`{value}` is not true or false")),
        },
        Kind::List => match p.args.iter_mut().find(|a| a.name == name) {
            Some(Arg {
                value: ArgValue::Words(w),
                ..
            }) => w.push(value.to_string()),
            _ => p.set(name, ArgValue::word(value)),
        },
        _ => p.set(name, ArgValue::word(value)),
    }
    Ok(())
}

trait StrBool {
    fn as_str_bool(&self) -> Option<bool>;
}

impl StrBool for str {
    fn as_str_bool(&self) -> Option<bool> {
        match self {
            "true" | "1" | "" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }
}

mod diff_link;

pub use diff_link::{decode_diff, encode_diff, BaseRef};

#[cfg(test)]
mod tests;
