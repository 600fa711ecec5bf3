//! A pasted launch line becomes a compose service: `docker run … IMAGE ARGS`, `vllm serve MODEL
//! ARGS` or `python3 -m vllm.entrypoints.openai.api_server ARGS`, split as bash would (quotes,
//! `\` line continuations, `#` comments; PowerShell's backtick continuations too). What has no
//! compose equivalent here is listed, never guessed.
use super::edit::Origin;
use super::import::{ImportError, Imported};
use super::to_yaml;
use super::HF_CACHE_MOUNT;
use crate::args::{launcher_len, parse_words};
use crate::profile::{GpuDevices, Profile};
use crate::version::{release_of_image, LATEST};

/// The commands of a script, each as its words and the line it starts on (bash rules).
fn commands(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut out: Vec<(usize, Vec<String>)> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let (mut in_word, mut line, mut start) = (false, 1, 1);
    let mut chars = text.chars().peekable();
    let end_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' if chars.peek() == Some(&'\n') => {
                chars.next();
                line += 1;
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            '\'' => {
                in_word = true;
                for n in chars.by_ref() {
                    if n == '\'' {
                        break;
                    }
                    word.push(n);
                }
            }
            '"' => {
                in_word = true;
                while let Some(n) = chars.next() {
                    match n {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) => {
                            word.push(chars.next().unwrap())
                        }
                        '\n' => {
                            line += 1;
                            word.push(n)
                        }
                        _ => word.push(n),
                    }
                }
            }
            '#' if !in_word => {
                while chars.peek().is_some_and(|n| *n != '\n') {
                    chars.next();
                }
            }
            '\n' | ';' | '&' | '|' => {
                end_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    out.push((start, std::mem::take(&mut words)));
                }
                if c == '\n' {
                    line += 1;
                }
                start = line;
            }
            c if c.is_whitespace() => end_word(&mut word, &mut in_word, &mut words),
            c => {
                if !in_word && words.is_empty() {
                    start = line;
                }
                in_word = true;
                word.push(c);
            }
        }
    }
    end_word(&mut word, &mut in_word, &mut words);
    if !words.is_empty() {
        out.push((start, words));
    }
    out
}

/// Docker options that take a value (the next word, or after `=`).
const DOCKER_VALUE_OPTIONS: [&str; 30] = [
    "-p",
    "--publish",
    "-v",
    "--volume",
    "-e",
    "--env",
    "--env-file",
    "--name",
    "--gpus",
    "--shm-size",
    "--ipc",
    "--restart",
    "--network",
    "--net",
    "--runtime",
    "--entrypoint",
    "-w",
    "--workdir",
    "-u",
    "--user",
    "--mount",
    "--device",
    "--cpus",
    "-m",
    "--memory",
    "--ulimit",
    "--platform",
    "-l",
    "--label",
    "--hostname",
];

/// Where a launch starts in a command: `docker run`, `vllm serve`, `python -m vllm…`.
enum Launch {
    Docker(usize),
    Vllm(usize),
}

fn launch_of(words: &[String]) -> Option<Launch> {
    let skip = words
        .iter()
        .position(|w| !(w.contains('=') && !w.starts_with('-') || w == "sudo" || w == "exec"))?;
    let rest = &words[skip..];
    let is = |i: usize, w: &str| rest.get(i).is_some_and(|x| x == w);
    if (is(0, "docker") || is(0, "podman"))
        && (is(1, "run") || (is(1, "container") && is(2, "run")))
    {
        return Some(Launch::Docker(skip + if is(1, "run") { 2 } else { 3 }));
    }
    let at = (0..rest.len()).find(|&i| launcher_len(&rest[i..]) > 0)?;
    Some(Launch::Vllm(skip + at + launcher_len(&rest[at..])))
}

/// Whether a launch runs vLLM: a `docker run` whose `--entrypoint` (if any) is vLLM's.
fn starts_vllm(words: &[String], launch: &Launch) -> bool {
    match launch {
        Launch::Vllm(_) => true,
        Launch::Docker(at) => {
            let opts = &words[*at..];
            let entry = opts
                .windows(2)
                .find(|w| w[0] == "--entrypoint")
                .map(|w| w[1].as_str())
                .or_else(|| opts.iter().find_map(|w| w.strip_prefix("--entrypoint=")));
            entry.is_none_or(|e| e.ends_with("vllm") || e.starts_with("python"))
        }
    }
}

