//! Edits written back into the user's own file. The imported file is the source of truth: an
//! export after an import with no edit gives back its bytes, and an edit changes only the lines
//! of what was edited — one word of the command where it can, else that one entry — keeping
//! comments, key order, quoting, anchors and the other services as written.
use super::settings::COMPOSE_SETTINGS;
use super::HF_CACHE_MOUNT;
use super::{dq, escape_dollars, to_yaml};
use crate::args::to_words;
use crate::catalog::{Catalog, Kind, Spelling};
use crate::profile::{ArgValue, Profile};
use crate::shell;
use crate::yaml::outline::{self, indent_of, is_blank_or_comment, EntrySpan, ServiceSpan};

/// The file a profile was imported from: its text, the service the profile views, and the
/// profile as imported (what an edit is measured against).
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    pub text: String,
    pub service: String,
    pub base: Profile,
}

/// Replaces lines `start..end` with `lines` (an insertion when `start == end`).
#[derive(Debug)]
struct Splice {
    start: usize,
    end: usize,
    lines: Vec<String>,
}

/// The file with the edits that turn `origin.base` into `next`, or why they cannot be written
/// into it (the caller then exports the service on its own).
pub fn write_back(origin: &Origin, next: &Profile) -> Result<String, String> {
    if *next == origin.base {
        return Ok(origin.text.clone());
    }
    let services = outline::services(&origin.text);
    let svc = services
        .iter()
        .find(|s| s.name == origin.service)
        .ok_or_else(|| format!("service `{}` is not in the file", origin.service))?;
    let indent = svc
        .entry_indent
        .ok_or_else(|| format!("service `{}` is written in flow style", origin.service))?;
    let lines: Vec<&str> = origin.text.lines().collect();
    let mut splices = Vec::new();
    if next.compose.service != origin.base.compose.service {
        let line = lines[svc.key_line];
        let key_at = line.len() - line.trim_start().len();
        let rest = &line[key_at..];
        let after_key = rest.find(':').map_or("", |i| &rest[i..]);
        let renamed = format!("{}{}{after_key}", &line[..key_at], next.compose.service);
        splices.push(Splice {
            start: svc.key_line,
            end: svc.key_line + 1,
            lines: vec![renamed],
        });
    }
    // The words include the stray ones, so removing those is a command change too.
    if to_words(next) != to_words(&origin.base) {
        splices.extend(command_splices(&lines, svc, indent, &origin.base, next));
    }
    // Entries are copied from the profile's own export, made once for all of them.
    let mut emitted: Option<String> = None;
    for key in changed_entries(&origin.base, next) {
        match item_splice(&lines, svc, key, next) {
            Some(splice) => splices.push(splice),
            None => {
                let ours = emitted.get_or_insert_with(|| to_yaml(next));
                splices.push(entry_splice(&lines, svc, indent, key, ours)?)
            }
        }
    }
    Ok(apply(&origin.text, splices))
}

/// The YAML keys of the service whose modelled settings differ.
fn changed_entries(base: &Profile, next: &Profile) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = COMPOSE_SETTINGS
        .iter()
        .filter(|s| !s.yaml_key.is_empty())
        .filter(|s| (s.read)(&base.compose) != (s.read)(&next.compose))
        .map(|s| s.yaml_key)
        .collect();
    if base.compose.extra_env != next.compose.extra_env {
        keys.push("environment");
    }
    crate::order::sort(&mut keys);
    keys.dedup();
    keys
}

/// Re-renders one entry from the profile's own export, indented like the file's entries.
fn entry_splice(
    lines: &[&str],
    svc: &ServiceSpan,
    indent: usize,
    key: &str,
    emitted: &str,
) -> Result<Splice, String> {
    let ours = outline::services(emitted);
    let emitted_lines: Vec<&str> = emitted.lines().collect();
    let rendered: Vec<String> = ours
        .first()
        .and_then(|s| s.entry(key).map(|e| (e, s.entry_indent.unwrap_or(4))))
        .map(|(e, from)| reindent(&emitted_lines[e.start..e.end], from, indent))
        .unwrap_or_default();
    Ok(match svc.entry(key) {
        Some(e) => Splice {
            start: e.start,
            end: e.end,
            lines: match (e.end - e.start, rendered.as_slice()) {
                (1, [one]) => vec![in_the_files_style(lines[e.start], one)],
                _ => rendered,
            },
        },
        None => {
            let at = svc.entries.last().map_or(svc.key_line + 1, |e| e.end);
            Splice {
                start: at,
                end: at,
                lines: rendered,
            }
        }
    })
}

