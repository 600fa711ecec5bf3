//! Facts generated once from the real vLLM packages (see `scripts/facts/`): the keys each JSON
//! config flag of 0.33.0 accepts, and the `VLLM_*` environment variables every published
//! release reads. Each data file names its source.
use super::version::Version;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The keys of one JSON config flag (`--compilation-config`).
#[derive(Debug)]
pub struct ConfigKeys {
    /// The vLLM class the flag's value becomes (`vllm.config.compilation.CompilationConfig`).
    pub config: String,
    /// The parser builds that class, so a key it lacks is refused while parsing.
    pub strict: bool,
    /// Its field names.
    pub keys: Vec<String>,
}

struct ConfigKeysFile {
    release: Version,
    flags: BTreeMap<String, ConfigKeys>,
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn config_keys_file() -> &'static ConfigKeysFile {
    static FILE: OnceLock<ConfigKeysFile> = OnceLock::new();
    FILE.get_or_init(|| {
        let v: Value = serde_json::from_str(include_str!(concat!(
            env!("OUT_DIR"),
            "/vllm-config-keys-0.33.0.json"
        )))
        .expect("vllm-config-keys-0.33.0.json is valid");
        let flags = crate::order::map_of(v["flags"].as_object().into_iter().flatten().map(
            |(name, f)| {
                let keys = ConfigKeys {
                    config: f["config"].as_str().unwrap_or_default().to_string(),
                    strict: f["strict"].as_bool().unwrap_or(false),
                    keys: strings(&f["keys"]),
                };
                (name.clone(), keys)
            },
        ));
        ConfigKeysFile {
            release: Version::parse(v["vllm_version"].as_str().unwrap_or_default())
                .expect("a release in the data"),
            flags,
        }
    })
}

/// The release the config-key lists were generated from.
pub fn config_keys_release() -> Version {
    config_keys_file().release
}

/// The keys `flag` (canonical name) accepts, if it is a config flag of the data's release.
pub fn config_keys(flag: &str) -> Option<&'static ConfigKeys> {
    config_keys_file().flags.get(flag)
}

/// Where a `VLLM_*` variable stands in one release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvStatus {
    /// The release reads it.
    Read,
    /// An earlier release read it (last in `last`); this one ignores it. `replaced_by` is the
    /// flag the removing release pointed to, with where it says so.
    Removed {
        last: Version,
        replaced_by: Option<(&'static str, &'static str)>,
    },
    /// Only later releases read it (from `first`).
    NotYet { first: Version },
    /// No release of the data reads it.
    Unknown,
}

/// A variable's release index ranges, and its replacement (flag, source).
type EnvFacts = (Vec<(usize, usize)>, Option<(String, String)>);

struct Envs {
    releases: Vec<Version>,
    variables: BTreeMap<String, EnvFacts>,
}

fn envs() -> &'static Envs {
    static ENVS: OnceLock<Envs> = OnceLock::new();
    ENVS.get_or_init(|| {
        let file: Value =
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/vllm-envs.json")))
                .expect("vllm-envs.json is valid");
        let releases: Vec<Version> = strings(&file["releases"])
            .iter()
            .map(|r| Version::parse(r).expect("a release in the data"))
            .collect();
        let index = |r: &Value| {
            let v = Version::parse(r.as_str().unwrap_or_default()).expect("a release");
            releases.iter().position(|x| *x == v).expect("listed")
        };
        let variables =
            crate::order::map_of(file["variables"].as_object().into_iter().flatten().map(
                |(name, f)| {
                    let ranges = f["ranges"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|r| (index(&r[0]), index(&r[1])))
                        .collect();
                    let replaced = f["replaced_by"]
                        .as_str()
                        .zip(f["replacement_source"].as_str())
                        .map(|(a, b)| (a.to_string(), b.to_string()));
                    (name.clone(), (ranges, replaced))
                },
            ));
        Envs {
            releases,
            variables,
        }
    })
}

/// Whether `release` reads the environment variable `name`. A release without a published
/// source in the data is judged by the nearest release before it (the first one if none).
pub fn env_status(name: &str, release: Version) -> EnvStatus {
    let e = envs();
    let Some((ranges, replaced)) = e.variables.get(name) else {
        return EnvStatus::Unknown;
    };
    let at = e.releases.iter().rposition(|r| *r <= release).unwrap_or(0);
    if ranges.iter().any(|(a, b)| (*a..=*b).contains(&at)) {
        return EnvStatus::Read;
    }
    if let Some((_, last)) = ranges.iter().rev().find(|(_, b)| *b < at) {
        return EnvStatus::Removed {
            last: e.releases[*last],
            replaced_by: replaced.as_ref().map(|(f, s)| (f.as_str(), s.as_str())),
        };
    }
    EnvStatus::NotYet {
        first: e.releases[ranges[0].0],
    }
}

/// The variable names any release reads, for suggestions.
pub fn env_names() -> impl Iterator<Item = &'static str> {
    envs().variables.keys().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn environment_variables_follow_the_releases_that_read_them() {
        assert_eq!(
            env_status("VLLM_ATTENTION_BACKEND", v("0.10.0")),
            EnvStatus::Read
        );
        match env_status("VLLM_ATTENTION_BACKEND", v("0.33.0")) {
            EnvStatus::Removed { last, replaced_by } => {
                assert_eq!(last, v("0.14.1"));
                assert_eq!(replaced_by.unwrap().0, "--attention-backend");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            env_status("VLLM_USE_V1", v("0.33.0")),
            EnvStatus::Removed { .. }
        ));
        assert_eq!(
            env_status("VLLM_FROBNICATE", v("0.33.0")),
            EnvStatus::Unknown
        );
        // 0.15.0 has no sdist: judged as 0.14.1, the release before it.
        assert_eq!(
            env_status("VLLM_ATTENTION_BACKEND", v("0.15.0")),
            EnvStatus::Read
        );
        assert!(env_names().filter(|n| n.starts_with("VLLM_")).count() > 400);
    }

    #[test]
    fn config_flags_list_their_keys() {
        let c = config_keys("compilation-config").unwrap();
        assert!(c.strict && c.keys.iter().any(|k| k == "mode"));
        assert!(!c.keys.iter().any(|k| k == "level"));
        assert!(!config_keys("speculative-config").unwrap().strict);
        assert_eq!(config_keys_release(), v("0.33.0"));
    }
}
