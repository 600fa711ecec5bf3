//! The `vllm serve` flag catalog: every option of vLLM 0.33.0 as its real parser builds it, and
//! the flags older releases had. Source: `data/vllm-serve-args-0.33.0.json` (a copy of
//! `shared/reference`, introspected from the 0.33.0 wheel), trimmed at build time by `build.rs`.
use super::records;
use super::version::{Bound, Version};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Flags whose values are secrets (credentials): never written to a link, a draft or a log,
/// and flagged when given literally. vLLM 0.33.0: `--api-key` (Frontend) and `--hf-token`
/// (ModelConfig).
pub const SECRET_FLAGS: [&str; 2] = ["api-key", "hf-token"];

/// How a flag's value is typed, which decides its form widget and how its value is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `--x` / `--no-x` (or a paired `--enable-x` / `--disable-x`).
    Bool,
    /// `--x` only; there is no negative spelling.
    FlagOnly,
    Int,
    Float,
    /// An integer that also accepts `1k` (1000), `1K` (1024), `25.6k`.
    HumanInt,
    /// A human-readable integer, `-1` or `auto` (`--max-model-len`).
    HumanIntOrAuto,
    Text,
    /// A JSON object (or for some flags a JSON value).
    Json,
    /// One or more words (`nargs='+'`).
    List,
}

/// One flag of the current release.
#[derive(Clone, Debug)]
pub struct Flag {
    /// Canonical long name without dashes: `max-model-len`.
    pub name: String,
    /// Other spellings, as the parser registers them (`-tp`, `--disable-prefix-caching`).
    pub aliases: Vec<String>,
    pub kind: Kind,
    /// The parser's type as the reference data names it (`json object | str`, `int | None`, …).
    pub type_name: String,
    /// Whether `None` is a legal value (the type ends in `| None`).
    pub nullable: bool,
    /// vLLM's default (JSON null when unset).
    pub default: Value,
    /// Values argparse itself enforces in 0.33.0.
    pub choices: Vec<String>,
    /// Known names that are checked later than argparse (parsers, KV dtypes, …).
    pub suggestions: Vec<String>,
    /// vLLM's argument group (`ModelConfig`, `Frontend`, …).
    pub group: String,
    pub deprecated: bool,
    pub deprecation_note: Option<String>,
    /// First release with the flag (`None`: in every sampled release).
    pub since: Option<Bound>,
    pub description: String,
}

impl Flag {
    /// What the flag takes, its default and its first release, in one line of our own words.
    pub fn summary(&self) -> String {
        let takes = match self.kind {
            Kind::Bool => "On or off (--x / --no-x)".to_string(),
            Kind::FlagOnly => "A switch with no value".to_string(),
            _ if !self.choices.is_empty() => format!("One of {} values", self.choices.len()),
            Kind::Int => "A whole number".to_string(),
            Kind::Float => "A number".to_string(),
            Kind::HumanInt => "A whole number; 32k means 32000, 32K means 32768".to_string(),
            Kind::HumanIntOrAuto => "A length: a number, 32k / 32K, -1 or auto".to_string(),
            Kind::Json => "A JSON value".to_string(),
            Kind::List => "One or more values, separated by spaces".to_string(),
            Kind::Text if !self.suggestions.is_empty() => {
                format!("A name ({} known in 0.33.0)", self.suggestions.len())
            }
            Kind::Text => "Text".to_string(),
        };
        let default = match &self.default {
            Value::Null => "unset by default (vLLM decides)".to_string(),
            Value::String(s) if s.is_empty() => "empty by default".to_string(),
            Value::String(s) => format!("default {s}"),
            Value::Array(a) if a.is_empty() => "empty by default".to_string(),
            Value::Object(o) if o.is_empty() => "empty by default".to_string(),
            other => format!("default {other}"),
        };
        let since = self
            .since
            .map(|b| format!(" · since vLLM {}", b.certain))
            .unwrap_or_default();
        let deprecated = if self.deprecated {
            " · deprecated"
        } else {
            ""
        };
        format!("{takes} · {default}{since}{deprecated}")
    }
}