/// The one list item a setting owns in `volumes` (the HF cache mount) or `ports` (the first
/// mapping), rewritten alone so the other items stay as written. `None`: not a block list of
/// one-line items, so the whole entry is rewritten.
fn item_splice(lines: &[&str], svc: &ServiceSpan, key: &str, next: &Profile) -> Option<Splice> {
    let entry = svc.entry(key)?;
    let items: Vec<usize> = (entry.start + 1..entry.end)
        .filter(|&i| !is_blank_or_comment(lines[i]))
        .collect();
    if items.is_empty()
        || items
            .iter()
            .any(|&i| !lines[i].trim_start().starts_with("- "))
    {
        return None;
    }
    let pad = " ".repeat(indent_of(lines[items[0]]));
    let c = &next.compose;
    let (owned, new_item) = match key {
        "volumes" => (
            items
                .iter()
                .copied()
                .find(|&i| lines[i].contains(HF_CACHE_MOUNT)),
            (!c.hf_cache.is_empty()).then(|| dq(&format!("{}{HF_CACHE_MOUNT}", c.hf_cache))),
        ),
        "ports" => {
            let first = items[0];
            let item = lines[first].trim_start().trim_start_matches("- ").trim();
            let text = item.trim_matches(['"', '\'']);
            // Keep a bound address (`127.0.0.1:HOST:CONTAINER`) and a protocol suffix.
            let parts: Vec<&str> = text.split(':').collect();
            let address = if parts.len() == 3 {
                format!("{}:", parts[0])
            } else {
                String::new()
            };
            let proto = text
                .rsplit_once('/')
                .map(|(_, p)| format!("/{p}"))
                .unwrap_or_default();
            let mapped = format!("{address}{}:{}{proto}", c.host_port, next.container_port());
            (Some(first), (!c.host_port.is_empty()).then(|| dq(&mapped)))
        }
        _ => return None,
    };
    let line = new_item.map(|t| format!("{pad}- {t}"));
    Some(match (owned, line) {
        (Some(i), Some(l)) => Splice {
            start: i,
            end: i + 1,
            lines: vec![l],
        },
        // The last item going: the whole entry goes.
        (Some(_), None) if items.len() == 1 => Splice {
            start: entry.start,
            end: entry.end,
            lines: vec![],
        },
        (Some(i), None) => Splice {
            start: i,
            end: i + 1,
            lines: vec![],
        },
        (None, Some(l)) => Splice {
            start: entry.end,
            end: entry.end,
            lines: vec![l],
        },
        (None, None) => Splice {
            start: entry.end,
            end: entry.end,
            lines: vec![],
        },
    })
}

/// A one-line entry rewritten the way the file wrote it: a plain value stays plain when the new
/// one reads back the same without quotes (PyYAML and Compose alike), and a trailing comment
/// stays. Otherwise our double-quoted line.
fn in_the_files_style(old: &str, ours: &str) -> String {
    let Some((_, new_value)) = ours.split_once(": ") else {
        return ours.to_string();
    };
    let Ok(crate::yaml::Node::Scalar { text: value, .. }) = crate::yaml::inline_scalar(new_value)
    else {
        return ours.to_string();
    };
    let (head, rest) = match old.split_once(": ") {
        Some(parts) => parts,
        None => return ours.to_string(),
    };
    let old_plain = !rest
        .trim_start()
        .starts_with(['"', '\'', '[', '{', '|', '>']);
    let comment = rest.find(" #").map(|i| &rest[i..]).unwrap_or("");
    // Plain only when nothing about it can read differently (no bool/number/null look-alikes).
    let plain_safe = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@+".contains(c))
        && value.starts_with(|c: char| c.is_ascii_alphabetic())
        && !value.contains(": ")
        && crate::yaml::inline_scalar(&value).is_ok_and(|n| n.as_bool().is_none())
        && !["y", "n", "yes", "no", "on", "off", "null"]
            .contains(&value.to_ascii_lowercase().as_str());
    let written = if old_plain && plain_safe {
        value
    } else {
        new_value.to_string()
    };
    format!("{head}: {written}{comment}")
}

