//! The compose codec: export (YAML, command, `.env`), import, and the checks Compose itself makes
//! on the settings the form edits.
mod export;
mod import;

pub use export::{arg_words, dq, env_references, to_command, to_env, to_yaml};
pub use import::{import_compose, ImportError, Imported};

use super::profile::{GpuDevices, Profile};

/// Escapes `$` for Compose in a command word: `${NAME…}` and `$NAME` stay Compose variables
/// (users write `--api-key ${VLLM_API_KEY}` on purpose); every other `$` becomes `$$`, which
/// Compose turns back into one literal `$`.
pub fn escape_dollars(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if c == '$' {
            let next = chars.get(i + 1).copied();
            let variable =
                matches!(next, Some(n) if n == '{' || n == '_' || n.is_ascii_alphabetic());
            if !variable {
                out.push('$');
            }
        }
    }
    out
}

/// Reverses [`escape_dollars`]: `$$` is one literal `$`.
pub fn unescape_dollars(word: &str) -> String {
    word.replace("$$", "$")
}

/// The reference medium profile (see `profiles/medium.yml` for what is verbatim from the seed).
pub const SEED_MEDIUM_YML: &str = include_str!("../../../../profiles/medium.yml");

/// The app's starting profile: the seed's medium.yml, imported as a user would.
pub fn reference_profile() -> Profile {
    import_compose(SEED_MEDIUM_YML, &Profile::default())
        .expect("the seed imports")
        .profile
}

/// A compose duration such as `30s`, `1m30s`, `300ms` (Go `time.ParseDuration` units).
pub fn is_duration(text: &str) -> bool {
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if digits == 0 || rest[..digits].parse::<f64>().is_err() {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .iter()
            .find(|u| rest.starts_with(*u) && !(**u == "m" && rest.starts_with("ms")));
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

/// Problems Compose would refuse in the compose-level settings, as (field, message).
pub fn compose_problems(profile: &Profile) -> Vec<(&'static str, String)> {
    let c = &profile.compose;
    let mut out = Vec::new();
    let name_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "._-".contains(ch))
    };
    if !name_ok(&c.service) {
        out.push((
            "service",
            "a service name uses letters, digits, `.`, `_` and `-` only".into(),
        ));
    }
    let container_ok = name_ok(&c.container_name)
        && c.container_name.starts_with(|ch: char| ch.is_ascii_alphanumeric());
    if !c.container_name.is_empty() && !container_ok {
        out.push(("container-name", "a container name starts with a letter or digit and uses letters, digits, `.`, `_` and `-`".into()));
    }
    if c.image.is_empty() || c.image.contains(char::is_whitespace) {
        out.push(("image", "the image name is empty or has spaces".into()));
    }
    if c.tag.is_empty() || c.tag.contains(|ch: char| ch.is_whitespace() || ch == ':') {
        out.push(("tag", "the tag is empty or has spaces or `:`".into()));
    }
    if !c.host_port.is_empty()
        && !c.host_port.starts_with("${")
        && c.host_port.parse::<u16>().map_or(true, |p| p == 0)
    {
        out.push((
            "host-port",
            "a host port is 1–65535 or a `${VAR}` reference".into(),
        ));
    }
    if let GpuDevices::Ids(ids) = &c.devices {
        let mut seen = std::collections::HashSet::new();
        if ids.is_empty() || ids.iter().any(|i| i.trim().is_empty()) {
            out.push(("devices", "device ids must not be empty".into()));
        } else if !ids.iter().all(|i| seen.insert(i)) {
            out.push((
                "devices",
                "a device id is listed twice (Compose refuses duplicates)".into(),
            ));
        }
    }
    if let GpuDevices::Count(0) = c.devices {
        out.push((
            "devices",
            "a GPU count of 0 gives the container no GPU".into(),
        ));
    }
    if !c.shm_size.is_empty() && !is_size(&c.shm_size) {
        out.push((
            "shm-size",
            "a size looks like `16gb`, `512m` or a byte count".into(),
        ));
    }
    if let Some(h) = &c.healthcheck {
        for (field, value) in [
            ("health-interval", &h.interval),
            ("health-timeout", &h.timeout),
            ("health-start-period", &h.start_period),
        ] {
            if !value.is_empty() && !is_duration(value) {
                out.push((
                    field,
                    format!("`{value}` is not a duration such as `30s` or `5m`"),
                ));
            }
        }
        if h.test.is_empty() {
            out.push(("health-test", "the health check has no test".into()));
        }
    }
    if !["", "no", "always", "on-failure", "unless-stopped"].contains(&c.restart.as_str())
        && !c.restart.starts_with("on-failure:")
    {
        out.push((
            "restart",
            "restart is no, always, on-failure[:N] or unless-stopped".into(),
        ));
    }
    out
}

/// A compose byte size: digits with an optional b/k/m/g unit (and optional `b`).
pub fn is_size(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    digits > 0 && ["", "b", "k", "kb", "m", "mb", "g", "gb"].contains(&&t[digits..])
}

#[cfg(test)]
mod tests;
