//! The serving profile: what a compose service running `vllm/vllm-openai` says, plus the hardware
//! and release it is checked against.
use super::catalog::{Catalog, Kind};
use super::defaults::default_for;
use super::gpu;
use super::version::{Version, LATEST};
use serde_json::Value;

/// A flag's value as written on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgValue {
    /// A boolean flag: `--x` (true) or `--no-x` / its paired opposite (false).
    Switch(bool),
    /// The words after the flag: usually one, none for a bare unknown flag, several for lists.
    Words(Vec<String>),
}

impl ArgValue {
    /// One word.
    pub fn word(text: impl Into<String>) -> ArgValue {
        ArgValue::Words(vec![text.into()])
    }

    /// The value as one piece of text (words joined by spaces; switches as true/false).
    pub fn text(&self) -> String {
        match self {
            ArgValue::Switch(b) => b.to_string(),
            ArgValue::Words(w) => w.join(" "),
        }
    }
}

/// One flag given to `vllm serve`, by canonical name (no dashes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg {
    pub name: String,
    pub value: ArgValue,
}

/// The GPUs the container gets (`deploy.resources.reservations.devices`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GpuDevices {
    /// No GPU reservation in the file (GPUs come from `runtime: nvidia`, `gpus:`, devices, …).
    None,
    /// `count: all`.
    All,
    /// `count: N`.
    Count(u32),
    /// `device_ids: [...]`, each a string (may be `${VAR}`).
    Ids(Vec<String>),
}

impl GpuDevices {
    /// How many GPUs this names when that is known without the environment.
    pub fn literal_count(&self) -> Option<u32> {
        match self {
            GpuDevices::All | GpuDevices::None => None,
            GpuDevices::Count(n) => Some(*n),
            // `device_ids: ["all"]`: the NVIDIA runtime's every-GPU keyword, not one id.
            GpuDevices::Ids(ids) if ids.iter().any(|i| i.contains('$') || i == "all") => None,
            GpuDevices::Ids(ids) => Some(ids.iter().flat_map(|i| i.split(',')).count() as u32),
        }
    }
}

/// The container's health check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Healthcheck {
    /// `["CMD", "curl", "-f", "http://localhost:5002/health"]`.
    pub test: Vec<String>,
    pub interval: String,
    pub timeout: String,
    pub retries: u32,
    pub start_period: String,
}