fn reindent(lines: &[&str], from: usize, to: usize) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            format!(
                "{}{}",
                " ".repeat(to),
                l.get(from..).unwrap_or(l.trim_start())
            )
        })
        .collect()
}

/// One word of the command as written in the file: its text and where it stands.
#[derive(Clone, Debug)]
struct Token {
    word: String,
    /// Written with an unquoted leading `#` (a note, for Compose just another word).
    bare_hash: bool,
    line: usize,
    start: usize,
    end: usize,
}

/// How the file writes the command.
enum Form {
    /// A string (block scalar, plain lines, or a plain one-liner): words are edited in place.
    Text { append_line: Option<(usize, usize)> },
    /// A block list, one word per `- ` line at this indentation.
    List { indent: usize },
}

fn is_flag(word: &str) -> bool {
    word.starts_with('-') && word.len() > 1 && word.parse::<f64>().is_err()
}

/// The canonical flag a command word names (`--max_model_len=5` → `max-model-len`).
fn flag_name(word: &str) -> Option<String> {
    if !is_flag(word) {
        return None;
    }
    let spelling = word.split_once('=').map_or(word, |(s, _)| s);
    Some(match Catalog::get().resolve(spelling) {
        Spelling::Current { name, .. } => name,
        Spelling::Removed { name } | Spelling::Unknown { name } => name,
    })
}

/// Words of a string command with their places, or `None` when a quote spans lines (then the
/// whole entry is rewritten). In a plain scalar (`plain`) a ` #` starts a comment.
fn text_tokens(
    lines: &[&str],
    body: std::ops::Range<usize>,
    first_col: usize,
    plain: bool,
) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let first = body.start;
    for li in body {
        let line = lines[li];
        let from = if li == first { first_col } else { 0 };
        let bytes = line.as_bytes();
        let mut i = from;
        while i < bytes.len() {
            if bytes[i] == b' ' {
                i += 1;
                continue;
            }
            if plain && bytes[i] == b'#' {
                break;
            }
            let start = i;
            let mut quote = None;
            let mut braces = 0usize;
            while i < bytes.len() && (quote.is_some() || braces > 0 || bytes[i] != b' ') {
                match (quote, bytes[i]) {
                    // `${VAR:-two words}` is one word until Compose interpolates it.
                    (None, b'$') if bytes.get(i + 1) == Some(&b'{') => {
                        braces += 1;
                        i += 1;
                    }
                    (None, b'{') if braces > 0 => braces += 1,
                    (None, b'}') if braces > 0 => braces -= 1,
                    (None, b'\'' | b'"') => quote = Some(bytes[i]),
                    (Some(q), c) if c == q => quote = None,
                    (q, b'\\') if q != Some(b'\'') => i += 1,
                    _ => {}
                }
                i += 1;
            }
            if quote.is_some() {
                return None;
            }
            let end = i.min(bytes.len());
            let word = shell::split(line.get(start..end)?).ok()?.into_iter().next();
            out.push(Token {
                word: word.unwrap_or_default(),
                bare_hash: bytes[start] == b'#',
                line: li,
                start,
                end,
            });
        }
    }
    Some(out)
}

/// How many words after word `k` are the flag's value (none for switches and `--x=value`).
fn value_count(words: &[String], k: usize, name: &str) -> usize {
    if words[k].contains('=') {
        return 0;
    }
    let kind = Catalog::get().flag(name).map_or(Kind::Text, |f| f.kind);
    let free = words[k + 1..].iter().take_while(|w| !is_flag(w)).count();
    match kind {
        Kind::Bool | Kind::FlagOnly => 0,
        Kind::List => free,
        _ => free.min(1),
    }
}

