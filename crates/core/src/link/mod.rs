//! Share links: a profile as a readable URL query, and back.
//!
//! Format version 1 (`v=1`), documented in the README:
//! - `vllm-version`, `gpu`, `gpu-count` (always written), `gpu-memory-gib`, `model`;
//! - one key per flag set to a non-default value, named by the flag's canonical long name
//!   without dashes (`max-model-len=131072`, `enable-auto-tool-choice=true`); list flags repeat
//!   their key; flags no release knows are written `flag.<name>`; secret flags are never written;
//! - compose settings under documented keys (`service`, `image`, `tag`, `devices`, …), written
//!   only when they differ from the app's compose defaults.
use super::catalog::{Availability, Catalog, Kind};
use super::compose::{compose_problems, is_duration};
use super::gpu;
use super::profile::{Arg, ArgValue, GpuDevices, Hardware, Healthcheck, Profile};
use super::version::{releases, Version, LATEST};

/// The link format version this build writes.
pub const LINK_VERSION: u32 = 1;

/// Flags whose values are secrets: never put in a link.
pub const SECRET_FLAGS: [&str; 2] = ["api-key", "hf-token"];

/// A key of a link that could not be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkProblem {
    pub key: String,
    pub message: String,
}

/// Percent-encodes a query component (RFC 3986 unreserved characters and a few readable ones
/// stay as they are).
pub fn encode_component(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/:,@!*".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes a query component (`+` is a space, `%XX` a byte); `None` on bad escapes or UTF-8.
pub fn decode_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn devices_text(d: &GpuDevices) -> String {
    match d {
        GpuDevices::All => "all".into(),
        GpuDevices::Count(n) => format!("count:{n}"),
        GpuDevices::Ids(ids) => ids.join(","),
    }
}

/// Parses the `devices` value: `all`, `count:N`, or a comma list of ids / `${VAR}`.
pub fn parse_devices(text: &str) -> Result<GpuDevices, String> {
    let t = text.trim();
    if t == "all" {
        return Ok(GpuDevices::All);
    }
    if let Some(n) = t.strip_prefix("count:") {
        return n
            .parse()
            .map(GpuDevices::Count)
            .map_err(|_| format!("`{n}` is not a GPU count"));
    }
    if t.is_empty() {
        return Err("no device ids".into());
    }
    if t.starts_with("${") {
        return Ok(GpuDevices::Ids(vec![t.to_string()]));
    }
    Ok(GpuDevices::Ids(
        t.split(',').map(|s| s.trim().to_string()).collect(),
    ))
}

/// A list of strings as JSON (`["CMD", "curl"]`).
pub fn string_list_json(list: &[String]) -> String {
    serde_json::Value::from(list.to_vec()).to_string()
}

/// Reads a JSON list of strings.
pub fn parse_string_list(text: &str) -> Result<Vec<String>, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not a JSON list of strings: {e}"))?;
    v.as_array()
        .and_then(|a| {
            a.iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| "not a JSON list of strings".to_string())
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
    if !p.model.is_empty() {
        put("model", p.model.clone());
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
    let c = &p.compose;
    let d = super::profile::ComposeSettings::default();
    let mut text = |k: &str, v: &str, dv: &str| {
        if v != dv {
            put(k, v.to_string());
        }
    };
    text("service", &c.service, &d.service);
    text("container-name", &c.container_name, &d.container_name);
    text("image", &c.image, &d.image);
    text("tag", &c.tag, &d.tag);
    text("host-port", &c.host_port, &d.host_port);
    text(
        "devices",
        &devices_text(&c.devices),
        &devices_text(&d.devices),
    );
    text("hf-cache", &c.hf_cache, &d.hf_cache);
    text("env-hf-token", if c.hf_token { "true" } else { "" }, "");
    text("ipc", if c.ipc_host { "host" } else { "" }, "");
    text("shm-size", &c.shm_size, &d.shm_size);
    text("restart", &c.restart, &d.restart);
    if let Some(h) = &c.healthcheck {
        put("health-test", string_list_json(&h.test));
        put("health-interval", h.interval.clone());
        put("health-timeout", h.timeout.clone());
        put("health-retries", h.retries.to_string());
        put("health-start-period", h.start_period.clone());
    }
    for (k, v) in &c.extra_env {
        put(&format!("env.{k}"), v.clone());
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

/// Builds a profile from a link. Every bad key is reported and skipped; the rest applies.
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
    let catalog = Catalog::get();
    let mut p = Profile {
        hardware: Hardware::default(),
        ..Profile::default()
    };
    let mut health: Option<Healthcheck> = None;
    fn health_mut(h: &mut Option<Healthcheck>) -> &mut Healthcheck {
        h.get_or_insert_with(|| Healthcheck {
            test: Vec::new(),
            interval: String::new(),
            timeout: String::new(),
            retries: 3,
            start_period: String::new(),
        })
    }
    let mut bad = |key: &str, message: String| {
        problems.push(LinkProblem {
            key: key.to_string(),
            message,
        });
    };
    for (key, value) in pairs {
        match key.as_str() {
            "v" => {
                if value.parse::<u32>().map_or(true, |v| v > LINK_VERSION) {
                    bad(key, format!("link format `{value}` is newer than this app (reads up to {LINK_VERSION})"));
                }
            }
            "vllm-version" => match Version::parse(value).filter(|v| releases().contains(v)) {
                Some(v) => p.vllm_version = v,
                None => bad(
                    key,
                    format!("`{value}` is not a vLLM release this app knows"),
                ),
            },
            "gpu" => {
                if value == "custom" {
                    p.hardware.gpu = value.clone();
                } else if let Some(g) = gpu::find(value) {
                    // Short forms (`h100-sxm`) are stored under the catalog id.
                    p.hardware.gpu = g.id();
                } else {
                    bad(
                        key,
                        format!("`{value}` is not a GPU id (e.g. rtx-3090, h100-80gb-sxm)"),
                    );
                }
            }
            "gpu-count" => match value.parse::<u32>() {
                Ok(n) if (1..=64).contains(&n) => p.hardware.gpu_count = n,
                _ => bad(key, format!("`{value}` is not a GPU count (1–64)")),
            },
            "gpu-memory-gib" => match value.parse::<f64>() {
                Ok(m) if m > 0.0 && m < 4096.0 => p.hardware.gpu_memory_gib = Some(m),
                _ => bad(key, format!("`{value}` is not a memory size in GiB")),
            },
            "model" => p.model = value.clone(),
            "service" => p.compose.service = value.clone(),
            "container-name" => p.compose.container_name = value.clone(),
            "image" => p.compose.image = value.clone(),
            "tag" => p.compose.tag = value.clone(),
            "host-port" => p.compose.host_port = value.clone(),
            "devices" => match parse_devices(value) {
                Ok(d) => p.compose.devices = d,
                Err(e) => bad(key, e),
            },
            "hf-cache" => p.compose.hf_cache = value.clone(),
            "env-hf-token" => p.compose.hf_token = value == "true",
            "ipc" => p.compose.ipc_host = value == "host",
            "shm-size" => p.compose.shm_size = value.clone(),
            "restart" => p.compose.restart = value.clone(),
            "health-test" => match parse_string_list(value) {
                Ok(t) => health_mut(&mut health).test = t,
                Err(e) => bad(key, e),
            },
            "health-interval" | "health-timeout" | "health-start-period" => {
                if !value.is_empty() && !is_duration(value) {
                    bad(key, format!("`{value}` is not a duration such as 30s"));
                    continue;
                }
                let h = health_mut(&mut health);
                match key.as_str() {
                    "health-interval" => h.interval = value.clone(),
                    "health-timeout" => h.timeout = value.clone(),
                    _ => h.start_period = value.clone(),
                }
            }
            "health-retries" => match value.parse::<u32>() {
                Ok(n) => health_mut(&mut health).retries = n,
                Err(_) => bad(key, format!("`{value}` is not a retry count")),
            },
            k if k.starts_with("env.") => p
                .compose
                .extra_env
                .push((k[4..].to_string(), value.clone())),
            k => {
                let (name, unknown) = match k.strip_prefix("flag.") {
                    Some(n) => (n.to_string(), true),
                    None => (k.to_string(), false),
                };
                if let Err(message) = apply_flag(&mut p, catalog, &name, unknown, value) {
                    bad(key, message);
                }
            }
        }
    }
    p.compose.healthcheck = health;
    for (field, message) in compose_problems(&p) {
        problems.push(LinkProblem {
            key: field.to_string(),
            message,
        });
    }
    (p, problems)
}

fn apply_flag(
    p: &mut Profile,
    catalog: &Catalog,
    name: &str,
    unknown: bool,
    value: &str,
) -> Result<(), String> {
    if unknown {
        p.set(
            name,
            ArgValue::Words(if value.is_empty() {
                vec![]
            } else {
                vec![value.to_string()]
            }),
        );
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
                p.set(
                    name,
                    ArgValue::Words(if value.is_empty() {
                        vec![]
                    } else {
                        vec![value.to_string()]
                    }),
                );
                Ok(())
            }
        };
    };
    let value_ok = super::values::check_value(flag, value);
    match flag.kind {
        Kind::Bool | Kind::FlagOnly => match value.as_str_bool() {
            Some(b) => p.set(name, ArgValue::Switch(b)),
            None => return Err(format!("`{value}` is not true or false")),
        },
        Kind::List => {
            value_ok?;
            match p.args.iter_mut().find(|a| a.name == name) {
                Some(Arg {
                    value: ArgValue::Words(w),
                    ..
                }) => w.push(value.to_string()),
                _ => p.set(name, ArgValue::word(value)),
            }
        }
        _ => {
            value_ok?;
            p.set(name, ArgValue::word(value));
        }
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