/// Reads the pasted text's `number`-th launch line (0: the first) into a profile.
pub fn import_command(text: &str, current: &Profile) -> Result<Imported, ImportError> {
    let found: Vec<(usize, Vec<String>, Launch)> = commands(text)
        .into_iter()
        .filter_map(|(line, words)| launch_of(&words).map(|l| (line, words, l)))
        .filter(|(_, words, l)| starts_vllm(words, l))
        .collect();
    let Some((line, words, launch)) = found.into_iter().next() else {
        return Err(ImportError {
            location: None,
            message: "no `docker run`, `vllm serve` or `python -m vllm.entrypoints…` line found"
                .into(),
        });
    };
    let mut notes = vec![format!("Read the launch line that starts on line {line}.")];
    let mut profile = Profile {
        compose: Default::default(),
        ..current.clone()
    };
    profile.model.clear();
    profile.args.clear();
    profile.stray.clear();
    let args: Vec<String> = match launch {
        Launch::Vllm(at) => words[at..].to_vec(),
        Launch::Docker(at) => {
            let (image_at, unmapped) = docker_options(&words[at..], &mut profile);
            if !unmapped.is_empty() {
                notes.push(format!(
                    "No compose setting here for: {}.",
                    unmapped.join(" ")
                ));
            }
            let Some(image) = words.get(at + image_at) else {
                return Err(ImportError {
                    location: Some((line, 1)),
                    message: "`docker run` names no image".into(),
                });
            };
            let (name, tag) = image
                .rsplit_once(':')
                .filter(|(n, _)| !n.ends_with('/'))
                .unwrap_or((image, "latest"));
            profile.compose.image = name.to_string();
            profile.compose.tag = tag.to_string();
            if let Some(v) = release_of_image(image).filter(|v| *v <= LATEST) {
                profile.vllm_version = v;
            }
            // `--entrypoint vllm IMAGE serve MODEL …`: the entrypoint starts the launch.
            let mut rest = words[at + image_at + 1..].to_vec();
            if let Some(e) = words[at..at + image_at]
                .windows(2)
                .find(|w| w[0] == "--entrypoint")
            {
                rest.insert(0, e[1].clone());
            }
            rest
        }
    };
    for w in args.iter().filter(|w| w.contains("[@]}")) {
        notes.push(format!(
            "`{w}` is a shell array the script fills at run time; its flags cannot be read here."
        ));
    }
    let parsed = parse_words(&args[launcher_len(&args)..]);
    profile.model = parsed.model.unwrap_or_default();
    profile.args = parsed.args;
    profile.stray = parsed.stray;
    profile.env_words = parsed.env_words;
    notes.extend(parsed.notes);
    profile.hardware =
        super::import::stated_hardware(&profile, profile.compose.devices.literal_count());
    notes.push(super::import::UNSTATED_GPU_NOTE.into());
    let service = profile.compose.service.clone();
    let origin = Origin {
        text: to_yaml(&profile),
        service: service.clone(),
        base: profile.clone(),
    };
    Ok(Imported {
        profile,
        notes,
        origin,
        vllm_services: vec![service],
        entrypoint: Vec::new(),
    })
}

/// A vLLM `--config` file (a YAML mapping of flag names to values) as a profile's flags.
/// The command-line words of a vLLM `--config` file's entries, as its loader makes them: `true`
/// the bare flag, `false` nothing, a list the flag and its items, other scalars flag and value.
pub(crate) fn config_words(entries: &[(String, crate::yaml::Node)]) -> Vec<String> {
    let mut words = Vec::new();
    for (key, value) in entries {
        let flag = format!("--{key}");
        match value {
            crate::yaml::Node::Scalar { text, plain: true } if text == "true" => words.push(flag),
            crate::yaml::Node::Scalar { text, plain: true } if text == "false" => {}
            crate::yaml::Node::Scalar { text, .. } => words.extend([flag, text.clone()]),
            crate::yaml::Node::Seq(items) => {
                words.push(flag);
                words.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)));
            }
            _ => {}
        }
    }
    words
}

pub fn import_config(doc: &crate::yaml::Node, current: &Profile) -> Option<Imported> {
    let entries = doc.as_map()?;
    let catalog = crate::catalog::Catalog::get();
    let known = |k: &str| {
        !matches!(
            catalog.resolve(&format!("--{k}")),
            crate::catalog::Spelling::Unknown { .. }
        )
    };
    if entries.is_empty() || !entries.iter().all(|(k, _)| known(k)) {
        return None;
    }
    let words = config_words(entries);
    let text = words
        .iter()
        .map(|w| crate::shell::quote(w))
        .collect::<Vec<_>>()
        .join(" ");
    let mut imported = import_command(&format!("vllm serve {text}"), current).ok()?;
    imported.notes[0] = "Read as a vLLM `--config` file: each key is a flag.".into();
    Some(imported)
}