/// The words a flag takes in the command (`--x v`, `--no-x`), Compose-escaped.
fn flag_words(name: &str, value: &ArgValue) -> Vec<String> {
    let mut p = Profile::default();
    p.set(name, value.clone());
    to_words(&p).iter().map(|w| escape_dollars(w)).collect()
}

/// One edit of the word list: replace `count` words from `start` with `words`.
#[derive(Debug, PartialEq)]
struct WordEdit {
    start: usize,
    count: usize,
    words: Vec<String>,
}

/// Where and how a change lands in the file's words: the flag's own spelling and `=` form are
/// kept, only its value words change; a flag the words do not have is `None` (appended).
fn plan(words: &[String], name: &str, value: Option<&ArgValue>) -> Option<WordEdit> {
    let first = crate::args::launcher_len(words);
    let found = words
        .iter()
        .position(|w| flag_name(w).as_deref() == Some(name));
    if name == "model" && found.is_none() {
        // A positional model (`vllm serve MODEL`, or the first word for the image entrypoint).
        return words.get(first).filter(|w| !is_flag(w)).map(|_| WordEdit {
            start: first,
            count: 1,
            words: value
                .map(|v| vec![escape_dollars(&v.text())])
                .unwrap_or_default(),
        });
    }
    let k = found?;
    let n = value_count(words, k, name);
    let Some(value) = value else {
        return Some(WordEdit {
            start: k,
            count: n + 1,
            words: Vec::new(),
        });
    };
    Some(match value {
        ArgValue::Switch(_) => WordEdit {
            start: k,
            count: 1,
            words: flag_words(name, value),
        },
        ArgValue::Words(ws) => {
            let ws: Vec<String> = ws.iter().map(|w| escape_dollars(w)).collect();
            match words[k].split_once('=') {
                Some((spelling, _)) => WordEdit {
                    start: k,
                    count: 1,
                    words: vec![format!("{spelling}={}", ws.join(" "))],
                },
                None if n > 0 => WordEdit {
                    start: k + 1,
                    count: n,
                    words: ws,
                },
                None => WordEdit {
                    start: k + 1,
                    count: 0,
                    words: ws,
                },
            }
        }
    })
}

/// Where the import found stray words in these command words (after the launcher).
fn stray_positions(marked: &[(String, bool)]) -> Vec<usize> {
    let words: Vec<String> = marked.iter().map(|(w, _)| w.clone()).collect();
    let first = crate::args::launcher_len(&words);
    let parsed = crate::args::parse_marked(&marked[first..]);
    parsed.stray_at.iter().map(|i| i + first).collect()
}

/// The change that removes the command's stray words (the fix of `command-stray-words`).
const STRAY: &str = "\u{0}stray";

/// The changes to the command, flag by flag (`None`: the flag is removed); the removal of the
/// stray words comes first.
fn changes(base: &Profile, next: &Profile) -> Vec<(String, Option<ArgValue>)> {
    let mut out = Vec::new();
    if !base.stray.is_empty() && next.stray.is_empty() {
        out.push((STRAY.to_string(), None));
    }
    if base.model != next.model {
        let model = (!next.model.is_empty()).then(|| ArgValue::word(next.model.clone()));
        out.push(("model".to_string(), model));
    }
    for arg in &next.args {
        if base.get(&arg.name) != Some(&arg.value) {
            out.push((arg.name.clone(), Some(arg.value.clone())));
        }
    }
    for arg in &base.args {
        if next.get(&arg.name).is_none() {
            out.push((arg.name.clone(), None));
        }
    }
    out
}