impl ComposeSettings {
    /// A service entry kept as written (its JSON), if the import kept one under `key`.
    pub fn kept_entry(&self, key: &str) -> Option<&str> {
        self.kept
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

impl Healthcheck {
    /// A health check with nothing set yet (Compose's default of 3 retries).
    pub fn empty() -> Healthcheck {
        Healthcheck {
            test: Vec::new(),
            interval: String::new(),
            timeout: String::new(),
            retries: 3,
            start_period: String::new(),
        }
    }
}

/// Compose-level settings of the service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeSettings {
    pub service: String,
    /// Empty: none.
    pub container_name: String,
    pub image: String,
    pub tag: String,
    /// Host side of the port mapping (may be `${VAR:-5002}`); empty: no mapping.
    pub host_port: String,
    pub devices: GpuDevices,
    /// Host path mounted at `/root/.cache/huggingface`; empty: none.
    pub hf_cache: String,
    /// Pass `HF_TOKEN=${HF_TOKEN}` (never a literal token).
    pub hf_token: bool,
    /// `ipc: host`.
    pub ipc_host: bool,
    /// `shm_size` (`16gb`); empty: none.
    pub shm_size: String,
    pub healthcheck: Option<Healthcheck>,
    /// Empty: none.
    pub restart: String,
    /// Other environment entries, kept as imported.
    pub extra_env: Vec<(String, String)>,
    /// Service entries the fields above do not model exactly, as (key, JSON), in file order;
    /// exports write them back as they are (an edit of the field that owns one drops it).
    pub kept: Vec<(String, String)>,
    /// Top-level sections the service may refer to (`volumes`, `networks`, …), as (key, JSON).
    pub kept_top: Vec<(String, String)>,
}

impl Default for ComposeSettings {
    /// The app's compose defaults (the share-link format omits values equal to these).
    fn default() -> Self {
        ComposeSettings {
            service: "vllm".into(),
            container_name: String::new(),
            image: "vllm/vllm-openai".into(),
            tag: "latest".into(),
            host_port: String::new(),
            devices: GpuDevices::All,
            hf_cache: String::new(),
            hf_token: false,
            ipc_host: false,
            shm_size: String::new(),
            healthcheck: None,
            restart: String::new(),
            extra_env: Vec::new(),
            kept: Vec::new(),
            kept_top: Vec::new(),
        }
    }
}

/// The hardware the profile is checked against.
#[derive(Clone, Debug, PartialEq)]
pub struct Hardware {
    /// A GPU catalog id (`rtx-3090`) or `custom`.
    pub gpu: String,
    pub gpu_count: u32,
    /// Overrides the card's memory (a custom card, or one vLLM reads differently).
    pub gpu_memory_gib: Option<f64>,
    /// Hosts the deployment spans (`gpu_count` GPUs each); 1: one box, the compose service.
    pub nodes: u32,
    /// How the GPUs talk across ranks: `nvlink`, `pcie`, `infiniband`, `ethernet`; empty:
    /// not stated (tensor parallelism across nodes is then flagged).
    pub interconnect: String,
}

impl Default for Hardware {
    fn default() -> Self {
        Hardware {
            gpu: gpu::DEFAULT_GPU.into(),
            gpu_count: 2,
            gpu_memory_gib: None,
            nodes: 1,
            interconnect: String::new(),
        }
    }
}

/// A whole serving profile.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub vllm_version: Version,
    pub hardware: Hardware,
    /// The served model (`--model` / the positional model tag). Empty: vLLM's default.
    pub model: String,
    /// The file gave the model positionally (`vllm serve MODEL …`); exports keep that form.
    pub model_positional: bool,
    /// Every other flag, in command order.
    pub args: Vec<Arg>,
    /// Command words of an imported file that vLLM would refuse as unrecognized arguments
    /// (`#` notes Compose passes on, words with no flag). Kept so the verdict matches the file;
    /// exports from scratch and links leave them out.
    pub stray: Vec<String>,
    /// Whole-variable command words (`${EXTRA_ARGS}`) that Compose expands into flags; kept as
    /// written after the flags (links leave them out).
    pub env_words: Vec<String>,
    pub compose: ComposeSettings,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            vllm_version: LATEST,
            hardware: Hardware::default(),
            model: String::new(),
            model_positional: false,
            args: Vec::new(),
            stray: Vec::new(),
            env_words: Vec::new(),
            compose: ComposeSettings::default(),
        }
    }
}

