//! Compose's variable interpolation, as the Compose Specification defines it: `$$` is a
//! literal `$`; `${VAR}` and `$VAR`; `${VAR:-default}` (unset or empty), `${VAR-default}`
//! (unset); `${VAR:?err}` / `${VAR?err}` (required); `${VAR:+alt}` / `${VAR+alt}` (when set).
//! Defaults and alternatives may hold further references.
use super::escape_dollars;
use crate::args::{is_variable_word, parse_words, to_words};
use crate::profile::Profile;
use std::collections::BTreeMap;

/// Variable values: a `.env` file and, for the CLI, the process environment (which wins, as
/// in Compose).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    /// Reads a `.env` file: `NAME=value` lines, `#` comments, optional `export `, quotes.
    pub fn from_dotenv(text: &str) -> Env {
        let mut vars = BTreeMap::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let Some((name, value)) = line.split_once('=') else {
                continue;
            };
            let value = value.trim();
            let value = match value.chars().next() {
                // A quoted value ends at its closing quote (a comment may follow).
                Some(q @ ('"' | '\'')) if value[1..].contains(q) => {
                    let close = value[1..].find(q).unwrap_or(0) + 1;
                    value[1..close].to_string()
                }
                // An unquoted value ends at ` #`.
                _ => value
                    .split(" #")
                    .next()
                    .unwrap_or("")
                    .trim_end()
                    .to_string(),
            };
            vars.insert(name.trim().to_string(), value);
        }
        Env { vars }
    }

    /// Sets one variable (the process environment over a `.env`).
    pub fn set(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), value.to_string());
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }
}

/// The result of interpolating a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interpolated {
    pub text: String,
    /// Variables referenced without a value or a default (Compose uses an empty string).
    pub unresolved: Vec<String>,
}

/// Interpolates `text`. A required variable without a value (`${VAR:?msg}`) is an error with
/// Compose's message.
pub fn interpolate(text: &str, env: &Env) -> Result<Interpolated, String> {
    let mut out = Interpolated {
        text: String::new(),
        unresolved: Vec::new(),
    };
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '$' {
            out.text.push(c);
            i += 1;
            continue;
        }
        match chars.get(i + 1) {
            Some('$') => {
                out.text.push('$');
                i += 2;
            }
            Some('{') => {
                let close = matching_brace(&chars, i + 1)
                    .ok_or_else(|| format!("`{}`: a `${{` is never closed", text))?;
                let inner: String = chars[i + 2..close].iter().collect();
                out.text
                    .push_str(&braced(&inner, env, &mut out.unresolved)?);
                i = close + 1;
            }
            Some(n) if n.is_ascii_alphabetic() || *n == '_' => {
                let end = (i + 1..chars.len())
                    .find(|&j| !(chars[j].is_ascii_alphanumeric() || chars[j] == '_'))
                    .unwrap_or(chars.len());
                let name: String = chars[i + 1..end].iter().collect();
                match env.get(&name) {
                    Some(v) => out.text.push_str(v),
                    None => out.unresolved.push(name),
                }
                i = end;
            }
            _ => {
                out.text.push('$');
                i += 1;
            }
        }
    }
    Ok(out)
}

