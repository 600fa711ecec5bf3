//! Writing a profile out: the compose YAML, the `vllm serve` command and the `.env` file.
//!
//! The YAML is written by hand rather than by a serializer so that every free text is
//! double-quoted (YAML 1.1 readers such as PyYAML would read `22:22`, `yes` or `on` as numbers or
//! booleans) and the command stays a readable folded block, one flag per line.
use super::escape_dollars;
use super::HF_CACHE_MOUNT;
use crate::args::{is_variable_word, to_words};
use crate::profile::{Arg, ArgValue, GpuDevices, Profile};
use crate::shell::quote;

/// The image reference: `image:tag`, or the image alone when it has no tag of its own (a
/// reference through a variable, or a digest).
pub fn image_ref(c: &crate::profile::ComposeSettings) -> String {
    if c.tag.is_empty() {
        c.image.clone()
    } else {
        format!("{}:{}", c.image, c.tag)
    }
}

/// Service entries that name other services of the file (an export holds one service).
pub const REFERS_TO_SERVICES: [&str; 4] = ["depends_on", "links", "volumes_from", "extends"];

/// A volume source that names a Compose volume rather than a host path (`hf`, not `./hf`,
/// `/data`, `~/x` or `${VAR}`).
fn is_named_volume(source: &str) -> bool {
    let path_like = source.starts_with(['/', '.', '~', '$'])
        || source.contains(['/', '\\'])
        || (source.len() > 1 && source.as_bytes()[1] == b':');
    !source.is_empty() && !path_like
}

