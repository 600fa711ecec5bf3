//! The compose settings the studio models: one table, read by the share-link codec, the diff,
//! the Compose-level checks and the compose form. A setting is known by its `key` everywhere:
//! link key, diff row, finding parameter and `data-testid="compose-<key>"`.
use super::{is_duration, is_size};
use crate::profile::{ComposeSettings, GpuDevices, Healthcheck};

/// Which card a setting belongs to in the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingGroup {
    /// The service itself: names, image, ports, devices, volumes, IPC, restart.
    Service,
    /// The `healthcheck:` block (shown while a health check is enabled).
    Healthcheck,
}

/// How the form edits a setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingControl {
    /// A text field holding the setting's text form.
    Text,
    /// A checkbox: checked when the text form equals this value, unchecked when empty.
    Switch(&'static str),
}

/// One modelled compose setting.
pub struct ComposeSetting {
    /// Stable key: link key, diff row key, finding parameter, `compose-<key>` test id.
    pub key: &'static str,
    /// Where it lives under the service in the compose file.
    pub yaml_path: &'static str,
    /// The service entry that holds it (`""`: the service's own key, for the name); an edit of
    /// the setting rewrites that entry only.
    pub yaml_key: &'static str,
    /// Form label.
    pub label: &'static str,
    /// One line of help under the field (our words).
    pub help: &'static str,
    pub group: SettingGroup,
    pub control: SettingControl,
    /// The text form of the app's default; a link omits a setting whose text equals it.
    pub default: &'static str,
    /// The setting's text form; `None` when its block is absent (no health check).
    pub read: fn(&ComposeSettings) -> Option<String>,
    /// Parses a text form into the settings (creating the health check when needed).
    pub write: fn(&mut ComposeSettings, &str) -> Result<(), String>,
    /// What Compose would refuse in the current value, if anything.
    pub check: fn(&ComposeSettings) -> Option<String>,
}

impl ComposeSetting {
    /// Applies `text` to a copy of `settings` and checks it: the new settings, or why Compose
    /// would refuse them (the original is never touched).
    pub fn apply(&self, settings: &ComposeSettings, text: &str) -> Result<ComposeSettings, String> {
        let mut next = settings.clone();
        (self.write)(&mut next, text)?;
        match self.problem(&next) {
            Some(problem) => Err(problem),
            None => Ok(next),
        }
    }

    /// Writes `text` into a copy of `settings` as written, even where Compose would refuse it
    /// (the `compose-value-invalid` rule reports that): only text the setting cannot hold at
    /// all (a health-check retry count of `x`) is an error, and the original is never touched.
    pub fn write_as_written(
        &self,
        settings: &ComposeSettings,
        text: &str,
    ) -> Result<ComposeSettings, String> {
        let mut next = settings.clone();
        (self.write)(&mut next, text)?;
        Ok(next)
    }

    /// What Compose would refuse; a value through a variable (`${NAME}`) is Compose's to
    /// resolve, so it is not judged as text.
    pub fn problem(&self, c: &ComposeSettings) -> Option<String> {
        if (self.read)(c).is_some_and(|t| t.contains('$')) {
            return None;
        }
        (self.check)(c)
    }
}

/// The setting with this key.
pub fn setting(key: &str) -> Option<&'static ComposeSetting> {
    COMPOSE_SETTINGS.iter().find(|s| s.key == key)
}

/// Problems Compose would refuse in the compose-level settings, as (setting key, message).
pub fn settings_problems(c: &ComposeSettings) -> Vec<(&'static str, String)> {
    COMPOSE_SETTINGS
        .iter()
        .filter_map(|s| s.problem(c).map(|m| (s.key, m)))
        .collect()
}

/// `all`, `count:N`, or the comma-joined ids.
pub fn devices_text(d: &GpuDevices) -> String {
    match d {
        GpuDevices::All => "all".into(),
        GpuDevices::None => "none".into(),
        GpuDevices::Count(n) => format!("count:{n}"),
        GpuDevices::Ids(ids) => {
            let list = ids.join(",");
            // `device_ids: ["all"]` is not `count: all`: a list that reads as a keyword is
            // written `ids:…`.
            match parse_devices(&list) {
                Ok(GpuDevices::Ids(same)) if same == *ids => list,
                _ => format!("ids:{list}"),
            }
        }
    }
}

