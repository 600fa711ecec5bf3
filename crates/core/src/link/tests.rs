use super::*;
use crate::compose::reference_profile;
use crate::profile::GpuDevices;

#[test]
fn reference_profile_link_is_readable_and_round_trips() {
    let p = reference_profile();
    let q = encode(&p);
    assert!(
        q.starts_with("v=1&vllm-version=0.33.0&gpu=rtx-3090&gpu-count=2&model=Qwen/Qwen3-32B-AWQ&max-model-len=131072&"),
        "{q}"
    );
    assert!(q.contains("&kv-cache-dtype=fp8&"));
    assert!(q.contains("&enable-auto-tool-choice=true&"));
    assert!(q.contains("&rope-scaling=%7B%22rope_type%22"));
    assert!(q.contains("&devices=%24%7BCUDA_VISIBLE_DEVICES_MEDIUM%7D"));
    let (back, problems) = decode(&q);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(back, p);
    // A full URL works the same.
    let (from_url, _) = decode(&format!("https://example.org/studio/?{q}#x"));
    assert_eq!(from_url, p);
}

#[test]
fn defaults_are_left_out_and_the_link_never_depends_on_a_starting_profile() {
    let mut p = Profile::default();
    p.set("dtype", ArgValue::word("auto"));
    p.set("max-model-len", ArgValue::word("4096"));
    assert_eq!(
        encode(&p),
        "v=1&vllm-version=0.33.0&gpu=rtx-3090&gpu-count=2&max-model-len=4096"
    );
    // For another release the 0.33.0 default is not assumed.
    p.vllm_version = Version::parse("0.11.0").unwrap();
    assert!(encode(&p).contains("dtype=auto"));
    let (empty, problems) = decode("v=1");
    assert!(problems.is_empty());
    assert_eq!(empty, Profile::default());
}

#[test]
fn unreadable_keys_are_named_and_invalid_values_travel_as_written() {
    let (p, problems) = decode("v=1&max-model-len=lots&tensor-parallel-size=2&frobnicate=1&hf-overrides=%7Bbroken%7D&gpu=abacus&kv-cache-dtype=fp8&shm-size=lots&bad=%E2%28");
    let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["bad", "frobnicate", "gpu"]);
    assert_eq!(p.text("tensor-parallel-size").as_deref(), Some("2"));
    assert_eq!(p.text("kv-cache-dtype").as_deref(), Some("fp8"));
    // What the author's field held, the reviewer's link holds, and the rules flag it.
    assert_eq!(p.text("max-model-len").as_deref(), Some("lots"));
    assert_eq!(p.text("hf-overrides").as_deref(), Some("{broken}"));
    assert_eq!(p.compose.shm_size, "lots");
    assert_eq!(encode(&decode(&encode(&p)).0), encode(&p));
    let findings = crate::rules::evaluate(&crate::rules::Inputs::new(&p, None));
    let flagged = |id: crate::rules::RuleId, param: &str| {
        findings
            .iter()
            .any(|f| f.id == id && f.params.iter().any(|x| x == param))
    };
    assert!(flagged(crate::rules::RuleId::ValueInvalid, "max-model-len"));
    assert!(flagged(crate::rules::RuleId::ValueInvalid, "hf-overrides"));
    assert!(flagged(
        crate::rules::RuleId::ComposeValueInvalid,
        "shm-size"
    ));
    assert_eq!(decode("v=9").1[0].key, "v");
}

#[test]
fn secrets_never_travel() {
    let mut p = Profile::default();
    p.set("api-key", ArgValue::word("sk-123"));
    p.set("hf-token", ArgValue::word("hf_abc"));
    let q = encode(&p);
    assert!(!q.contains("sk-123") && !q.contains("hf_abc"), "{q}");
    assert_eq!(decode("api-key=sk-1").1[0].key, "api-key");
}

#[test]
fn lists_unknown_flags_and_healthchecks_round_trip() {
    let mut p = reference_profile();
    p.set(
        "served-model-name",
        ArgValue::Words(vec!["a".into(), "b c".into()]),
    );
    p.set("frob", ArgValue::Words(vec![]));
    p.set("enable-prefix-caching", ArgValue::Switch(false));
    p.compose
        .extra_env
        .push(("VLLM_LOGGING_LEVEL".into(), "DEBUG".into()));
    p.compose.devices = GpuDevices::Count(2);
    p.hardware.gpu_memory_gib = Some(23.5);
    let q = encode(&p);
    assert!(
        q.contains("served-model-name=a&served-model-name=b%20c"),
        "{q}"
    );
    assert!(q.contains("flag.frob=&"));
    let (back, problems) = decode(&q);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(back, p);
}

#[test]
fn diff_links_round_trip() {
    let head = reference_profile();
    let q = encode_diff(&BaseRef::Named("v1".into()), &head);
    assert!(q.starts_with("view=diff&base=v1&v=1&"), "{q}");
    let (base, back, problems) = decode_diff(&q).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!((base, back), (BaseRef::Named("v1".into()), head.clone()));
    let mut other = head.clone();
    other.set("max-model-len", ArgValue::word("65536"));
    let q = encode_diff(&BaseRef::Profile(Box::new(other.clone())), &head);
    assert!(q.contains("&base.max-model-len=65536&"));
    let (base, back, problems) = decode_diff(&q).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!((base, back), (BaseRef::Profile(Box::new(other)), head));
    assert!(decode_diff("v=1&model=m").is_none());
    let (_, _, problems) = decode_diff("view=diff&base.gpu=abacus&model=m").unwrap();
    assert_eq!(problems[0].key, "base.gpu");
}

#[test]
fn percent_escapes_need_two_hex_digits() {
    assert_eq!(decode_component("a%20b+c").as_deref(), Some("a b c"));
    assert_eq!(decode_component("%C3%A9").as_deref(), Some("é"));
    // `from_str_radix` would take the sign of `+1`: a link with it is refused, not guessed.
    for bad in ["%+1", "%-1", "%1", "%", "%zz", "%C3"] {
        assert_eq!(decode_component(bad), None, "{bad}");
    }
    let (_, problems) = decode("v=1&model=%+1");
    assert_eq!(problems[0].key, "model");
    assert_eq!(problems[0].message, "bad percent-encoding");
}

#[test]
fn components_round_trip_over_awkward_text() {
    for text in [
        "a b&c=d",
        "é—\u{2028}\u{85}",
        "${HF_TOKEN}",
        "100%",
        "+",
        "/:,@!*~",
    ] {
        let encoded = encode_component(text);
        assert!(
            encoded.is_ascii() && !encoded.contains(['&', '=', '+', ' ']),
            "{encoded}"
        );
        assert_eq!(decode_component(&encoded).as_deref(), Some(text));
    }
}
