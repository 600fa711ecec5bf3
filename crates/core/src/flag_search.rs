//! Finding a flag the way people type it: spaces, dashes and underscores are the same, the
//! words may come in any order, and the flag's name, other spellings, help text and vLLM group
//! are all searched, plus a few everyday words for what the docs call something else.
use crate::catalog::Flag;

/// Everyday words and the words of the flag they mean (vLLM's engine-argument docs call the
/// context length `max_model_len`, "Model context length"; TP/PP are the docs' abbreviations).
const SYNONYMS: &[(&str, &str)] = &[
    ("context", "max model len"),
    ("ctx", "max model len"),
    ("length", "max model len"),
    ("tp", "tensor parallel size"),
    ("pp", "pipeline parallel size"),
    ("dp", "data parallel size"),
    ("ep", "expert parallel"),
    ("vram", "gpu memory utilization"),
    ("memory", "gpu memory utilization"),
    ("batch", "max num batched tokens"),
    ("concurrency", "max num seqs"),
    ("quant", "quantization"),
    ("eager", "enforce eager"),
    ("graphs", "cuda graph"),
    ("tools", "tool call"),
    ("spec", "speculative"),
];

/// `text` lowercased with `-`, `_`, `.` and runs of spaces made one space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '-' | '_' | '.' | '/' => ' ',
            c => c.to_ascii_lowercase(),
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// Whether every word of `query` (normalized) is in the flag's name, spellings, group or help,
/// or names it through a synonym. An empty query matches every flag.
pub fn matches(flag: &Flag, query: &str) -> bool {
    rank(flag, query).is_some()
}

/// How well `flag` answers `query`, best first: 0 the name itself or the docs' word for this
/// flag, 1 the whole query in the name, 2 every word in the name, 3 through a synonym, 4 in
/// the spellings, group or help;
/// `None` when it does not match. An empty query ranks every flag 4.
pub fn rank(flag: &Flag, query: &str) -> Option<u8> {
    Searchable::new(flag).rank(&Query::new(query))
}

/// A query normalized once, for ranking many flags.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    text: String,
}

impl Query {
    /// `typed` as the search box holds it.
    pub fn new(typed: &str) -> Query {
        Query {
            text: normalize(typed),
        }
    }

    fn words(&self) -> impl Iterator<Item = &str> + Clone {
        self.text.split(' ')
    }
}

/// A flag's searched texts, normalized once (a keystroke in the search box ranks every flag of
/// the release: normalizing 350 help texts per keystroke was 15 % of its time in a profile).
#[derive(Clone, Debug)]
pub struct Searchable<'a> {
    /// The flag.
    pub flag: &'a Flag,
    name: String,
    /// The name, other spellings, group and help text, one space apart.
    hay: String,
}

/// The same flag record (the texts follow from it).
impl PartialEq for Searchable<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.flag, other.flag)
    }
}

impl<'a> Searchable<'a> {
    /// The flag's texts, normalized.
    pub fn new(flag: &'a Flag) -> Searchable<'a> {
        let name = normalize(&flag.name);
        let mut hay = name.clone();
        for a in &flag.aliases {
            hay.push(' ');
            hay.push_str(&normalize(a));
        }
        hay.push(' ');
        hay.push_str(&normalize(&flag.group));
        hay.push(' ');
        hay.push_str(&normalize(&flag.description));
        Searchable { flag, name, hay }
    }

    /// [`rank`] of this flag for `query`.
    pub fn rank(&self, query: &Query) -> Option<u8> {
        let (name, query, words) = (&self.name, &query.text, query.words());
        if query.is_empty() {
            return Some(4);
        }
        if name == query {
            return Some(0);
        }
        // A word the docs use for this very flag ("context" is max-model-len).
        if SYNONYMS
            .iter()
            .any(|(word, means)| word == query && name == means)
        {
            return Some(0);
        }
        if name.contains(query.as_str()) {
            return Some(1);
        }
        if words.clone().all(|w| name.contains(w)) {
            return Some(2);
        }
        let synonym = |w: &str| {
            SYNONYMS
                .iter()
                .any(|(word, means)| *word == w && name.contains(means))
        };
        if words.clone().any(synonym) && words.clone().all(|w| name.contains(w) || synonym(w)) {
            return Some(3);
        }
        // The whole query as typed ("prefix caching") or each of its words.
        (self.hay.contains(query.as_str())
            || words.clone().all(|w| self.hay.contains(w) || synonym(w)))
        .then_some(4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::version::Version;

    fn found(query: &str) -> Vec<String> {
        Catalog::get()
            .flags_in(Version::known("0.33.0"))
            .filter(|f| matches(f, query))
            .map(|f| f.name.clone())
            .collect()
    }

    #[test]
    fn the_spellings_people_type_find_their_flag() {
        for (query, flag) in [
            ("prefix caching", "enable-prefix-caching"),
            ("caching prefix", "enable-prefix-caching"),
            ("max_num_seqs", "max-num-seqs"),
            ("MAX NUM SEQS", "max-num-seqs"),
            ("--max-model-len", "max-model-len"),
            ("context", "max-model-len"),
            ("tp", "tensor-parallel-size"),
            ("kv cache dtype", "kv-cache-dtype"),
            ("gpu memory", "gpu-memory-utilization"),
        ] {
            let hits = found(query);
            assert!(hits.iter().any(|h| h == flag), "{query:?} → {hits:?}");
        }
        assert!(found("").len() > 300);
        // The flag the words name ranks first.
        let best = |q: &str| {
            Catalog::get()
                .flags_in(Version::known("0.33.0"))
                .filter_map(|f| rank(f, q).map(|r| (r, f.name.clone())))
                .min()
                .unwrap()
                .1
        };
        assert_eq!(best("max_num_seqs"), "max-num-seqs");
        assert_eq!(best("context"), "max-model-len");
        assert_eq!(best("prefix caching"), "enable-prefix-caching");
        assert!(found("no such words here at all").is_empty());
    }

    #[test]
    fn normalize_makes_separators_one_space() {
        assert_eq!(normalize("--Max_Num.Seqs  x"), "max num seqs x");
    }
}