/// Splices for the command entry: words edited in place where the file writes a string or a
/// block list, else the entry rewritten (as a list of the file's own words, edited).
fn command_splices(
    lines: &[&str],
    svc: &ServiceSpan,
    indent: usize,
    base: &Profile,
    next: &Profile,
) -> Vec<Splice> {
    let changes = changes(base, next);
    let pad = " ".repeat(indent);
    let Some(entry) = svc.entry("command") else {
        // No command of its own (the image's default, or one merged from an anchor): add one.
        let at = svc.entries.last().map_or(svc.key_line + 1, |e| e.end);
        let mut list = vec![format!("{pad}command:")];
        for w in to_words(next) {
            list.push(format!("{pad}  - {}", dq(&escape_dollars(&w))));
        }
        return vec![Splice {
            start: at,
            end: at,
            lines: list,
        }];
    };
    let key_line = lines[entry.start];
    let after = key_line
        .find("command:")
        .map_or(key_line.len(), |i| i + "command:".len());
    let rest = key_line[after..].trim_start();
    let rest_col = key_line.len() - rest.len();
    let next_content = (entry.start + 1..entry.end).find(|&i| !lines[i].trim().is_empty());
    let located = if rest.starts_with(['>', '|']) {
        let body = entry.start + 1..entry.end;
        text_tokens(lines, body, 0, false).map(|t| (t, text_form(lines, entry)))
    } else if rest.is_empty() && !starts_list(lines, next_content) {
        let body = entry.start + 1..entry.end;
        text_tokens(lines, body, 0, true).map(|t| (t, text_form(lines, entry)))
    } else if rest.is_empty() {
        let items = next_content.map_or(indent + 2, |i| indent_of(lines[i]));
        list_tokens(lines, entry).map(|t| (t, Form::List { indent: items }))
    } else if !rest.starts_with(['[', '{', '"', '\'', '#', '&', '*', '!'])
        && entry.end == entry.start + 1
    {
        let body = entry.start..entry.start + 1;
        text_tokens(lines, body, rest_col, true).map(|t| (t, Form::Text { append_line: None }))
    } else {
        None
    };
    match located {
        Some((tokens, form)) => in_place(lines, entry, &tokens, &form, &changes),
        None => vec![rewrite_command(lines, entry, indent, &changes)],
    }
}

/// A string command: new words go on a line of their own after the last one.
fn text_form(lines: &[&str], entry: &EntrySpan) -> Form {
    let last = (entry.start + 1..entry.end)
        .rev()
        .find(|&i| !lines[i].trim().is_empty());
    Form::Text {
        append_line: last.map(|l| (l, indent_of(lines[l]))),
    }
}

fn starts_list(lines: &[&str], at: Option<usize>) -> bool {
    at.is_some_and(|i| lines[i].trim_start().starts_with("- ") || lines[i].trim() == "-")
}

/// The items of a block list, one per line, or `None` when an item spans lines.
fn list_tokens(lines: &[&str], entry: &EntrySpan) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    for (li, line) in lines
        .iter()
        .enumerate()
        .take(entry.end)
        .skip(entry.start + 1)
    {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let item = t.strip_prefix("- ")?;
        let word = match crate::yaml::inline_scalar(item).ok()? {
            crate::yaml::Node::Scalar { text, .. } => text,
            _ => return None,
        };
        out.push(Token {
            word,
            bare_hash: false,
            line: li,
            start: 0,
            end: line.len(),
        });
    }
    Some(out)
}

/// Edits the located words in their lines; a new flag goes after the last word.
fn in_place(
    lines: &[&str],
    entry: &EntrySpan,
    tokens: &[Token],
    form: &Form,
    changes: &[(String, Option<ArgValue>)],
) -> Vec<Splice> {
    let mut state = Edits {
        words: tokens.iter().map(|t| t.word.clone()).collect(),
        places: (0..tokens.len()).map(Some).collect(),
        line_edits: Vec::new(),
    };
    let mut appended: Vec<String> = Vec::new();
    for (name, value) in changes {
        if name == STRAY {
            // The words the import found stray, found again the same way (`#` notes, words
            // with no flag), removed from the last so that earlier positions hold.
            let marked: Vec<(String, bool)> = tokens
                .iter()
                .map(|t| (t.word.clone(), t.bare_hash))
                .collect();
            for &at in stray_positions(&marked).iter().rev() {
                let at = state.places.iter().position(|p| *p == Some(at));
                if let Some(at) = at {
                    state.apply(
                        &WordEdit {
                            start: at,
                            count: 1,
                            words: Vec::new(),
                        },
                        tokens,
                        form,
                    );
                }
            }
            continue;
        }
        match plan(&state.words, name, value.as_ref()) {
            Some(edit) => state.apply(&edit, tokens, form),
            None => appended.extend(value.iter().flat_map(|v| flag_words(name, v))),
        }
    }
    finish(lines, entry, tokens, form, state.line_edits, appended)
}