fn matching_brace(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (j, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

/// `NAME`, `NAME:-default`, `NAME-default`, `NAME:?err`, `NAME?err`, `NAME:+alt`, `NAME+alt`.
fn braced(inner: &str, env: &Env, unresolved: &mut Vec<String>) -> Result<String, String> {
    let end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, rest) = inner.split_at(end);
    if name.is_empty() {
        return Err(format!("`${{{inner}}}` is not a variable reference"));
    }
    let value = env.get(name);
    let set = value.is_some();
    let nonempty = value.is_some_and(|v| !v.is_empty());
    let nested = |t: &str, unresolved: &mut Vec<String>| -> Result<String, String> {
        let r = interpolate(t, env)?;
        unresolved.extend(r.unresolved);
        Ok(r.text)
    };
    let (op, arg) = if let Some(a) = rest.strip_prefix(":-") {
        (":-", a)
    } else if let Some(a) = rest.strip_prefix(":?") {
        (":?", a)
    } else if let Some(a) = rest.strip_prefix(":+") {
        (":+", a)
    } else if rest.is_empty() {
        ("", "")
    } else {
        // One character, which may be more than one byte (found by the fuzzer: `${\u{fffd}…}`).
        rest.split_at(rest.chars().next().map_or(0, char::len_utf8))
    };
    Ok(match op {
        "" => match value {
            Some(v) => v.to_string(),
            None => {
                unresolved.push(name.to_string());
                String::new()
            }
        },
        ":-" if nonempty => value.unwrap_or_default().to_string(),
        "-" if set => value.unwrap_or_default().to_string(),
        ":-" | "-" => nested(arg, unresolved)?,
        ":?" if nonempty => value.unwrap_or_default().to_string(),
        "?" if set => value.unwrap_or_default().to_string(),
        ":?" | "?" => {
            return Err(format!(
                "required variable {name} is missing a value: {arg}"
            ))
        }
        ":+" if nonempty => nested(arg, unresolved)?,
        "+" if set => nested(arg, unresolved)?,
        ":+" | "+" => String::new(),
        _ => return Err(format!("`${{{inner}}}`: unknown substitution `{op}`")),
    })
}

/// A profile as Compose would hand it to vLLM: every command word interpolated with `env`
/// (unset variables empty, as Compose does), whole-variable words (`${EXTRA_ARGS}`) expanded
/// into words, then read again. The names of variables without a value come with it; a
/// required variable without a value is an error.
pub fn effective(p: &Profile, env: &Env) -> Result<(Profile, Vec<String>), String> {
    let words = to_words(p);
    let mut unresolved = Vec::new();
    if !words.iter().any(|w| w.contains('$')) {
        return Ok((p.clone(), unresolved));
    }
    let mut expanded = Vec::new();
    for word in &words {
        let r = interpolate(&escape_dollars(word), env)?;
        unresolved.extend(r.unresolved);
        if is_variable_word(word) {
            // Compose splits a string command after interpolation.
            expanded.extend(crate::shell::split(&r.text).unwrap_or_else(|_| vec![r.text.clone()]));
        } else {
            expanded.push(r.text);
        }
    }
    let parsed = parse_words(&expanded);
    let mut out = p.clone();
    out.model = parsed.model.unwrap_or_default();
    out.args = parsed.args;
    out.stray = parsed.stray;
    out.env_words.clear();
    crate::order::sort(&mut unresolved);
    unresolved.dedup();
    Ok((out, unresolved))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env::from_dotenv(
            "# comment\nA=1\nexport B=\"two words\"\nEMPTY=\nC='x'   # quoted, then a note\nD=v # note\n",
        )
    }

    fn text(t: &str) -> String {
        interpolate(t, &env()).unwrap().text
    }

    #[test]
    fn every_form_of_the_specification() {
        assert_eq!(text("$A ${A} $$A a$$b"), "1 1 $A a$b");
        assert_eq!(text("${B}|${C}|${D}"), "two words|x|v");
        assert_eq!(
            text("${NOPE:-d}|${EMPTY:-d}|${EMPTY-d}|${NOPE-d}"),
            "d|d||d"
        );
        assert_eq!(
            text("${A:+yes}|${EMPTY:+yes}|${EMPTY+yes}|${NOPE+yes}"),
            "yes||yes|"
        );
        assert_eq!(text("${NOPE:-${A}-x}"), "1-x");
        assert_eq!(
            text("${IMAGE:-vllm/vllm-openai:v0.23.0}"),
            "vllm/vllm-openai:v0.23.0"
        );
        let r = interpolate("--model ${MODEL} $OTHER", &env()).unwrap();
        assert_eq!(
            (r.text.as_str(), r.unresolved),
            ("--model  ", vec!["MODEL".into(), "OTHER".into()])
        );
        assert!(interpolate("${NOPE:?set it}", &env())
            .unwrap_err()
            .contains("set it"));
        assert!(interpolate("${EMPTY:?e}", &env()).is_err());
        assert_eq!(text("${EMPTY?e}"), "");
        assert!(interpolate("${open", &env()).is_err());
    }

    #[test]
    fn the_effective_profile_reads_values_and_expands_argument_variables() {
        let text = "services:\n  v:\n    image: vllm/vllm-openai:v0.33.0\n    command: >\n      \
                    --model ${MODEL:-Qwen/Qwen3-8B} --max-model-len ${LEN:-8192} ${EXTRA_ARGS:-}\n";
        let p = crate::compose::import_compose(text, &Profile::default())
            .unwrap()
            .profile;
        assert_eq!(p.text("max-model-len").as_deref(), Some("${LEN:-8192}"));
        assert_eq!(p.env_words, ["${EXTRA_ARGS:-}"]);
        let env =
            Env::from_dotenv("EXTRA_ARGS=--tensor-parallel-size 2 --enforce-eager\nLEN=4096\n");
        let (e, unresolved) = effective(&p, &env).unwrap();
        assert_eq!(e.model, "Qwen/Qwen3-8B");
        assert_eq!(e.text("max-model-len").as_deref(), Some("4096"));
        assert_eq!(e.text("tensor-parallel-size").as_deref(), Some("2"));
        assert_eq!(
            e.get("enforce-eager"),
            Some(&crate::profile::ArgValue::Switch(true))
        );
        assert!(unresolved.is_empty());
        let (e, unresolved) = effective(&p, &Env::default()).unwrap();
        assert_eq!(e.text("max-model-len").as_deref(), Some("8192"));
        assert!(unresolved.is_empty(), "defaults are values");
        let bare = crate::compose::import_compose(&text.replace(":-8192", ""), &Profile::default());
        let (_, unresolved) = effective(&bare.unwrap().profile, &Env::default()).unwrap();
        assert_eq!(unresolved, ["LEN"]);
    }
}

#[cfg(test)]
mod fuzz_findings {
    use super::*;

    #[test]
    fn a_multibyte_character_after_the_name_is_an_error_not_a_crash() {
        assert!(interpolate("${PORT\u{fffd}:-8000}", &Env::default()).is_err());
    }
}