/// A flag an older release accepted and 0.33.0 rejects.
#[derive(Clone, Debug)]
pub struct RemovedFlag {
    pub name: String,
    pub since: Option<Bound>,
    pub last_seen: Option<Version>,
    pub removed: Bound,
}

/// Whether a flag is accepted by a given release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    Present,
    /// Added later, in this release.
    NotYet(Version),
    /// Removed in this release (the first where it is certainly gone).
    Removed(Version),
    /// No release we know had it.
    Unknown,
}

/// How a command-line spelling resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spelling {
    /// A current flag; `negated` for `--no-x` / the opposite of a paired bool.
    Current { name: String, negated: bool },
    /// A flag that only older releases know.
    Removed { name: String },
    /// Unknown to every release we know.
    Unknown { name: String },
}

/// The whole catalog, built once.
pub struct Catalog {
    pub version: Version,
    pub flags: Vec<Flag>,
    pub removed: Vec<RemovedFlag>,
    index: HashMap<String, usize>,
    removed_index: HashMap<String, usize>,
}

/// Strips dashes and folds `_` to `-` before the first `.` or `=`, as vLLM's
/// `FlexibleArgumentParser` does: `--kv_cache_dtype` → `kv-cache-dtype`.
pub fn normalize(spelling: &str) -> String {
    // One pass and one allocation: the catalog normalizes its ~800 names and aliases at start-up
    // (a `find` + `format!` + `replace` version took half of the catalog's start-up in a profile).
    let bare = spelling.trim_start_matches('-');
    let mut out = String::with_capacity(bare.len());
    let mut in_head = true;
    for c in bare.chars() {
        in_head &= c != '.' && c != '=';
        out.push(if in_head && c == '_' { '-' } else { c });
    }
    out
}

fn kind_of(ty: &str) -> Kind {
    match ty {
        "bool" => Kind::Bool,
        "bool (flag only)" => Kind::FlagOnly,
        t if t.starts_with("int (human-readable) | auto") => Kind::HumanIntOrAuto,
        t if t.starts_with("int (human-readable)") => Kind::HumanInt,
        t if t.starts_with("int") => Kind::Int,
        t if t.starts_with("float") => Kind::Float,
        t if t.starts_with("list") => Kind::List,
        t if t.starts_with("json") || t.contains("parse_dataclass") => Kind::Json,
        _ => Kind::Text,
    }
}