/// Applies the docker options it can map; returns where the image is and what it could not map.
fn docker_options(words: &[String], p: &mut Profile) -> (usize, Vec<String>) {
    let mut unmapped = Vec::new();
    let mut i = 0;
    // Options, and shell arrays of options (`"${COMMON[@]}"`) that cannot be read here.
    let is_option = |w: &String| w.starts_with('-') || (w.starts_with("${") && w.contains("[@]"));
    while i < words.len() && is_option(&words[i]) {
        let (opt, inline) = match words[i].split_once('=') {
            Some((o, v)) if o.starts_with("--") => (o.to_string(), Some(v.to_string())),
            _ => (words[i].clone(), None),
        };
        let takes = DOCKER_VALUE_OPTIONS.contains(&opt.as_str());
        let value = match (&inline, takes) {
            (Some(v), _) => v.clone(),
            (None, true) => {
                i += 1;
                words.get(i).cloned().unwrap_or_default()
            }
            (None, false) => String::new(),
        };
        let c = &mut p.compose;
        match opt.as_str() {
            "--gpus" => {
                c.devices = match value.trim_matches('"') {
                    "all" => GpuDevices::All,
                    v if v.starts_with("device=") => GpuDevices::Ids(
                        v["device=".len()..]
                            .split(',')
                            .map(str::to_string)
                            .collect(),
                    ),
                    v => v.parse().map(GpuDevices::Count).unwrap_or(GpuDevices::All),
                }
            }
            "-p" | "--publish" if c.host_port.is_empty() => {
                let parts: Vec<&str> = value.split(':').collect();
                c.host_port = parts[parts.len().saturating_sub(2)].to_string();
            }
            "-v" | "--volume" if value.ends_with(HF_CACHE_MOUNT) => {
                c.hf_cache = value.trim_end_matches(HF_CACHE_MOUNT).to_string()
            }
            "--ipc" if value == "host" => c.ipc_host = true,
            "--shm-size" => c.shm_size = value,
            "--name" => c.container_name = value,
            "--restart" => c.restart = value,
            "-e" | "--env" => match value.split_once('=') {
                Some(("HF_TOKEN" | "HUGGING_FACE_HUB_TOKEN", _)) => c.hf_token = true,
                Some((k, v)) => c.extra_env.push((k.to_string(), v.to_string())),
                None => unmapped.push(format!("{opt} {value}")),
            },
            "--rm" | "-d" | "--detach" | "-i" | "-t" | "-it" | "-ti" | "--runtime" | "--init"
            | "--entrypoint" => {}
            _ => unmapped.push(if value.is_empty() {
                opt
            } else {
                format!("{opt} {value}")
            }),
        }
        i += 1;
    }
    (i, unmapped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_bash() {
        let c = commands("# setup\nexport A=1\ndocker run --gpus all \\\n  -p 8000:8000 img \\\n  --x 'a b' # note\nls\n");
        let words: Vec<Vec<&str>> = c
            .iter()
            .map(|(_, w)| w.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            words[1],
            [
                "docker",
                "run",
                "--gpus",
                "all",
                "-p",
                "8000:8000",
                "img",
                "--x",
                "a b"
            ]
        );
        assert_eq!((c[1].0, words[2].clone()), (3, vec!["ls"]));
        // `\ ` escapes a space, so the line no longer continues: the next line is a command of
        // its own. As in bash 5 (`f 4096 \ # x` gives `4096`, ` #`, `x`), the `#` right after
        // the escaped space belongs to that word; after two spaces it starts a comment.
        let c = commands("vllm serve m \\\n  --max_model_len 4096 \\ # why\n  --api_key x\n");
        assert_eq!(
            c[0].1,
            ["vllm", "serve", "m", "--max_model_len", "4096", " #", "why"]
        );
        assert_eq!(c[1].1, ["--api_key", "x"]);
        let c = commands("vllm serve m --max_model_len 4096 \\  # why\n");
        assert_eq!(
            c[0].1,
            ["vllm", "serve", "m", "--max_model_len", "4096", " "]
        );
    }

    #[test]
    fn a_docker_run_line_becomes_a_service() {
        let text = "docker run --runtime nvidia --gpus all -v ~/.cache/huggingface:/root/.cache/huggingface \\\n \
                    -p 30005:8000 --ipc=host --network llm vllm/vllm-openai:v0.4.2 \\\n --model Qwen/Qwen2.5-1.5B-Instruct --max-model-len 4096";
        let i = import_command(text, &Profile::default()).unwrap();
        let p = &i.profile;
        assert_eq!(
            (p.model.as_str(), p.vllm_version.to_string()),
            ("Qwen/Qwen2.5-1.5B-Instruct", "0.4.2".into())
        );
        assert_eq!(p.text("max-model-len").as_deref(), Some("4096"));
        assert_eq!(
            (p.compose.host_port.as_str(), p.compose.hf_cache.as_str()),
            ("30005", "~/.cache/huggingface")
        );
        assert!(p.compose.ipc_host && p.compose.tag == "v0.4.2");
        assert!(
            i.notes.iter().any(|n| n.contains("--network llm")),
            "{:?}",
            i.notes
        );
    }
}
