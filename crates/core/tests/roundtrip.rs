//! Property tests over the whole catalog: export→import and encode→decode give the profile back.
#![cfg(not(target_arch = "wasm32"))]
mod common;

use common::profile;
use proptest::prelude::*;
use studio_core::compose::{import_compose, to_yaml};
use studio_core::link::{decode, encode};
use studio_core::profile::Profile;
use studio_core::version::LATEST;

/// What a link keeps: values equal to vLLM's defaults (for the catalog's release) are dropped.
fn without_defaults(mut p: Profile) -> Profile {
    if p.vllm_version == LATEST {
        p.args
            .retain(|a| !Profile::is_default_value(&a.name, &a.value));
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn import_of_export_is_identity(p in profile()) {
        let yaml = to_yaml(&p);
        let mut back = import_compose(&yaml, &p).map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?.profile;
        // The file carries no GPU model: the import leaves it unstated (checked elsewhere).
        prop_assert_eq!(&back.hardware.gpu, studio_core::gpu::UNSTATED_GPU);
        back.hardware = p.hardware.clone();
        prop_assert_eq!(back, p, "{}", yaml);
    }

    #[test]
    fn decode_of_encode_is_identity(p in profile()) {
        let q = encode(&p);
        let (back, problems) = decode(&q);
        prop_assert!(problems.is_empty(), "{:?} in {}", problems, q);
        prop_assert_eq!(back, without_defaults(p));
    }

    #[test]
    fn import_never_panics(s in "\\PC{0,200}") {
        let _ = import_compose(&s, &Profile::default());
        let _ = decode(&s);
    }

    #[test]
    fn yaml_like_input_never_panics(s in "(services:\n  v:\n)?([ \
        a-zé0-9:#'\"\\[\\]{},|>&*~!-]{0,12}\n){0,12}") {
        let _ = import_compose(&s, &Profile::default());
    }
}
