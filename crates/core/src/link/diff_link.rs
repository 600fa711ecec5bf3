//! Diff links: one URL that opens the review of a base profile against a head profile.
use super::{decode, decode_pairs, encode, encode_component, parse_query, to_pairs, LinkProblem};
use crate::profile::Profile;

/// Keys that belong to the diff part of a link, not to the head profile.
pub(super) fn is_diff_key(key: &str) -> bool {
    key == "view" || key == "base" || key.starts_with("base.")
}

/// The base side of a review: a built-in baseline (`v1`…) or a whole profile.
#[derive(Clone, Debug, PartialEq)]
pub enum BaseRef {
    Named(String),
    Profile(Box<Profile>),
}

/// A diff link: `view=diff`, then `base=v1` or the base profile's keys prefixed `base.`,
/// then the head profile's keys as in a share link.
pub fn encode_diff(base: &BaseRef, head: &Profile) -> String {
    let mut parts = vec!["view=diff".to_string()];
    match base {
        BaseRef::Named(n) => parts.push(format!("base={}", encode_component(n))),
        BaseRef::Profile(b) => parts.extend(
            to_pairs(b)
                .iter()
                .map(|(k, v)| format!("base.{}={}", encode_component(k), encode_component(v))),
        ),
    }
    parts.push(encode(head));
    parts.join("&")
}

/// Reads a diff link; `None` when the query is not one.
pub fn decode_diff(input: &str) -> Option<(BaseRef, Profile, Vec<LinkProblem>)> {
    let (pairs, problems) = parse_query(input);
    if !pairs.iter().any(|(k, v)| k == "view" && v == "diff") {
        return None;
    }
    let _ = problems;
    let (head, mut problems) = decode(input);
    let base = if let Some((_, name)) = pairs.iter().find(|(k, _)| k == "base") {
        BaseRef::Named(name.clone())
    } else {
        let base_pairs: Vec<(String, String)> = pairs
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("base.").map(|k| (k.to_string(), v.clone())))
            .collect();
        let (b, base_problems) = decode_pairs(&base_pairs, Vec::new());
        problems.extend(base_problems.into_iter().map(|p| LinkProblem {
            key: format!("base.{}", p.key),
            message: p.message,
        }));
        BaseRef::Profile(Box::new(b))
    };
    Some((base, head, problems))
}