/// A YAML double-quoted scalar.
pub fn dq(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if !yaml11_printable(c) && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if !yaml11_printable(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a YAML 1.1 reader takes the character literally inside a double-quoted scalar.
/// YAML 1.1's printable set is tab, LF, CR, U+0020–U+007E, U+0085, U+00A0–U+D7FF and
/// U+E000–U+FFFD (and the astral planes); of those, U+0085, U+2028 and U+2029 are line breaks
/// that a reader folds into a space, and U+FEFF is a byte-order mark PyYAML drops. Everything
/// else is written as an escape, so PyYAML and Compose read back exactly the text.
fn yaml11_printable(c: char) -> bool {
    let u = c as u32;
    let printable = matches!(u, 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfffd | 0x10000..);
    printable && !matches!(u, 0x2028 | 0x2029 | 0xfeff)
}

/// The command lines, one flag with its values per line.
fn command_lines(words: &[String]) -> Vec<Vec<&String>> {
    let mut lines: Vec<Vec<&String>> = Vec::new();
    for word in words {
        let starts_flag = word.starts_with("--") || lines.is_empty();
        match lines.last_mut() {
            Some(line) if !starts_flag => line.push(word),
            _ => lines.push(vec![word]),
        }
    }
    lines
}

/// Appends the pieces of one text to `y` (faster than `format!` in the browser build, and the
/// YAML is rewritten on every keystroke).
fn push(y: &mut String, pieces: &[&str]) {
    for piece in pieces {
        y.push_str(piece);
    }
}

/// The compose file for the profile.
pub fn to_yaml(profile: &Profile) -> String {
    let c = &profile.compose;
    let mut y = String::from("services:\n");
    push(&mut y, &["  ", &dq(&c.service), ":\n"]);
    push(&mut y, &["    image: ", &dq(&image_ref(c)), "\n"]);
    if !c.container_name.is_empty() {
        push(
            &mut y,
            &["    container_name: ", &dq(&c.container_name), "\n"],
        );
    }
    let script = c.kept_entry("command");
    let words = if script.is_some() {
        Vec::new()
    } else {
        to_words(profile)
    };
    if let Some(script) = &script {
        push(&mut y, &["    command: ", script, "\n"]);
    }
    let needs_escapes = |w: &String| w.chars().any(|c| c == '\t' || !yaml11_printable(c));
    if words.iter().any(needs_escapes) {
        // A folded block can carry neither a line break inside a word nor an escape; the list
        // form of double-quoted words can.
        y += "    command:\n";
        for w in &words {
            push(&mut y, &["      - ", &dq(&escape_dollars(w)), "\n"]);
        }
    } else if !words.is_empty() {
        y += "    command: >-\n";
        for line in command_lines(&words) {
            // A whole-variable word (`${EXTRA_ARGS:-}`) stays bare: Compose expands it into
            // words of its own (quoted, an empty one would reach vLLM as `''`).
            let quoted: Vec<String> = line
                .iter()
                .map(|w| {
                    // Whole-variable words stay bare, as files write them: Compose splits what
                    // they expand to (quoted, `''` or one word with spaces would reach vLLM).
                    if is_variable_word(w) {
                        (*w).clone()
                    } else {
                        quote(&escape_dollars(w))
                    }
                })
                .collect();
            push(&mut y, &["      ", &quoted.join(" "), "\n"]);
        }
    }
    let kept = |key: &str| {
        c.kept
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    if let Some(env) = kept("environment") {
        push(&mut y, &["    environment: ", env, "\n"]);
    } else if c.hf_token || !c.extra_env.is_empty() {
        y += "    environment:\n";
        if c.hf_token {
            y += "      HF_TOKEN: \"${HF_TOKEN}\"\n";
        }
        for (k, v) in &c.extra_env {
            push(&mut y, &["      ", &dq(k), ": ", &dq(v), "\n"]);
        }
    }
    if let Some(ports) = kept("ports") {
        push(&mut y, &["    ports: ", ports, "\n"]);
    } else if !c.host_port.is_empty() {
        y += "    ports:\n";
        push(
            &mut y,
            &[
                "      - ",
                &dq(&format!("{}:{}", c.host_port, profile.container_port())),
                "\n",
            ],
        );
    }
    // The HF cache item, in the place the file had it among its other volumes.
    let hf_item = (!c.hf_cache.is_empty())
        .then(|| serde_json::Value::from(format!("{}{HF_CACHE_MOUNT}", c.hf_cache)));
    let mut volumes: Vec<serde_json::Value> = kept("volumes")
        .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok())
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let is_hf = |v: &serde_json::Value| v.as_str().is_some_and(|t| t.ends_with(HF_CACHE_MOUNT));
    match (volumes.iter().position(is_hf), &hf_item) {
        (Some(i), Some(item)) => volumes[i] = item.clone(),
        (Some(i), None) => {
            volumes.remove(i);
        }
        (None, Some(item)) => volumes.insert(0, item.clone()),
        (None, None) => {}
    }
    if !volumes.is_empty() {
        y += "    volumes:\n";
        for v in &volumes {
            let text = match v.as_str() {
                Some(t) => dq(t),
                None => v.to_string(),
            };
            push(&mut y, &["      - ", &text, "\n"]);
        }
    }
    if let Some(ipc) = kept("ipc") {
        push(&mut y, &["    ipc: ", ipc, "\n"]);
    } else if c.ipc_host {
        y += "    ipc: \"host\"\n";
    }
    if !c.shm_size.is_empty() {
        push(&mut y, &["    shm_size: ", &dq(&c.shm_size), "\n"]);
    }
    // ROCm images reach the GPUs through /dev/kfd and /dev/dri, not an NVIDIA reservation.
    if let Some(deploy) = kept("deploy") {
        push(&mut y, &["    deploy: ", deploy, "\n"]);
    } else if !c.image.contains("rocm") && c.devices != GpuDevices::None {
        y += "    deploy:\n      resources:\n        reservations:\n          devices:\n";
        y += "            - driver: \"nvidia\"\n";
        match &c.devices {
            GpuDevices::All | GpuDevices::None => y += "              count: \"all\"\n",
            GpuDevices::Count(n) => y += &format!("              count: {n}\n"),
            GpuDevices::Ids(ids) => {
                let list: Vec<String> = ids.iter().map(|i| dq(i)).collect();
                push(
                    &mut y,
                    &["              device_ids: [", &list.join(", "), "]\n"],
                );
            }
        }
        y += "              capabilities: [\"gpu\"]\n";
    }
    if let Some(health) = kept("healthcheck") {
        push(&mut y, &["    healthcheck: ", health, "\n"]);
    } else if let Some(h) = &c.healthcheck {
        let test: Vec<String> = h.test.iter().map(|t| dq(t)).collect();
        y += "    healthcheck:\n";
        push(&mut y, &["      test: [", &test.join(", "), "]\n"]);
        for (key, value) in [
            ("interval", &h.interval),
            ("timeout", &h.timeout),
            ("start_period", &h.start_period),
        ] {
            if !value.is_empty() {
                push(&mut y, &["      ", key, ": ", &dq(value), "\n"]);
            }
        }
        push(&mut y, &["      retries: ", &h.retries.to_string(), "\n"]);
    }
    if !c.restart.is_empty() {
        push(&mut y, &["    restart: ", &dq(&c.restart), "\n"]);
    }
    let owned = [
        "command",
        "environment",
        "ports",
        "volumes",
        "ipc",
        "deploy",
        "healthcheck",
    ];
    for (key, json) in c.kept.iter().filter(|(k, _)| !owned.contains(&k.as_str())) {
        if REFERS_TO_SERVICES.contains(&key.as_str()) {
            // The services it names are not part of this export; Compose would refuse it.
            push(
                &mut y,
                &[
                    "    # ",
                    key,
                    ": ",
                    json,
                    " (names services this export does not hold)\n",
                ],
            );
        } else {
            push(&mut y, &["    ", &dq(key), ": ", json, "\n"]);
        }
    }
    // Top-level sections the service refers to; a named HF-cache volume must be declared.
    let mut top: Vec<(String, serde_json::Value)> = c
        .kept_top
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), serde_json::from_str(v).ok()?)))
        .collect();
    if is_named_volume(&c.hf_cache) {
        match top.iter_mut().find(|(k, _)| k == "volumes") {
            Some((_, serde_json::Value::Object(m))) => {
                m.entry(c.hf_cache.clone()).or_insert(serde_json::json!({}));
            }
            Some((_, v)) => *v = serde_json::json!({ c.hf_cache.clone(): {} }),
            None => top.push((
                "volumes".into(),
                serde_json::json!({ c.hf_cache.clone(): {} }),
            )),
        }
    }
    for (key, value) in top {
        push(&mut y, &[&dq(&key), ": ", &value.to_string(), "\n"]);
    }
    y
}