/// The word list as edits go, where each word stands in the file (`None`: a new word), and
/// the per-line edits made so far: (line, start, end, replacement).
struct Edits {
    words: Vec<String>,
    places: Vec<Option<usize>>,
    line_edits: Vec<(usize, usize, usize, String)>,
}

impl Edits {
    /// Turns one planned edit into line edits; the word list and places follow it.
    fn apply(&mut self, edit: &WordEdit, tokens: &[Token], form: &Form) {
        let range = edit.start..edit.start + edit.count;
        let old: Vec<&Token> = self.places[range.clone()]
            .iter()
            .filter_map(|p| p.map(|i| &tokens[i]))
            .collect();
        let anchor = self.places[..range.end]
            .iter()
            .rev()
            .find_map(|p| *p)
            .map(|i| &tokens[i]);
        match form {
            Form::Text { .. } => {
                let text = quoted(&edit.words);
                match old.first() {
                    Some(first) => {
                        self.line_edits
                            .push((first.line, first.start, first.end, text));
                        for t in &old[1..] {
                            self.line_edits
                                .push((t.line, t.start, t.end, String::new()));
                        }
                    }
                    // Value words for a bare flag go right after it.
                    None => {
                        if let Some(a) = anchor {
                            self.line_edits
                                .push((a.line, a.end, a.end, format!(" {text}")));
                        }
                    }
                }
            }
            Form::List { indent } => {
                for (i, t) in old.iter().enumerate() {
                    let text = edit
                        .words
                        .get(i)
                        .map(|w| item(*indent, w))
                        .unwrap_or_default();
                    self.line_edits.push((t.line, t.start, t.end, text));
                }
                let extra: Vec<String> = edit
                    .words
                    .iter()
                    .skip(old.len())
                    .map(|w| item(*indent, w))
                    .collect();
                if let (false, Some(a)) = (extra.is_empty(), old.last().copied().or(anchor)) {
                    self.line_edits
                        .push((a.line, a.end, a.end, format!("\n{}", extra.join("\n"))));
                }
            }
        }
        self.words.splice(range.clone(), edit.words.iter().cloned());
        self.places.splice(range, edit.words.iter().map(|_| None));
    }
}

/// A list item line.
fn item(indent: usize, word: &str) -> String {
    format!("{}- {}", " ".repeat(indent), dq(word))
}

