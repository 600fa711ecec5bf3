//! Between a profile's flags and the words of a `vllm serve` command line.
use super::catalog::{Catalog, Kind, Spelling};
use super::profile::{Arg, ArgValue, Profile};

/// What reading a command line found besides the flags.
#[derive(Debug, Default, PartialEq)]
pub struct ParsedArgs {
    pub model: Option<String>,
    /// The model was given positionally (`vllm serve MODEL`), not as `--model MODEL`.
    pub model_positional: bool,
    pub args: Vec<Arg>,
    /// Human-readable notes: removed/unknown flags kept, `#` notes found, …
    pub notes: Vec<String>,
    /// Words vLLM's parser would refuse as unrecognized arguments (`#` notes, a word with no
    /// flag before it), in command order.
    pub stray: Vec<String>,
    /// Where those words stand in the command (indices into the words read).
    pub stray_at: Vec<usize>,
    /// Words that are a whole variable reference with no flag before them (`${EXTRA_ARGS}`):
    /// Compose expands them into words of their own.
    pub env_words: Vec<String>,
}

/// Whether a command word is one whole variable reference (`${EXTRA_ARGS:-}`, `$ARGS`).
pub fn is_variable_word(word: &str) -> bool {
    let braced = word.starts_with("${") && word.ends_with('}') && word.matches("${").count() == 1;
    let bare = word.len() > 1
        && word.starts_with('$')
        && word[1..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !word[1..].starts_with(|c: char| c.is_ascii_digit());
    braced || bare
}

fn is_flag(word: &str) -> bool {
    word.starts_with('-') && word.len() > 1 && word.parse::<f64>().is_err()
}

/// How many leading words of a container command start vLLM rather than configure it:
/// `vllm serve`, `python3 -m vllm.entrypoints.openai.api_server` (any `python*`), or just
/// `-m vllm.entrypoints.openai.api_server` after a `python3` entrypoint. The image's own
/// entrypoint already runs `vllm serve`, so a bare list of flags has none.
pub fn launcher_len(words: &[String]) -> usize {
    let is = |i: usize, w: &str| words.get(i).is_some_and(|x| x == w);
    let module = |i: usize| {
        words
            .get(i)
            .is_some_and(|x| x.starts_with("vllm.entrypoints."))
    };
    let program = |i: usize, name: &str| {
        words
            .get(i)
            .is_some_and(|x| x.rsplit('/').next().unwrap_or(x).starts_with(name))
    };
    if program(0, "vllm") && is(1, "serve") {
        2
    } else if program(0, "python") && is(1, "-m") && module(2) {
        3
    } else if is(0, "-m") && module(1) {
        2
    } else {
        0
    }
}

/// Reads the words of a command line (without `vllm serve`). Every flag is kept: current ones by
/// canonical name, removed and unknown ones as written (normalised), so nothing is lost.
pub fn parse_words(words: &[String]) -> ParsedArgs {
    let marked: Vec<(String, bool)> = words.iter().map(|w| (w.clone(), false)).collect();
    parse_marked(&marked)
}

/// Like [`parse_words`]; words marked `true` start with an unquoted `#` (see `shell::split_marked`).
pub fn parse_marked(marked: &[(String, bool)]) -> ParsedArgs {
    let words: Vec<String> = marked.iter().map(|(w, _)| w.clone()).collect();
    let words = &words[..];
    let catalog = Catalog::get();
    let mut out = ParsedArgs::default();
    let mut i = 0;
    let mut dropped_notes = Vec::new();
    while i < words.len() {
        let word = &words[i];
        i += 1;
        if marked[i - 1].1 {
            // Compose does not treat `#` inside a command string as a comment: vLLM would get
            // these words as arguments and refuse them. Drop them up to the next flag.
            let mut note = vec![word.clone()];
            while i < words.len() && !is_flag(&words[i]) {
                note.push(words[i].clone());
                i += 1;
            }
            out.stray.extend(note.iter().cloned());
            out.stray_at.extend(i - note.len()..i);
            dropped_notes.push(note.join(" "));
            continue;
        }
        if !is_flag(word) {
            // A whole-variable word after the model or a flag expands into flags; in the
            // model's place it is the model (`${MODEL_ID:-Qwen/Qwen3-8B} --port 8000`).
            if is_variable_word(word) && (out.model.is_some() || !out.args.is_empty()) {
                out.env_words.push(word.clone());
                continue;
            }
            if out.model.is_none() && out.args.is_empty() {
                out.model = Some(word.clone());
                out.model_positional = true;
            } else {
                out.stray.push(word.clone());
                out.stray_at.push(i - 1);
                out.notes.push(format!(
                    "Stray word `{word}` with no flag before it: vLLM refuses it."
                ));
            }
            continue;
        }
        let (spelling, inline) = match word.split_once('=') {
            Some((s, v)) => (s, Some(v.to_string())),
            None => (word.as_str(), None),
        };
        let take_one = |i: &mut usize| -> Option<String> {
            (*i < words.len() && !is_flag(&words[*i]) && !marked[*i].1).then(|| {
                *i += 1;
                words[*i - 1].clone()
            })
        };
        match catalog.resolve(spelling) {
            Spelling::Current { name, negated } => {
                let kind = catalog.flag(&name).map(|f| f.kind).unwrap_or(Kind::Text);
                let value = match kind {
                    Kind::Bool | Kind::FlagOnly => match inline.as_deref() {
                        Some(v) => ArgValue::Switch(matches!(v, "true" | "True" | "1") != negated),
                        None => ArgValue::Switch(!negated),
                    },
                    Kind::List => {
                        let mut list: Vec<String> = inline.into_iter().collect();
                        // After the first value, a whole-variable word (`${EXTRA_ARGS}`) is
                        // more flags to come, not another item.
                        while i < words.len() && (list.is_empty() || !is_variable_word(&words[i])) {
                            match take_one(&mut i) {
                                Some(w) => list.push(w),
                                None => break,
                            }
                        }
                        ArgValue::Words(list)
                    }
                    _ => ArgValue::Words(inline.or_else(|| take_one(&mut i)).into_iter().collect()),
                };
                if name == "model" {
                    out.model = Some(value.text());
                } else {
                    out.args.retain(|a| a.name != name);
                    out.args.push(Arg { name, value });
                }
            }
            Spelling::Removed { name } | Spelling::Unknown { name } => {
                let known = catalog.availability(&name, super::version::LATEST);
                let value =
                    ArgValue::Words(inline.or_else(|| take_one(&mut i)).into_iter().collect());
                out.notes.push(match known {
                    super::catalog::Availability::Unknown => {
                        format!(
                            "`--{name}` is not a flag of any vLLM release we know; kept as \
                            written."
                        )
                    }
                    _ => format!("`--{name}` only exists in older vLLM releases; kept as written."),
                });
                out.args.push(Arg { name, value });
            }
        }
    }
    if !dropped_notes.is_empty() {
        out.notes.push(format!(
            "Found {} `#` note(s) inside the command: Compose passes them to vLLM as arguments, \
             which it refuses (finding `command-stray-words`; its fix removes them): {}",
            dropped_notes.len(),
            dropped_notes.join(" | ")
        ));
    }
    out
}

/// The words of the command line for a profile: the model first, then each flag canonically,
/// then stray and whole-variable words kept from an import.
/// The flags of one node in vLLM's multi-node launch (`--nnodes` and company, 0.11.1+), each
/// with whether it takes a value.
pub const PER_NODE_FLAGS: [(&str, bool); 5] = [
    ("--nnodes", true),
    ("--node-rank", true),
    ("--master-addr", true),
    ("--master-port", true),
    ("--headless", false),
];

/// `words` without the flags of `drop` (and their values, for those that take one).
pub fn without_flags(words: &[String], drop: &[(&str, bool)]) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match drop.iter().find(|(f, _)| f == w) {
            Some((_, true)) => {
                it.next();
            }
            Some((_, false)) => {}
            None => out.push(w.clone()),
        }
    }
    out
}

