//! Rules drawn from the real vLLM packages' own definitions (`package_facts`): keys inside JSON
//! config flags, and the `VLLM_*` environment variables a release reads.
use super::{params, Finding, Inputs, RuleId, Severity::*};
use crate::critical::Category::*;
use crate::package_facts::{config_keys, config_keys_release, env_names, env_status, EnvStatus};
use crate::profile::ArgValue;

pub(super) fn check(inputs: &Inputs, out: &mut Vec<Finding>) {
    config_flag_keys(inputs, out);
    environment_variables(inputs, out);
}

/// The closest of `known` to `name`, when it is close enough to be a likely typo.
fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::levenshtein(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 5))
        .min()
        .map(|(_, k)| k)
}

/// `json-key-unknown`: a key a config dataclass has no field for, in `--flag.key value` or
/// `--flag '{"key": …}'`; vLLM's parser builds the dataclass and refuses it.
fn config_flag_keys(inputs: &Inputs, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    // The field lists are 0.33.0's; other releases' fields differ, so they are not judged.
    if p.vllm_version != config_keys_release() {
        return;
    }
    for arg in &p.args {
        let (flag, keys): (&str, Vec<String>) = match arg.name.split_once('.') {
            Some((base, key)) => (base, vec![key.split('.').next().unwrap_or(key).to_string()]),
            None => {
                let ArgValue::Words(w) = &arg.value else {
                    continue;
                };
                match serde_json::from_str::<serde_json::Value>(&w.join(" ")) {
                    Ok(serde_json::Value::Object(m)) => {
                        (arg.name.as_str(), m.keys().cloned().collect())
                    }
                    _ => continue,
                }
            }
        };
        let Some(config) = config_keys(flag).filter(|c| c.strict) else {
            continue;
        };
        let known = |k: &str| {
            config
                .keys
                .iter()
                .any(|f| f == k || *f == k.replace('-', "_"))
        };
        for key in keys.iter().filter(|k| !known(k)) {
            let hint = nearest(key, config.keys.iter().map(String::as_str))
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            out.push(Finding {
                id: RuleId::JsonKeyUnknown,
                severity: Error,
                category: super::category_of(flag),
                params: params(&[&arg.name]),
                message: format!(
                    "--{flag}: `{key}` is not a field of {}{hint}; vLLM {} refuses it while \
                     parsing the arguments.",
                    config.config.rsplit('.').next().unwrap_or_default(),
                    p.vllm_version
                ),
                source: "vllm-config-keys-0.33.0.json (dataclasses.fields of the config class \
                    in the vllm==0.33.0 package)",
                fix: None,
            });
        }
    }
}

/// `env-removed`, `env-not-yet`, `env-unknown`: a `VLLM_*` variable the selected release does
/// not read is ignored without a word, so what it was meant to set silently does not happen.
fn environment_variables(inputs: &Inputs, out: &mut Vec<Finding>) {
    let p = inputs.profile;
    let release = p.vllm_version;
    // A variable the command itself interpolates (`command: $VLLM_COMMAND`) is the file's own
    // plumbing, not a setting meant for vLLM (read from the file as written).
    let w = inputs.written;
    let interpolated = |name: &str| {
        let refs = [format!("${name}"), format!("${{{name}")];
        std::iter::once(&w.model)
            .chain(&w.env_words)
            .chain(w.args.iter().flat_map(|a| match &a.value {
                ArgValue::Words(words) => words.as_slice(),
                ArgValue::Switch(_) => &[],
            }))
            .any(|word| refs.iter().any(|r| word.contains(r.as_str())))
    };
    for (name, _) in p
        .compose
        .extra_env
        .iter()
        .filter(|(n, _)| n.starts_with("VLLM_") && !interpolated(n))
    {
        let (id, message) = match env_status(name, release) {
            EnvStatus::Read => continue,
            EnvStatus::Removed { last, replaced_by } => (
                RuleId::EnvRemoved,
                format!(
                    "vLLM {release} no longer reads {name} (last read by {last}), so it is \
                     ignored{}.",
                    replaced_by
                        .map(|(flag, from)| format!("; use {flag} instead ({from})"))
                        .unwrap_or_default()
                ),
            ),
            EnvStatus::NotYet { first } => (
                RuleId::EnvNotYet,
                format!("{name} is read from vLLM {first} on; {release} ignores it."),
            ),
            EnvStatus::Unknown => (
                RuleId::EnvUnknown,
                format!(
                    "No vLLM release reads {name}{}; it is ignored.",
                    nearest(name, env_names())
                        .map(|n| format!(" (did you mean {n}?)"))
                        .unwrap_or_default()
                ),
            ),
        };
        out.push(Finding {
            id,
            severity: Warning,
            category: Infrastructure,
            params: vec![format!("env.{name}")],
            message,
            source: "vllm-envs.json (vllm/envs.py `environment_variables` of every published \
                release's sdist)",
            fix: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::compose::{import_compose, interpolate::Env};
    use crate::profile::Profile;
    use crate::rules::{evaluate_in, RuleId};

    fn env_findings(yaml: &str) -> Vec<(RuleId, String)> {
        let p = import_compose(yaml, &Profile::default()).unwrap().profile;
        evaluate_in(&p, None, &Env::default())
            .findings
            .into_iter()
            .filter(|f| f.params.iter().any(|x| x.starts_with("env.")))
            .map(|f| (f.id, f.params[0].clone()))
            .collect()
    }

    #[test]
    fn vllm_variables_the_release_ignores_are_named_but_the_files_own_plumbing_is_not() {
        let yaml = "services:\n  vllm:\n    image: vllm/vllm-openai:v0.33.0\n    command: \
                    --model m\n    environment:\n      - VLLM_ATTENTION_BACKEND=FLASH_ATTN\n      \
                    - VLLM_LOGGING_LEVEL=INFO\n      - VLLM_FROBNICATE=1\n";
        assert_eq!(
            env_findings(yaml),
            [
                (RuleId::EnvRemoved, "env.VLLM_ATTENTION_BACKEND".into()),
                (RuleId::EnvUnknown, "env.VLLM_FROBNICATE".into()),
            ]
        );
        // `command: $VLLM_COMMAND` with the variable passed through: Compose's, not vLLM's.
        let plumbing = "services:\n  vllm:\n    image: vllm/vllm-openai:v0.33.0\n    \
                        command: $VLLM_COMMAND\n    environment:\n      - VLLM_COMMAND\n";
        assert_eq!(env_findings(plumbing), []);
    }
}
