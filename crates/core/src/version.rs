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

/// Every vLLM release published on PyPI from 0.4.0 to 0.33.0, oldest first (source:
/// `data/pypi-releases.txt`). Facts for a release the history did not sample come from the
/// nearest sampled release before it ([`nearest_sampled`]).
pub fn published() -> Vec<Version> {
    let mut out: Vec<Version> = include_str!("../data/pypi-releases.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(Version::parse)
        .collect();
    crate::order::sort(&mut out);
    out
}

/// The releases a profile can be checked against: the published ones and the sampled ones.
pub fn selectable() -> Vec<Version> {
    let mut all = published();
    all.extend(releases());
    crate::order::sort(&mut all);
    all.dedup();
    all
}

/// The sampled release whose facts stand for `v` (itself when sampled, else the nearest one
/// before it); `None` before the first sample.
pub fn nearest_sampled(v: Version) -> Option<Version> {
    releases().into_iter().filter(|r| *r <= v).max()
}

/// The vLLM release an image reference names: `vllm/vllm-openai:v0.27.1-ubuntu2404`,
/// `…:v0.19.0-cu130`, `…-rocm:v0.26.0`, `rocm/vllm:rocm6.4.1_vllm_0.10.1_20250909`,
/// `docker.io/vllm/vllm-openai:v0.12.0`; a digest after the tag is ignored. `None` for
/// `latest`, `nightly`, a digest alone or a tag that names no release.
pub fn release_of_image(image: &str) -> Option<Version> {
    let image = image.split('@').next().unwrap_or(image);
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    let tag = &image[slash..].split_once(':')?.1;
    let from_rocm = tag.split('_').skip_while(|p| *p != "vllm").nth(1);
    let text = from_rocm.unwrap_or(tag);
    let text = text.strip_prefix('v').unwrap_or(text);
    // The release number ends where a `-suffix` starts (`-cu130`, `-ubuntu2404`, `-aarch64`).
    let number = text.split('-').next().unwrap_or(text);
    number
        .starts_with(|c: char| c.is_ascii_digit())
        .then(|| Version::parse(number))
        .flatten()
}

/// The newest release the catalog describes flag by flag (its `vllm_version`, via build.rs).
pub const LATEST: Version = include!(concat!(env!("OUT_DIR"), "/latest.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_from_image_references() {
        let r = |s: &str| release_of_image(s).map(|v| v.to_string());
        assert_eq!(
            r("vllm/vllm-openai:v0.27.1-ubuntu2404").as_deref(),
            Some("0.27.1")
        );
        assert_eq!(
            r("vllm/vllm-openai:v0.19.0-cu130").as_deref(),
            Some("0.19.0")
        );
        assert_eq!(
            r("vllm/vllm-openai-rocm:v0.26.0").as_deref(),
            Some("0.26.0")
        );
        assert_eq!(
            r("rocm/vllm:rocm6.4.1_vllm_0.10.1_20250909").as_deref(),
            Some("0.10.1")
        );
        assert_eq!(
            r("docker.io/vllm/vllm-openai:v0.12.0").as_deref(),
            Some("0.12.0")
        );
        assert_eq!(
            r("vllm/vllm-openai:v0.6.3.post1").as_deref(),
            Some("0.6.3.post1")
        );
        assert_eq!(
            r("vllm/vllm-openai:v0.30.0@sha256:8a69").as_deref(),
            Some("0.30.0")
        );
        assert_eq!(
            r("localhost:5000/vllm/vllm-openai:v0.9.2").as_deref(),
            Some("0.9.2")
        );
        for none in [
            "vllm/vllm-openai:latest",
            "vllm/vllm-openai:gemma4-cu130",
            "vllm/vllm-openai@sha256:aeb4",
            "vllm/vllm-openai",
        ] {
            assert_eq!(r(none), None, "{none}");
        }
    }

    #[test]
    fn every_published_release_is_selectable_with_the_nearest_sampled_facts() {
        let all = selectable();
        for v in ["0.4.1", "0.4.2", "0.8.5", "0.5.0.post1", "0.33.0"] {
            assert!(all.contains(&Version::known(v)), "{v}");
        }
        assert_eq!(
            nearest_sampled(Version::known("0.4.2")),
            Some(Version::known("0.4.0.post1"))
        );
        assert_eq!(
            nearest_sampled(Version::known("0.8.5")),
            Some(Version::known("0.8.4"))
        );
        assert_eq!(
            nearest_sampled(Version::known("0.28.1")),
            Some(Version::known("0.28.0"))
        );
        assert_eq!(
            nearest_sampled(Version::known("0.33.0")),
            Some(Version::known("0.33.0"))
        );
    }

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
