//! vLLM release numbers and the release list the app offers.
use std::fmt;

/// A vLLM release such as `0.33.0`, `0.9.0.1` or `0.4.0.post1`, ordered as releases are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    parts: [u16; 4],
    post: u16,
}

impl Version {
    /// A release written in the source (`Version::known("0.20.0")`): panics on a typo, which the
    /// tests of the rule that names it catch.
    pub fn known(text: &str) -> Version {
        Version::parse(text).unwrap_or_else(|| panic!("`{text}` is not a release number"))
    }

    /// Parses `a.b.c`, `a.b.c.d` or `a.b.c.postN` (a leading `v` is allowed).
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim().trim_start_matches('v');
        let (main, post) = match text.split_once(".post") {
            Some((m, p)) => (m, p.parse().ok()?),
            None => (text, 0),
        };
        let mut parts = [0u16; 4];
        let mut count = 0;
        for piece in main.split('.') {
            if count == 4 {
                return None;
            }
            parts[count] = piece.parse().ok()?;
            count += 1;
        }
        (count >= 2).then_some(Version { parts, post })
    }

    /// Shorthand for tests and tables: `Version::new(0, 33, 0)`.
    pub const fn new(major: u16, minor: u16, patch: u16) -> Version {
        Version {
            parts: [major, minor, patch, 0],
            post: 0,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.parts;
        write!(f, "{a}.{b}.{c}")?;
        if d != 0 {
            write!(f, ".{d}")?;
        }
        if self.post != 0 {
            write!(f, ".post{}", self.post)?;
        }
        Ok(())
    }
}

/// A release bound as the reference data writes it: one release, or a range of unsampled
/// releases (`0.4.1..0.4.3`) inside which the change happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    /// The first release the change may be in.
    pub earliest: Version,
    /// The first release the change is certainly in.
    pub certain: Version,
}

impl Bound {
    /// Parses `0.9.0`, `0.4.1..0.4.3` or `<=0.4.0.post1` (present in the oldest sample).
    pub fn parse(text: &str) -> Option<Bound> {
        let text = text.trim().trim_start_matches("<=");
        match text.split_once("..") {
            Some((a, b)) => Some(Bound {
                earliest: Version::parse(a)?,
                certain: Version::parse(b)?,
            }),
            None => Version::parse(text).map(|v| Bound {
                earliest: v,
                certain: v,
            }),
        }
    }
}

/// The releases the app offers: the 71 PyPI releases the reference data sampled
/// (source: the `sampled:` comment of `data/vllm-flag-history.md`), oldest first.
pub fn releases() -> Vec<Version> {
    include_str!(concat!(env!("OUT_DIR"), "/releases.txt"))
        .lines()
        .filter_map(Version::parse)
        .collect()
}

/// The newest release the catalog describes flag by flag (its `vllm_version`, via build.rs).
pub const LATEST: Version = include!(concat!(env!("OUT_DIR"), "/latest.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_releases_like_pypi() {
        let v = |s| Version::parse(s).unwrap();
        assert!(v("0.4.0.post1") > v("0.4.0"));
        assert!(v("0.9.0.1") > v("0.9.0"));
        assert!(v("0.9.0.1") < v("0.9.1"));
        assert!(v("0.10.0") > v("0.9.2"));
        assert_eq!(v("0.8.5.post1").to_string(), "0.8.5.post1");
        assert_eq!(Version::parse("latest"), None);
        assert_eq!(Version::parse("v0.11.0"), Some(Version::new(0, 11, 0)));
    }

    #[test]
    fn parses_bounds_and_release_list() {
        let b = Bound::parse("0.4.1..0.4.3").unwrap();
        assert_eq!(
            (b.earliest, b.certain),
            (Version::parse("0.4.1").unwrap(), Version::new(0, 4, 3))
        );
        assert_eq!(
            Bound::parse("<=0.4.0.post1").unwrap().certain,
            Version::parse("0.4.0.post1").unwrap()
        );
        let all = releases();
        assert_eq!(all.len(), 71);
        assert_eq!(all.last(), Some(&LATEST));
        assert!(all.windows(2).all(|w| w[0] < w[1]));
    }
}