/// The equivalent `vllm serve` command, one flag per line.
pub fn to_command(profile: &Profile) -> String {
    let mut lines = vec!["vllm serve".to_string()];
    for line in command_lines(&to_words(profile)) {
        lines.push(format!(
            "  {}",
            line.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
        ));
    }
    lines.join(" \\\n") + "\n"
}

/// Names of `${VAR}` / `${VAR:-default}` references with their defaults, in order of appearance.
pub fn env_references(text: &str) -> Vec<(String, Option<String>)> {
    let mut refs: Vec<(String, Option<String>)> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let inner = &after[..end];
        let (name, default) = match inner.find([':', '-', '?']) {
            Some(i) => {
                let d = inner[i..].trim_start_matches([':', '-', '?']);
                (&inner[..i], Some(d.to_string()))
            }
            None => (inner, None),
        };
        if !name.is_empty() && !refs.iter().any(|(n, _)| n == name) {
            refs.push((name.to_string(), default));
        }
        rest = &after[end..];
    }
    refs
}

/// A `.env` file for the variables the compose file uses. GPU ids are filled from the GPU count;
/// secrets are left empty with a comment (never a value).
pub fn to_env(profile: &Profile) -> String {
    let yaml = to_yaml(profile);
    let mut out = String::from(
        "# Variables used by the compose file. Fill in the secrets \
            locally; never commit them.\n",
    );
    let ids: Vec<String> = (0..profile.hardware.gpu_count)
        .map(|i| i.to_string())
        .collect();
    for (name, default) in env_references(&yaml) {
        let in_device_ids = matches!(&profile.compose.devices, GpuDevices::Ids(v) if v.iter().any(|i| i.contains(&format!("${{{name}"))));
        let value = if name == "HF_TOKEN" {
            "# HF_TOKEN=hf_... (your Hugging Face token)".to_string()
        } else if in_device_ids {
            format!("{name}={}", ids.join(","))
        } else {
            format!("{name}={}", default.unwrap_or_default())
        };
        out += &value;
        out.push('\n');
    }
    out
}

/// A single flag written back as its command-line words (for messages and diffs).
pub fn arg_words(arg: &Arg) -> String {
    let p = Profile {
        args: vec![arg.clone()],
        ..Profile::default()
    };
    to_words(&p)
        .iter()
        .map(|w| quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

impl ArgValue {
    /// The value as it would appear after the flag on a command line.
    pub fn shell_text(&self) -> String {
        match self {
            ArgValue::Switch(b) => b.to_string(),
            ArgValue::Words(w) => w.iter().map(|x| quote(x)).collect::<Vec<_>>().join(" "),
        }
    }
}