impl Catalog {
    /// The embedded catalog (read on first use).
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::from_records(include_str!(concat!(env!("OUT_DIR"), "/catalog.txt")))
        })
    }

    /// Reads the records `build.rs` writes (`catalog_records` there documents the fields).
    fn from_records(text: &str) -> Catalog {
        let mut table = records::split(text);
        let version = table
            .next()
            .and_then(|r| Version::parse(r[0]))
            .unwrap_or(super::version::LATEST);
        let some = |t: &str| (!t.is_empty()).then(|| t.to_string());
        let list = |t: &str| -> Vec<String> { records::items(t).map(str::to_string).collect() };
        let (mut flags, mut removed) = (Vec::new(), Vec::new());
        for f in table {
            match f.as_slice() {
                ["F", name, ty, default, aliases, choices, suggestions, group, deprecated, note, since, description] => {
                    flags.push(Flag {
                        name: normalize(name),
                        kind: kind_of(ty),
                        nullable: ty.ends_with("| None"),
                        type_name: ty.to_string(),
                        aliases: list(aliases),
                        default: serde_json::from_str(default).unwrap_or(Value::Null),
                        choices: list(choices),
                        suggestions: list(suggestions),
                        group: group.to_string(),
                        deprecated: *deprecated == "1",
                        deprecation_note: some(note),
                        since: Bound::parse(since),
                        description: description.to_string(),
                    })
                }
                ["R", name, since, last_seen, gone] => {
                    if let Some(gone) = Bound::parse(gone) {
                        removed.push(RemovedFlag {
                            name: normalize(name),
                            since: Bound::parse(since),
                            last_seen: Version::parse(last_seen),
                            removed: gone,
                        })
                    }
                }
                _ => {}
            }
        }
        Catalog::indexed(version, flags, removed)
    }

    fn indexed(version: Version, flags: Vec<Flag>, removed: Vec<RemovedFlag>) -> Catalog {
        let mut index = HashMap::with_capacity(flags.len() * 2);
        for (i, f) in flags.iter().enumerate() {
            index.insert(f.name.clone(), i);
            for alias in &f.aliases {
                index.entry(normalize(alias)).or_insert(i);
            }
        }
        let removed_index = removed
            .iter()
            .enumerate()
            .map(|(i, r)| (r.name.clone(), i))
            .collect();
        Catalog {
            version,
            flags,
            removed,
            index,
            removed_index,
        }
    }

    /// The current flag with this canonical name (no dashes).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.index
            .get(name)
            .map(|&i| &self.flags[i])
            .filter(|f| f.name == name)
    }

    /// Resolves any spelling (`--kv_cache_dtype`, `-tp`, `--no-enable-prefix-caching`).
    pub fn resolve(&self, spelling: &str) -> Spelling {
        let key = normalize(spelling);
        if let Some(&i) = self.index.get(&key) {
            let flag = &self.flags[i];
            let negated =
                flag.kind == Kind::Bool && key != flag.name && is_opposite(&flag.name, &key);
            return Spelling::Current {
                name: flag.name.clone(),
                negated,
            };
        }
        if let Some(base) = key.strip_prefix("no-") {
            if let Some(flag) = self.flag(base).filter(|f| f.kind == Kind::Bool) {
                return Spelling::Current {
                    name: flag.name.clone(),
                    negated: true,
                };
            }
        }
        if self.removed_index.contains_key(&key) {
            return Spelling::Removed { name: key };
        }
        if self.dotted_base(&key).is_some() {
            return Spelling::Current {
                name: key,
                negated: false,
            };
        }
        Spelling::Unknown { name: key }
    }

    /// The JSON flag a dotted spelling sets one key of (`limit-mm-per-prompt.image` →
    /// `limit-mm-per-prompt`): vLLM's parser accepts `--flag.key value` for its JSON and
    /// config flags.
    pub fn dotted_base(&self, name: &str) -> Option<&Flag> {
        let (base, key) = name.split_once('.')?;
        (!key.is_empty()).then_some(())?;
        self.flag(base).filter(|f| f.kind == Kind::Json)
    }

    /// Whether `name` (canonical) is accepted by `release`.
    pub fn availability(&self, name: &str, release: Version) -> Availability {
        if let Some(base) = self.dotted_base(name) {
            let base = base.name.clone();
            return self.availability(&base, release);
        }
        if let Some(flag) = self.flag(name) {
            return match flag.since {
                Some(b) if release < b.earliest => Availability::NotYet(b.certain),
                _ => Availability::Present,
            };
        }
        if let Some(&i) = self.removed_index.get(name) {
            let r = &self.removed[i];
            if let Some(b) = r.since.filter(|b| release < b.earliest) {
                return Availability::NotYet(b.certain);
            }
            let gone = r
                .last_seen
                .map_or(release >= r.removed.earliest, |seen| release > seen);
            return if gone {
                Availability::Removed(r.removed.certain)
            } else {
                Availability::Present
            };
        }
        Availability::Unknown
    }

    /// The flags that exist in `release`, in catalog order.
    pub fn flags_in(&self, release: Version) -> impl Iterator<Item = &Flag> {
        self.flags
            .iter()
            .filter(move |f| self.availability(&f.name, release) == Availability::Present)
    }
}