pub fn to_words(profile: &Profile) -> Vec<String> {
    let catalog = Catalog::get();
    let mut words = Vec::new();
    if profile.model_positional && !profile.model.is_empty() {
        // Written where the file had it (a variable that expands to nothing then leaves no
        // `--model ""` behind).
        words.push(profile.model.clone());
    } else if !profile.model.is_empty() {
        words.push("--model".to_string());
        words.push(profile.model.clone());
    }
    for arg in &profile.args {
        match &arg.value {
            ArgValue::Switch(true) => words.push(["--", &arg.name].concat()),
            ArgValue::Switch(false) => words.push(negative_spelling(catalog, &arg.name)),
            ArgValue::Words(values) => {
                words.push(["--", &arg.name].concat());
                words.extend(values.iter().cloned());
            }
        }
    }
    // What an imported command had besides flags: its stray words (flagged by the rules, so
    // the export is what was checked) and its whole-variable words.
    words.extend(profile.stray.iter().cloned());
    words.extend(profile.env_words.iter().cloned());
    words
}

/// `--no-x`, or the paired `--enable-x` for a `--disable-x` flag (and vice versa).
pub(crate) fn negative_spelling(catalog: &Catalog, name: &str) -> String {
    let paired = catalog.flag(name).and_then(|f| {
        f.aliases.iter().find(|a| {
            let a = a.trim_start_matches('-');
            (name.starts_with("enable-")
                && a.strip_prefix("disable-") == name.strip_prefix("enable-"))
                || (name.starts_with("disable-")
                    && a.strip_prefix("enable-") == name.strip_prefix("disable-"))
        })
    });
    paired.cloned().unwrap_or_else(|| format!("--no-{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        super::super::shell::split(s).unwrap()
    }

    fn marked(s: &str) -> Vec<(String, bool)> {
        super::super::shell::split_marked(s).unwrap()
    }

    #[test]
    fn reads_every_spelling_and_keeps_unknown_flags() {
        let parsed = parse_words(&words(
            "--model Qwen/Qwen3-32B-AWQ --kv_cache_dtype fp8 --distributed-executor-backend=mp \
             --enable-auto-tool-choice --swap-space 16 --frob --served-model-name a b -tp 2 \
             --no-enable-prefix-caching --rope_scaling '{\"factor\":4.0}'",
        ));
        assert_eq!(parsed.model.as_deref(), Some("Qwen/Qwen3-32B-AWQ"));
        let got: Vec<(String, String)> = parsed
            .args
            .iter()
            .map(|a| (a.name.clone(), a.value.text()))
            .collect();
        let want = [
            ("kv-cache-dtype", "fp8"),
            ("distributed-executor-backend", "mp"),
            ("enable-auto-tool-choice", "true"),
            ("swap-space", "16"),
            ("frob", ""),
            ("served-model-name", "a b"),
            ("tensor-parallel-size", "2"),
            ("enable-prefix-caching", "false"),
            ("rope-scaling", "{\"factor\":4.0}"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
        assert_eq!(parsed.notes.len(), 3, "{:?}", parsed.notes);
    }

    #[test]
    fn drops_hash_notes_and_says_so() {
        let parsed = parse_marked(&marked(
            "--max-model-len 131072 # ✅ 128k - OPTIMAL --port 5002 \
                --chat-template '#t'",
        ));
        assert_eq!(parsed.args.len(), 3);
        assert_eq!(parsed.args[2].value.text(), "#t");
        assert!(parsed.notes[0].contains("128k - OPTIMAL"));
    }

    #[test]
    fn writes_canonical_words() {
        let mut p = Profile {
            model: "m".into(),
            ..Profile::default()
        };
        p.set("enable-prefix-caching", ArgValue::Switch(false));
        p.set("disable-sliding-window", ArgValue::Switch(false));
        p.set("enable-auto-tool-choice", ArgValue::Switch(true));
        p.set("max-model-len", ArgValue::word("-1"));
        assert_eq!(
            to_words(&p),
            [
                "--model",
                "m",
                "--disable-prefix-caching",
                "--enable-sliding-window",
                "--enable-auto-tool-choice",
                "--max-model-len",
                "-1"
            ]
        );
        let back = parse_words(&to_words(&p));
        assert_eq!(back.args, p.args);
    }
}