/// Words as a shell would read them back.
fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| shell::quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The line edits applied (right to left within a line), emptied lines dropped, and the
/// appended words placed after the last word.
fn finish(
    lines: &[&str],
    entry: &EntrySpan,
    tokens: &[Token],
    form: &Form,
    mut line_edits: Vec<(usize, usize, usize, String)>,
    appended: Vec<String>,
) -> Vec<Splice> {
    let mut touched: std::collections::BTreeMap<usize, String> = std::collections::BTreeMap::new();
    crate::order::sort_by_key(&mut line_edits, |(l, s, e, _)| {
        (*l, std::cmp::Reverse(*s), std::cmp::Reverse(*e))
    });
    for (li, s, e, rep) in line_edits {
        let text = touched.entry(li).or_insert_with(|| lines[li].to_string());
        if rep.is_empty() && matches!(form, Form::Text { .. }) {
            // Remove the word and the spaces before it (or after it, at a line's start).
            let before = text[..s].len() - text[..s].trim_end_matches(' ').len();
            let (s, e) = if before > 0 && s - before > indent_of(text) {
                (s - before, e)
            } else {
                (
                    s,
                    e + (text[e..].len() - text[e..].trim_start_matches(' ').len()),
                )
            };
            text.replace_range(s..e, "");
        } else {
            text.replace_range(s..e, &rep);
        }
    }
    let mut out: Vec<Splice> = Vec::new();
    if !appended.is_empty() {
        match form {
            Form::Text {
                append_line: Some((li, indent)),
            } => out.push(Splice {
                start: li + 1,
                end: li + 1,
                lines: vec![format!("{}{}", " ".repeat(*indent), quoted(&appended))],
            }),
            Form::Text { append_line: None } => {
                let line = touched
                    .entry(entry.start)
                    .or_insert_with(|| lines[entry.start].to_string());
                *line = format!("{} {}", line.trim_end(), quoted(&appended));
            }
            Form::List { indent } => {
                let at = tokens.last().map_or(entry.start + 1, |t| t.line + 1);
                out.push(Splice {
                    start: at,
                    end: at,
                    lines: appended.iter().map(|w| item(*indent, w)).collect(),
                });
            }
        }
    }
    for (li, text) in touched {
        let keep = li == entry.start || !text.trim().is_empty();
        out.push(Splice {
            start: li,
            end: li + 1,
            lines: if keep {
                vec![text.trim_end().to_string()]
            } else {
                Vec::new()
            },
        });
    }
    out
}

