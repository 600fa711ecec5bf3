//! What the app opens on: a diff link, a profile link, the saved draft, or the reference
//! profile, in that order. Plain logic over the core (no browser API), so it is tested natively.
use studio_core::compose::reference_profile;
use studio_core::link::{self, BaseRef, LinkProblem};
use studio_core::profile::Profile;

/// The starting state the app mounts with.
#[derive(Debug, PartialEq)]
pub struct Start {
    /// The profile the editor opens on.
    pub profile: Profile,
    /// The base of a diff link, when the URL is one.
    pub diff_base: Option<BaseRef>,
    /// The saved draft a link replaced (kept as the snapshot `previous draft`).
    pub previous_draft: Option<Profile>,
    /// What the link could not apply, one message per key.
    pub notices: Vec<String>,
}

fn link_notices(problems: &[LinkProblem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| format!("Link key `{}` not applied: {}", p.key, p.message))
        .collect()
}

/// A URL with a profile wins over the saved draft; a draft that differs from it is handed back
/// as `previous_draft` so that no work is lost. Without a profile in the URL the draft opens,
/// and without a draft the reference profile.
pub fn choose_start(query: &str, draft: Option<Profile>) -> Start {
    if let Some((base, head, problems)) = link::decode_diff(query) {
        return Start {
            previous_draft: draft.filter(|d| *d != head),
            profile: head,
            diff_base: Some(base),
            notices: link_notices(&problems),
        };
    }
    if link::carries_profile(query) {
        let (profile, problems) = link::decode(query);
        return Start {
            previous_draft: draft.filter(|d| *d != profile),
            profile,
            diff_base: None,
            notices: link_notices(&problems),
        };
    }
    Start {
        profile: draft.unwrap_or_else(reference_profile),
        diff_base: None,
        previous_draft: None,
        notices: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use studio_core::profile::ArgValue;

    fn draft() -> Profile {
        let mut p = reference_profile();
        p.set("max-num-seqs", ArgValue::word("7"));
        p
    }

    #[test]
    fn without_a_link_the_draft_opens_and_without_a_draft_the_reference() {
        assert_eq!(choose_start("", Some(draft())).profile, draft());
        let fresh = choose_start("", None);
        assert_eq!(fresh.profile, reference_profile());
        assert_eq!((fresh.previous_draft, fresh.notices.len()), (None, 0));
        // A query without profile keys (a tracking parameter) does not replace the draft.
        assert_eq!(choose_start("utm_source=x", Some(draft())).profile, draft());
    }

    #[test]
    fn a_link_wins_and_the_replaced_draft_is_kept() {
        let start = choose_start("v=1&model=meta-llama/Llama-3.1-8B-Instruct", Some(draft()));
        assert_eq!(start.profile.model, "meta-llama/Llama-3.1-8B-Instruct");
        assert_eq!(start.previous_draft, Some(draft()));
        // The same profile as the draft: nothing to keep.
        let same = choose_start(&link::encode(&draft()), Some(draft()));
        assert_eq!((same.profile, same.previous_draft), (draft(), None));
    }

    #[test]
    fn a_diff_link_gives_both_sides_and_bad_keys_become_notices() {
        let start = choose_start("view=diff&base=v1&v=1&gpu=abacus", Some(draft()));
        assert_eq!(start.diff_base, Some(BaseRef::Named("v1".into())));
        assert_eq!(start.previous_draft, Some(draft()));
        assert_eq!(start.notices.len(), 1, "{:?}", start.notices);
        assert!(start.notices[0].contains("gpu"));
    }
}