/// Parses the `devices` value: `all`, `count:N`, `none`, or a comma list of ids / `${VAR}`
/// (`ids:` in front marks a list that would otherwise read as a keyword: `ids:all`).
pub fn parse_devices(text: &str) -> Result<GpuDevices, String> {
    let t = text.trim();
    if let Some(list) = t.strip_prefix("ids:") {
        return Ok(GpuDevices::Ids(
            list.split(',').map(|s| s.trim().to_string()).collect(),
        ));
    }
    if t == "all" {
        return Ok(GpuDevices::All);
    }
    if t == "none" {
        return Ok(GpuDevices::None);
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

/// Letters, digits, `.`, `_` and `-`, at least one.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "._-".contains(ch))
}

fn health(c: &mut ComposeSettings) -> &mut Healthcheck {
    // The fields now say what the health check is: a kept block of other fields goes.
    drop_kept(c, "healthcheck");
    c.healthcheck.get_or_insert_with(Healthcheck::empty)
}

/// An edited field owns its entry from now on: the entry kept as written goes.
fn drop_kept(c: &mut ComposeSettings, key: &str) {
    c.kept.retain(|(k, _)| k != key);
}

fn duration_problem(value: &str) -> Option<String> {
    (!value.is_empty() && !is_duration(value))
        .then(|| format!("`{value}` is not a duration such as `30s` or `5m`"))
}

fn no_problem(_: &ComposeSettings) -> Option<String> {
    None
}

/// Every modelled compose setting, in form and link order.
pub const COMPOSE_SETTINGS: &[ComposeSetting] = &[
    ComposeSetting {
        key: "service",
        yaml_path: "services.<name>",
        yaml_key: "",
        label: "Service name",
        help: "",
        group: SettingGroup::Service,
        control: SettingControl::Text,
        default: "vllm",
        read: |c| Some(c.service.clone()),
        write: |c, v| {
            c.service = v.to_string();
            Ok(())
        },
        check: |c| {
            (!is_name(&c.service))
                .then(|| "a service name uses letters, digits, `.`, `_` and `-` only".into())
        },
    },
    ComposeSetting {
        key: "container-name",
        yaml_path: "container_name",
        yaml_key: "container_name",
        label: "container_name",
        help: "Empty: Compose names the container.",
        group: SettingGroup::Service,
        control: SettingControl::Text,
        default: "",
        read: |c| Some(c.container_name.clone()),
        write: |c, v| {
            c.container_name = v.to_string();
            Ok(())
        },
        check: |c| {
            let name = &c.container_name;
            let ok = is_name(name) && name.starts_with(|ch: char| ch.is_ascii_alphanumeric());
            (!name.is_empty() && !ok).then(|| {
                "a container name starts with a letter or digit and uses letters, digits, \
                 `.`, `_` and `-`"
                    .into()
            })
        },
    },
    ComposeSetting {
        key: "image",
        yaml_path: "image (before the `:`)",
        yaml_key: "image",
        label: "Image",
        help: "",
        group: SettingGroup::Service,
        control: SettingControl::Text,
        default: "vllm/vllm-openai",
        read: |c| Some(c.image.clone()),
        write: |c, v| {
            c.image = v.to_string();
            Ok(())
        },
        check: |c| {
            (c.image.is_empty() || c.image.contains(char::is_whitespace))
                .then(|| "the image name is empty or has spaces".into())
        },
    },
    ComposeSetting {
        key: "tag",
        yaml_path: "image (after the `:`)",
        yaml_key: "image",
        label: "Image tag",
        help: "Pin the release you validated against, e.g. v0.33.0.",
        group: SettingGroup::Service,
        control: SettingControl::Text,
        default: "latest",
        read: |c| Some(c.tag.clone()),
        write: |c, v| {
            // `${IMAGE}` or `vllm/vllm-openai:${TAG}`: the tag is the variable's to set.
            if c.image.contains('$') && !v.is_empty() {
                return Err(format!(
                    "the image comes through a variable (`{}`): set its tag in .env",
                    c.image
                ));
            }
            c.tag = v.to_string();
            Ok(())
        },
        check: |c| {
            // An image given through a variable or with a digest carries its own tag.
            let own = c.image.contains('$') || c.image.contains('@');
            // A digest may follow the tag (`v0.30.0@sha256:…`).
            let tag = c.tag.split('@').next().unwrap_or_default();
            let bad = (c.tag.is_empty() && !own)
                || c.tag.contains(char::is_whitespace)
                || tag.contains(':');
            bad.then(|| "the tag is empty or has spaces or `:`".into())
        },
    },
    ComposeSetting {
        key: "host-port",
        yaml_path: "ports[0] (host side)",
        yaml_key: "ports",
        label: "Host port",
        help: "Mapped to the container's --port; a number or ${VAR:-5002}. \
            Empty: not published.",
        group: SettingGroup::Service,
        control: SettingControl::Text,
        default: "",
        read: |c| Some(c.host_port.clone()),
        write: |c, v| {
            c.host_port = v.to_string();
            drop_kept(c, "ports");
            Ok(())
        },
        check: |c| {
            let p = &c.host_port;
            let bad =
                !p.is_empty() && !p.starts_with("${") && p.parse::<u16>().map_or(true, |n| n == 0);
            bad.then(|| "a host port is 1–65535 or a `${VAR}` reference".into())
        },
    },
    ComposeSetting {
        key: "devices",
        yaml_path: "deploy.resources.reservations.devices[0]",
        yaml_key: "deploy",
        label: "GPU devices",
        help:
            "all, count:N, ids like 0,1, ${CUDA_VISIBLE_DEVICES_MEDIUM}, or none (no reservation).",
        group: SettingGroup::Service,
        control: SettingControl::Text,
        default: "all",
        read: |c| Some(devices_text(&c.devices)),
        write: |c, v| {
            c.devices = parse_devices(v)?;
            drop_kept(c, "deploy");
            Ok(())
        },
        check: |c| match &c.devices {
            GpuDevices::Ids(ids) if ids.is_empty() || ids.iter().any(|i| i.trim().is_empty()) => {
                Some("device ids must not be empty".into())
            }
            GpuDevices::Ids(ids) => {
                let mut seen = std::collections::HashSet::new();
                (!ids.iter().all(|i| seen.insert(i)))
                    .then(|| "a device id is listed twice (Compose refuses duplicates)".into())
            }
            GpuDevices::Count(0) => Some("a GPU count of 0 gives the container no GPU".into()),
            _ => None,
        },
    },
    ComposeSetting {
        key: "hf-cache",
        yaml_path: "volumes (… :/root/.cache/huggingface)",
        yaml_key: "volumes",
        label: "HF cache on the host",
        help: "Mounted at /root/.cache/huggingface so weights download once.",
        group: SettingGroup::Service,
        control: SettingControl::Text,
        default: "",
        read: |c| Some(c.hf_cache.clone()),
        write: |c, v| {
            c.hf_cache = v.to_string();
            Ok(())
        },
        check: no_problem,
    },
    ComposeSetting {
        key: "env-hf-token",
        yaml_path: "environment.HF_TOKEN",
        yaml_key: "environment",
        label: "Pass HF_TOKEN from .env (as ${HF_TOKEN}, never a literal)",
        help: "",
        group: SettingGroup::Service,
        control: SettingControl::Switch("true"),
        default: "",
        read: |c| Some(if c.hf_token { "true" } else { "" }.into()),
        write: |c, v| {
            c.hf_token = v == "true";
            drop_kept(c, "environment");
            Ok(())
        },
        check: no_problem,
    },
    ComposeSetting {
        key: "ipc",
        yaml_path: "ipc",
        yaml_key: "ipc",
        label: "ipc: host (shared memory for tensor parallelism)",
        help: "",
        group: SettingGroup::Service,
        control: SettingControl::Switch("host"),
        default: "",
        read: |c| Some(if c.ipc_host { "host" } else { "" }.into()),
        write: |c, v| {
            c.ipc_host = v == "host";
            drop_kept(c, "ipc");
            Ok(())
        },
        check: no_problem,
    },
    ComposeSetting {
        key: "shm-size",
        yaml_path: "shm_size",
        yaml_key: "shm_size",
        label: "shm_size",
        help: "Instead of ipc: host, e.g. 16gb.",
        group: SettingGroup::Service,
        control: SettingControl::Text,
        default: "",
        read: |c| Some(c.shm_size.clone()),
        write: |c, v| {
            c.shm_size = v.to_string();
            Ok(())
        },
        check: |c| {
            (!c.shm_size.is_empty() && !is_size(&c.shm_size))
                .then(|| "a size looks like `16gb`, `512m` or a byte count".into())
        },
    },
    ComposeSetting {
        key: "restart",
        yaml_path: "restart",
        yaml_key: "restart",
        label: "Restart policy",
        help: "no, always, on-failure or unless-stopped.",
        group: SettingGroup::Service,
        control: SettingControl::Text,
        default: "",
        read: |c| Some(c.restart.clone()),
        write: |c, v| {
            c.restart = v.to_string();
            Ok(())
        },
        check: |c| {
            let known = ["", "no", "always", "on-failure", "unless-stopped"];
            (!known.contains(&c.restart.as_str()) && !c.restart.starts_with("on-failure:"))
                .then(|| "restart is no, always, on-failure[:N] or unless-stopped".into())
        },
    },
    ComposeSetting {
        key: "health-test",
        yaml_path: "healthcheck.test",
        yaml_key: "healthcheck",
        label: "test (JSON list)",
        help: "",
        group: SettingGroup::Healthcheck,
        control: SettingControl::Text,
        default: "",
        read: |c| c.healthcheck.as_ref().map(|h| string_list_json(&h.test)),
        write: |c, v| {
            health(c).test = parse_string_list(v)?;
            Ok(())
        },
        check: |c| {
            c.healthcheck
                .as_ref()
                .filter(|h| h.test.is_empty())
                .map(|_| "the health check has no test".into())
        },
    },
    ComposeSetting {
        key: "health-interval",
        yaml_path: "healthcheck.interval",
        yaml_key: "healthcheck",
        label: "interval",
        help: "",
        group: SettingGroup::Healthcheck,
        control: SettingControl::Text,
        default: "",
        read: |c| c.healthcheck.as_ref().map(|h| h.interval.clone()),
        write: |c, v| {
            health(c).interval = v.to_string();
            Ok(())
        },
        check: |c| duration_problem(&c.healthcheck.as_ref()?.interval),
    },
    ComposeSetting {
        key: "health-timeout",
        yaml_path: "healthcheck.timeout",
        yaml_key: "healthcheck",
        label: "timeout",
        help: "",
        group: SettingGroup::Healthcheck,
        control: SettingControl::Text,
        default: "",
        read: |c| c.healthcheck.as_ref().map(|h| h.timeout.clone()),
        write: |c, v| {
            health(c).timeout = v.to_string();
            Ok(())
        },
        check: |c| duration_problem(&c.healthcheck.as_ref()?.timeout),
    },
    ComposeSetting {
        key: "health-retries",
        yaml_path: "healthcheck.retries",
        yaml_key: "healthcheck",
        label: "retries",
        help: "",
        group: SettingGroup::Healthcheck,
        control: SettingControl::Text,
        default: "",
        read: |c| c.healthcheck.as_ref().map(|h| h.retries.to_string()),
        write: |c, v| {
            health(c).retries = v
                .trim()
                .parse()
                .map_err(|_| format!("`{v}` is not a retry count"))?;
            Ok(())
        },
        check: no_problem,
    },
    ComposeSetting {
        key: "health-start-period",
        yaml_path: "healthcheck.start_period",
        yaml_key: "healthcheck",
        label: "start_period",
        help: "",
        group: SettingGroup::Healthcheck,
        control: SettingControl::Text,
        default: "",
        read: |c| c.healthcheck.as_ref().map(|h| h.start_period.clone()),
        write: |c, v| {
            health(c).start_period = v.to_string();
            Ok(())
        },
        check: |c| duration_problem(&c.healthcheck.as_ref()?.start_period),
    },
];

/// The finding parameter for the health check as a whole (the form's enable switch).
pub const HEALTHCHECK: &str = "healthcheck";

/// Prefix of the link keys that carry other environment entries (`env.NAME`).
pub const ENV_PREFIX: &str = "env.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_of_the_table_are_the_text_of_the_app_defaults() {
        let d = ComposeSettings::default();
        for s in COMPOSE_SETTINGS {
            let text = (s.read)(&d).unwrap_or_default();
            assert_eq!(text, s.default, "{}", s.key);
            assert_eq!((s.check)(&d), None, "{}", s.key);
        }
    }

    #[test]
    fn every_setting_reads_back_what_it_writes() {
        let mut c = ComposeSettings::default();
        let samples = [
            ("service", "vllm-medium"),
            ("container-name", "vllm_1"),
            ("tag", "v0.33.0"),
            ("host-port", "${PORT:-5002}"),
            ("devices", "0,1"),
            ("env-hf-token", "true"),
            ("ipc", "host"),
            ("shm-size", "16gb"),
            ("restart", "unless-stopped"),
            (
                "health-test",
                r#"["CMD","curl","-f","http://localhost:8000/health"]"#,
            ),
            ("health-interval", "30s"),
            ("health-retries", "5"),
        ];
        for (key, text) in samples {
            let s = setting(key).unwrap();
            c = s.apply(&c, text).unwrap_or_else(|e| panic!("{key}: {e}"));
            assert_eq!((s.read)(&c).as_deref(), Some(text), "{key}");
        }
    }

    #[test]
    fn a_refused_value_leaves_the_settings_untouched() {
        let c = ComposeSettings::default();
        for (key, bad) in [
            ("service", "my service"),
            ("host-port", "0"),
            ("devices", "0,0"),
            ("shm-size", "lots"),
            ("restart", "sometimes"),
            ("health-interval", "soon"),
            ("health-retries", "-1"),
        ] {
            assert!(setting(key).unwrap().apply(&c, bad).is_err(), "{key}={bad}");
        }
        assert_eq!(c, ComposeSettings::default());
        let through_variable = ComposeSettings {
            image: "${VLLM_IMAGE:-vllm/vllm-openai:v0.23.0}".into(),
            tag: String::new(),
            ..ComposeSettings::default()
        };
        let refused = setting("tag")
            .unwrap()
            .apply(&through_variable, "v0.33.0")
            .unwrap_err();
        assert!(refused.contains(".env"), "{refused}");
    }
}