/// vLLM's default model (`--model` default in 0.33.0).
pub fn default_model() -> String {
    Catalog::get()
        .flag("model")
        .and_then(|f| f.default.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl Profile {
    /// The model id vLLM will load.
    pub fn model_id(&self) -> String {
        if self.model.is_empty() {
            default_model()
        } else {
            self.model.clone()
        }
    }

    /// The value set for a flag, if any.
    pub fn get(&self, name: &str) -> Option<&ArgValue> {
        self.args.iter().find(|a| a.name == name).map(|a| &a.value)
    }

    /// The flag's value as one text (`None` when unset).
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(ArgValue::text)
    }

    /// Sets a flag, keeping its place when it was already set.
    pub fn set(&mut self, name: &str, value: ArgValue) {
        match self.args.iter_mut().find(|a| a.name == name) {
            Some(arg) => arg.value = value,
            None => self.args.push(Arg {
                name: name.into(),
                value,
            }),
        }
    }

    /// Removes a flag (back to vLLM's default).
    pub fn unset(&mut self, name: &str) {
        self.args.retain(|a| a.name != name);
    }

    /// The value in effect: the set one, else the selected release's default as JSON.
    pub fn effective(&self, name: &str) -> std::borrow::Cow<'static, Value> {
        use std::borrow::Cow::Owned;
        match self.get(name) {
            Some(ArgValue::Switch(b)) => Owned(Value::Bool(*b)),
            Some(ArgValue::Words(w)) => Owned(Value::String(w.join(" "))),
            None => default_for(name, self.vllm_version),
        }
    }

    /// An integer flag's value in effect (`32k` style accepted), when it has one.
    pub fn int(&self, name: &str) -> Option<i64> {
        match &*self.effective(name) {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => parse_human_int(s),
            _ => None,
        }
    }

    /// A float flag's value in effect.
    pub fn float(&self, name: &str) -> Option<f64> {
        match &*self.effective(name) {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A boolean flag's value in effect (`None`: vLLM decides at startup).
    pub fn flag_on(&self, name: &str) -> Option<bool> {
        match &*self.effective(name) {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.is_empty() => Some(true),
            _ => None,
        }
    }

    /// The port vLLM listens on inside the container (`--port`, default 8000).
    pub fn container_port(&self) -> i64 {
        // An unreadable --port is refused by the rules; the estimate still needs a number.
        self.int("port")
            .or_else(|| default_for("port", self.vllm_version).as_i64())
            .unwrap_or_default()
    }

    /// Whether a set value is the same as vLLM's (0.33.0) default for that flag.
    pub fn is_default_value(name: &str, value: &ArgValue) -> bool {
        let Some(flag) = Catalog::get().flag(name) else {
            return false;
        };
        match (value, &flag.default) {
            (ArgValue::Switch(b), Value::Bool(d)) => b == d,
            (ArgValue::Words(w), Value::String(d)) => w.len() == 1 && &w[0] == d,
            (ArgValue::Words(w), Value::Number(d)) if w.len() == 1 => match flag.kind {
                Kind::Int | Kind::HumanInt | Kind::HumanIntOrAuto => {
                    parse_human_int(&w[0]).is_some() && parse_human_int(&w[0]) == d.as_i64()
                }
                Kind::Float => w[0].parse::<f64>().ok() == d.as_f64(),
                _ => false,
            },
            _ => false,
        }
    }
}

/// Parses vLLM's human-readable integers: `1k` = 1000, `1K` = 1024, `25.6k`, `1m`/`1M`, `1g`/`1G`.
/// Source: `vllm/engine/arg_utils.py::human_readable_int`.
pub fn parse_human_int(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Some(n);
    }
    // The unit is the last character, which may be more than one byte (found by the fuzzer).
    let (num, unit) = t.split_at(t.char_indices().last()?.0);
    let scale: f64 = match unit {
        "k" => 1e3,
        "m" => 1e6,
        "g" => 1e9,
        "t" => 1e12,
        "K" => 1024.0,
        "M" => 1024f64.powi(2),
        "G" => 1024f64.powi(3),
        "T" => 1024f64.powi(4),
        _ => return None,
    };
    let n: f64 = num.parse().ok().filter(|n: &f64| n.is_finite())?;
    // Binary units take whole numbers only; decimal ones may carry a fraction.
    if unit.chars().all(char::is_uppercase) && n.fract() != 0.0 {
        return None;
    }
    Some((n * scale) as i64)
}

#[cfg(test)]
mod fuzz_findings {
    #[test]
    fn a_multibyte_last_character_is_no_unit() {
        assert_eq!(super::parse_human_int("1\u{fffd}"), None);
        assert_eq!(super::parse_human_int("2K"), Some(2048));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_ints_follow_vllm() {
        assert_eq!(parse_human_int("131072"), Some(131072));
        assert_eq!(parse_human_int("32k"), Some(32000));
        assert_eq!(parse_human_int("32K"), Some(32768));
        assert_eq!(parse_human_int("25.6k"), Some(25600));
        assert_eq!(parse_human_int("1.5K"), None);
        assert_eq!(parse_human_int("-1"), Some(-1));
        assert_eq!(parse_human_int("lots"), None);
        assert_eq!(parse_human_int(""), None);
    }

    #[test]
    fn effective_values_fall_back_to_vllm_defaults() {
        let mut p = Profile::default();
        assert_eq!(p.float("gpu-memory-utilization"), Some(0.92));
        assert_eq!(p.container_port(), 8000);
        p.set("port", ArgValue::word("5002"));
        p.set("max-model-len", ArgValue::word("128k"));
        assert_eq!(p.container_port(), 5002);
        assert_eq!(p.int("max-model-len"), Some(128000));
        assert!(Profile::is_default_value(
            "gpu-memory-utilization",
            &ArgValue::word("0.920")
        ));
        assert!(Profile::is_default_value("dtype", &ArgValue::word("auto")));
        assert!(!Profile::is_default_value("dtype", &ArgValue::word("half")));
        assert_eq!(GpuDevices::Ids(vec!["0,1".into()]).literal_count(), Some(2));
        assert_eq!(GpuDevices::Ids(vec!["${X}".into()]).literal_count(), None);
    }
}
