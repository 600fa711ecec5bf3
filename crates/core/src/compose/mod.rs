//! The compose codec: export (YAML, command, `.env`), import, and the checks Compose itself makes
//! on the settings the form edits.
mod command_line;
pub mod edit;
mod export;
mod import;
pub mod interpolate;
pub mod manifest;
pub mod settings;

pub use command_line::import_command;
pub use edit::{write_back, Origin};
pub use export::{
    arg_words, dq, env_references, image_ref, to_command, to_env, to_yaml, REFERS_TO_SERVICES,
};
pub use import::{import_compose, import_service, import_with_env, ImportError, Imported};

use super::profile::Profile;

/// Where the HF cache is mounted in the container (vLLM docs, "Using Docker": `-v
/// ~/.cache/huggingface:/root/.cache/huggingface`);
/// a volume ending in this is the one the `hf-cache` setting models.
pub const HF_CACHE_MOUNT: &str = ":/root/.cache/huggingface";

/// Escapes `$` for Compose in a command word: `${NAME…}` and `$NAME` stay Compose variables
/// (users write `--api-key ${VLLM_API_KEY}` on purpose); every other `$` becomes `$$`, which
/// Compose turns back into one literal `$`.
pub fn escape_dollars(word: &str) -> String {
    // Byte by byte: `$` and what may follow it are ASCII, so a multi-byte character is copied
    // whole and never taken for one (every word of every keystroke's YAML passes here).
    let bytes = word.as_bytes();
    let mut out = String::with_capacity(word.len());
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'$' {
            continue;
        }
        let next = bytes.get(i + 1).copied();
        let variable = matches!(next, Some(n) if n == b'{' || n == b'_' || n.is_ascii_alphabetic());
        if !variable {
            out.push_str(&word[copied..=i]);
            out.push('$');
            copied = i + 1;
        }
    }
    out.push_str(&word[copied..]);
    out
}

/// Reverses [`escape_dollars`]: `$$` is one literal `$`.
pub fn unescape_dollars(word: &str) -> String {
    word.replace("$$", "$")
}

/// Reads whatever the user pasted: a compose file, a `docker run` / `vllm serve` line, or a
/// vLLM `--config` YAML. A compose file's error (located) wins when nothing else fits.
pub fn import_any(
    text: &str,
    current: &Profile,
    service: Option<&str>,
    env: &interpolate::Env,
) -> Result<Imported, ImportError> {
    let compose = import_with_env(text, current, service, env);
    if compose.is_ok() {
        return compose;
    }
    let has_services = text.lines().any(|l| l.trim_end() == "services:");
    // A Kubernetes manifest with a vLLM workload (0.5.0): the profile and its deployment.
    let kinds = ["kind: LeaderWorkerSet", "kind: Deployment"];
    if !has_services && text.lines().any(|l| kinds.contains(&l.trim_end())) {
        if let Some(imported) = manifest::import_manifests(text, current) {
            return Ok(imported);
        }
    }
    match super::yaml::parse(text) {
        // A mapping: a vLLM `--config` file, or a compose file whose error stands — or a launch
        // line that reads as one (`vllm serve … '{"mode": 3}'` has a `: ` in it).
        Ok(doc @ super::yaml::Node::Map(_)) => match command_line::import_config(&doc, current) {
            Some(config) => Ok(config),
            None if !has_services => import_command(text, current).or(compose),
            None => compose,
        },
        // Shell text is not YAML, or reads as one long scalar.
        _ if !has_services => import_command(text, current).or(compose),
        _ => compose,
    }
}

/// The reference medium profile (see `profiles/medium.yml` for what is verbatim from the seed).
pub const SEED_MEDIUM_YML: &str = include_str!("../../../../profiles/medium.yml");

/// The app's starting profile: the seed's medium.yml, imported as a user would, without its
/// `#` notes (the app starts from the profile, not from the seed's file, so there is no file to
/// keep them in; `import_compose` of the seed keeps and flags them).
pub fn reference_profile() -> Profile {
    let mut p = import_compose(SEED_MEDIUM_YML, &Profile::default())
        .expect("the seed imports")
        .profile;
    p.stray.clear();
    // The reference document states its hardware (two 24 GB cards, "2 GPUs - REQUIS"), which
    // its compose file alone does not.
    p.hardware = crate::profile::Hardware::default();
    p
}

/// Seconds in a compose duration such as `30s`, `1m30s`, `300ms` (Go `time.ParseDuration`
/// units: ns, us/µs, ms, s, m, h); `None` when the text is not one.
pub fn duration_secs(text: &str) -> Option<f64> {
    const UNITS: [(&str, f64); 7] = [
        ("ns", 1e-9),
        ("us", 1e-6),
        ("µs", 1e-6),
        ("ms", 1e-3),
        ("s", 1.0),
        ("m", 60.0),
        ("h", 3600.0),
    ];
    let mut rest = text;
    let mut total = 0.0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest.get(..digits).filter(|d| !d.is_empty())?.parse().ok()?;
        rest = &rest[digits..];
        // `ms` before `m`: the first unit the text starts with, longest names listed first.
        let (unit, scale) = UNITS.iter().find(|(u, _)| rest.starts_with(u))?;
        total += number * scale;
        rest = &rest[unit.len()..];
    }
    Some(total)
}

/// Whether the text is a compose duration (see [`duration_secs`]).
pub fn is_duration(text: &str) -> bool {
    duration_secs(text).is_some()
}

/// Problems Compose would refuse in the compose-level settings, as (setting key, message).
pub fn compose_problems(profile: &Profile) -> Vec<(&'static str, String)> {
    settings::settings_problems(&profile.compose)
}

/// A compose byte size: a number (`6.15` too, as Compose's units parser reads it) with an
/// optional b/k/m/g unit (and optional `b`).
pub fn is_size(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    let number = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    t[..number].parse::<f64>().is_ok()
        && ["", "b", "k", "kb", "m", "mb", "g", "gb"].contains(&&t[number..])
}

#[cfg(test)]
mod tests;
