//! The compose codec: export (YAML, command, `.env`), import, and the checks Compose itself makes
//! on the settings the form edits.
mod export;
mod import;
pub mod settings;

pub use export::{arg_words, dq, env_references, to_command, to_env, to_yaml};
pub use import::{import_compose, ImportError, Imported};

use super::profile::Profile;

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

/// Problems Compose would refuse in the compose-level settings, as (setting key, message).
pub fn compose_problems(profile: &Profile) -> Vec<(&'static str, String)> {
    settings::settings_problems(&profile.compose)
}

/// A compose byte size: digits with an optional b/k/m/g unit (and optional `b`).
pub fn is_size(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    digits > 0 && ["", "b", "k", "kb", "m", "mb", "g", "gb"].contains(&&t[digits..])
}

#[cfg(test)]
mod tests;