/// Rewrites the whole command entry as a block list of the file's own words, edited.
fn rewrite_command(
    lines: &[&str],
    entry: &EntrySpan,
    indent: usize,
    changes: &[(String, Option<ArgValue>)],
) -> Splice {
    let source: Vec<&str> = lines[entry.start..entry.end]
        .iter()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect();
    let command = crate::yaml::parse(&source.join("\n")).map(|n| n.get("command").clone());
    let marked: Vec<(String, bool)> = match command {
        Ok(crate::yaml::Node::Scalar { text, .. }) => {
            shell::split_marked(&text).unwrap_or_default()
        }
        Ok(crate::yaml::Node::Seq(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(|w| (w.to_string(), false)))
            .collect(),
        _ => Vec::new(),
    };
    let mut words: Vec<String> = marked.iter().map(|(w, _)| w.clone()).collect();
    let mut appended = Vec::new();
    for (name, value) in changes {
        if name == STRAY {
            for &at in stray_positions(&marked).iter().rev() {
                words.remove(at);
            }
            continue;
        }
        match plan(&words, name, value.as_ref()) {
            Some(e) => {
                words.splice(e.start..e.start + e.count, e.words);
            }
            None => appended.extend(value.iter().flat_map(|v| flag_words(name, v))),
        }
    }
    let pad = " ".repeat(indent);
    let mut list = vec![format!("{pad}command:")];
    list.extend(
        words
            .iter()
            .chain(&appended)
            .map(|w| format!("{pad}  - {}", dq(w))),
    );
    Splice {
        start: entry.start,
        end: entry.end,
        lines: list,
    }
}

/// Applies non-overlapping splices (bottom to top), keeping the file's final line break.
fn apply(text: &str, mut splices: Vec<Splice>) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    crate::order::sort_by_key(&mut splices, |s| {
        (std::cmp::Reverse(s.start), std::cmp::Reverse(s.end))
    });
    for s in splices {
        let new: Vec<String> = s
            .lines
            .iter()
            .flat_map(|l| l.split('\n').map(str::to_string))
            .collect();
        let end = s.end.min(lines.len());
        lines.splice(s.start.min(end)..end, new);
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::import_compose;

    fn edited(text: &str, change: impl FnOnce(&mut Profile)) -> String {
        let imported = import_compose(text, &Profile::default()).unwrap();
        let mut p = imported.profile.clone();
        change(&mut p);
        write_back(&imported.origin, &p).unwrap()
    }

    /// The lines that differ, old and new (files of equal length).
    fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = a
            .lines()
            .zip(b.lines())
            .filter(|(x, y)| x != y)
            .map(|(x, y)| (x.to_string(), y.to_string()))
            .collect();
        let (la, lb) = (a.lines().count(), b.lines().count());
        if la != lb {
            out.push((format!("{la} lines"), format!("{lb} lines")));
        }
        out
    }

    const LIST: &str = "# top comment\nservices:\n  llm:\n    image: vllm/vllm-openai:v0.11.0 # pinned\n    \
        command:\n      - \"--model\"\n      - Qwen/Qwen3-8B\n      - --max_model_len=4096\n      - \
        --enforce-eager\n    volumes:\n      - ./models:/models\n      - hf:/root/.cache/huggingface\n    \
        ports:\n      - 127.0.0.1:8000:8000/tcp\n  other:\n    image: redis\nvolumes:\n  hf: {}\n";

    #[test]
    fn list_commands_keep_their_spelling_and_get_new_items() {
        let out = edited(LIST, |p| {
            p.set("max-model-len", ArgValue::word("8192"));
            p.set("enforce-eager", ArgValue::Switch(false));
            p.set("max-num-seqs", ArgValue::word("8"));
        });
        assert_eq!(
            changed_lines(LIST, &out)[..2],
            [
                (
                    "      - --max_model_len=4096".into(),
                    "      - \"--max_model_len=8192\"".into()
                ),
                (
                    "      - --enforce-eager".into(),
                    "      - \"--no-enforce-eager\"".into()
                ),
            ]
        );
        assert!(out.contains("      - \"--no-enforce-eager\"\n      - \"--max-num-seqs\"\n      - \"8\"\n    volumes:"));
        assert!(out.starts_with("# top comment\n") && out.ends_with("volumes:\n  hf: {}\n"));
    }

    #[test]
    fn volumes_and_ports_edit_their_own_item_only() {
        let out = edited(LIST, |p| {
            p.compose.hf_cache = "/data/hf".into();
            p.compose.host_port = "9000".into();
        });
        assert_eq!(
            changed_lines(LIST, &out),
            [
                (
                    "      - hf:/root/.cache/huggingface".to_string(),
                    "      - \"/data/hf:/root/.cache/huggingface\"".to_string()
                ),
                (
                    "      - 127.0.0.1:8000:8000/tcp".into(),
                    "      - \"127.0.0.1:9000:8000/tcp\"".into()
                ),
            ]
        );
    }

    #[test]
    fn a_string_command_is_edited_word_by_word() {
        let text = "services:\n  vllm:\n    image: vllm/vllm-openai:latest\n    command: >\n      \
            Qwen/Qwen3-8B --port 8000\n      --tensor-parallel-size 2 --enforce-eager\n";
        let out = edited(text, |p| {
            p.model = "Qwen/Qwen3-14B".into();
            p.unset("enforce-eager");
            p.set("tensor-parallel-size", ArgValue::word("4"));
            p.set("served-model-name", ArgValue::word("my model"));
        });
        assert_eq!(
            out,
            "services:\n  vllm:\n    image: vllm/vllm-openai:latest\n    command: >\n      \
             Qwen/Qwen3-14B --port 8000\n      --tensor-parallel-size 4\n      \
             --served-model-name 'my model'\n"
        );
        // The edited command reads back as the edited profile.
        let again = import_compose(&out, &Profile::default()).unwrap().profile;
        assert_eq!(again.model, "Qwen/Qwen3-14B");
        assert_eq!(again.text("served-model-name").as_deref(), Some("my model"));
        assert_eq!(again.get("enforce-eager"), None);
    }

    #[test]
    fn no_edit_gives_the_bytes_back_and_other_services_stay() {
        let imported = import_compose(LIST, &Profile::default()).unwrap();
        assert_eq!(
            write_back(&imported.origin, &imported.profile).unwrap(),
            LIST
        );
        let out = edited(LIST, |p| p.compose.tag = "v0.33.0".into());
        assert_eq!(
            changed_lines(LIST, &out),
            [(
                "    image: vllm/vllm-openai:v0.11.0 # pinned".to_string(),
                "    image: vllm/vllm-openai:v0.33.0 # pinned".to_string()
            )]
        );
    }
}