/// `disable-x` vs `enable-x` (paired bools) or `no-x` vs `x`.
fn is_opposite(canonical: &str, alias: &str) -> bool {
    let strip = |s: &str| {
        s.strip_prefix("enable-")
            .or_else(|| s.strip_prefix("disable-"))
            .map(str::to_string)
    };
    alias.strip_prefix("no-") == Some(canonical)
        || (strip(canonical).is_some() && strip(canonical) == strip(alias))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The verbatim reference file read field by field as JSON, independently of the records.
    fn from_reference_json() -> (Vec<Flag>, Vec<RemovedFlag>) {
        let raw: Value =
            serde_json::from_str(include_str!("../data/vllm-serve-args-0.33.0.json")).unwrap();
        let text = |a: &Value, k: &str| a[k].as_str().map(str::to_string);
        let list = |a: &Value, k: &str| -> Vec<String> {
            a[k].as_array()
                .map(|v| {
                    v.iter()
                        .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let flags = raw["args"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["name"].as_str().unwrap().starts_with("--"))
            .map(|a| {
                let ty = text(a, "type").unwrap_or_default();
                Flag {
                    name: normalize(a["name"].as_str().unwrap()),
                    kind: kind_of(&ty),
                    nullable: ty.ends_with("| None"),
                    type_name: ty,
                    aliases: list(a, "aliases"),
                    default: a["default"].clone(),
                    choices: list(a, "choices"),
                    suggestions: list(a, "suggested_values"),
                    group: text(a, "group").unwrap_or_default(),
                    deprecated: a["deprecated"].as_bool().unwrap(),
                    deprecation_note: text(a, "deprecation_note"),
                    since: text(a, "since").as_deref().and_then(Bound::parse),
                    description: text(a, "description").unwrap_or_default(),
                }
            })
            .collect();
        let removed = raw["removed_args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| RemovedFlag {
                name: normalize(a["name"].as_str().unwrap()),
                since: text(a, "since").as_deref().and_then(Bound::parse),
                last_seen: text(a, "last_seen").as_deref().and_then(Version::parse),
                removed: Bound::parse(a["removed"].as_str().unwrap()).unwrap(),
            })
            .collect();
        (flags, removed)
    }

    #[test]
    fn normalize_folds_underscores_before_the_first_dot_or_equals_only() {
        // The straightforward spelling of the rule, as an oracle for the one-pass version.
        let plain = |s: &str| {
            let bare = s.trim_start_matches('-');
            let cut = bare.find(['.', '=']).unwrap_or(bare.len());
            let (head, tail) = bare.split_at(cut);
            format!("{}{}", head.replace('_', "-"), tail)
        };
        let (flags, _) = from_reference_json();
        let mut spellings: Vec<String> = flags.iter().flat_map(|f| f.aliases.clone()).collect();
        spellings.extend(
            [
                "--kv_cache_dtype",
                "--a_b.c_d=e_f",
                "--x=y.z_w",
                "-tp",
                "__under",
                "--é_ü",
                "",
                "---",
            ]
            .map(String::from),
        );
        for s in &spellings {
            assert_eq!(normalize(s), plain(s), "{s}");
        }
        assert_eq!(normalize("--kv_cache_dtype"), "kv-cache-dtype");
        assert_eq!(
            normalize("--hf_overrides.rope_theta"),
            "hf-overrides.rope_theta"
        );
    }

    #[test]
    fn the_embedded_records_hold_exactly_what_the_reference_file_says() {
        let c = Catalog::get();
        let (flags, removed) = from_reference_json();
        assert_eq!(c.flags.len(), flags.len());
        for (ours, theirs) in c.flags.iter().zip(&flags) {
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        }
        assert_eq!(format!("{:?}", c.removed), format!("{removed:?}"));
    }

    #[test]
    fn holds_every_flag_of_the_release() {
        let c = Catalog::get();
        // 321 parser entries, one of them the positional model tag.
        assert_eq!(c.flags.len(), 320);
        assert_eq!(c.removed.len(), 76);
        assert_eq!(c.version, Version::new(0, 33, 0));
        let gmu = c.flag("gpu-memory-utilization").unwrap();
        assert_eq!(gmu.kind, Kind::Float);
        assert_eq!(gmu.default, serde_json::json!(0.92));
        assert_eq!(c.flag("max-model-len").unwrap().kind, Kind::HumanIntOrAuto);
        assert_eq!(c.flag("hf-overrides").unwrap().kind, Kind::Json);
        assert_eq!(c.flag("dtype").unwrap().choices.len(), 6);
    }

    #[test]
    fn summaries_describe_type_default_and_release() {
        let c = Catalog::get();
        assert_eq!(
            c.flag("port").unwrap().summary(),
            "A whole number · default 8000 · since vLLM 0.4.0.post1"
        );
        assert_eq!(
            c.flag("dtype").unwrap().summary(),
            "One of 6 values · default auto · since vLLM 0.4.0.post1"
        );
        assert!(c
            .flag("max-model-len")
            .unwrap()
            .summary()
            .starts_with("A length: a number, 32k / 32K, -1 or auto · unset"));
        assert!(c
            .flag("reasoning-parser")
            .unwrap()
            .summary()
            .contains("since vLLM 0.7.1"));
    }

    #[test]
    fn resolves_spellings_like_the_parser() {
        let c = Catalog::get();
        let cur = |n: &str, neg| Spelling::Current {
            name: n.into(),
            negated: neg,
        };
        assert_eq!(c.resolve("--kv_cache_dtype"), cur("kv-cache-dtype", false));
        assert_eq!(c.resolve("-tp"), cur("tensor-parallel-size", false));
        assert_eq!(
            c.resolve("--disable-auto-tool-choice"),
            cur("enable-auto-tool-choice", true)
        );
        assert_eq!(
            c.resolve("--no-enable-prefix-caching"),
            cur("enable-prefix-caching", true)
        );
        assert_eq!(
            c.resolve("--enable-sliding-window"),
            cur("disable-sliding-window", true)
        );
        assert_eq!(
            c.resolve("--device-memory-utilization"),
            cur("gpu-memory-utilization", false)
        );
        assert_eq!(
            c.resolve("--rope_scaling"),
            Spelling::Removed {
                name: "rope-scaling".into()
            }
        );
        assert_eq!(
            c.resolve("--frobnicate"),
            Spelling::Unknown {
                name: "frobnicate".into()
            }
        );
    }

    #[test]
    fn knows_when_flags_came_and_went() {
        let c = Catalog::get();
        let v = |s| Version::parse(s).unwrap();
        assert_eq!(
            c.availability("rope-scaling", v("0.11.0")),
            Availability::Present
        );
        assert_eq!(
            c.availability("rope-scaling", v("0.11.1")),
            Availability::Removed(v("0.11.1"))
        );
        assert_eq!(
            c.availability("swap-space", v("0.17.1")),
            Availability::Present
        );
        assert_eq!(
            c.availability("swap-space", v("0.18.0")),
            Availability::Removed(v("0.18.0"))
        );
        assert_eq!(
            c.availability("reasoning-parser", v("0.7.0")),
            Availability::NotYet(v("0.7.1"))
        );
        assert_eq!(
            c.availability("enable-reasoning", v("0.10.0")),
            Availability::Removed(v("0.10.0"))
        );
        assert_eq!(
            c.availability("enable-reasoning", v("0.9.2")),
            Availability::Present
        );
        assert!(c.flags_in(v("0.4.0.post1")).count() < c.flags_in(v("0.33.0")).count());
    }

    #[test]
    fn secret_flags_are_flags_of_the_catalog() {
        for name in SECRET_FLAGS {
            assert!(Catalog::get().flag(name).is_some(), "{name}");
        }
    }
}
