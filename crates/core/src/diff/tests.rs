use super::*;

/// key, kind, base value, head value, consequence.
type Row = (
    String,
    &'static str,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn changed(base: &str, head: &str) -> Vec<Row> {
    let d = diff(
        &baseline(base).unwrap().profile(),
        &baseline(head).unwrap().profile(),
    );
    d.changed()
        .map(|r| {
            (
                r.key.clone(),
                r.change.as_str(),
                r.old.clone(),
                r.new.clone(),
                r.relative.clone(),
            )
        })
        .collect()
}

fn row(
    k: &str,
    c: &'static str,
    o: Option<&str>,
    n: Option<&str>,
    r: Option<&str>,
) -> (
    String,
    &'static str,
    Option<String>,
    Option<String>,
    Option<String>,
) {
    (
        k.into(),
        c,
        o.map(Into::into),
        n.map(Into::into),
        r.map(Into::into),
    )
}

const YARN2: &str =
    r#"'{"rope_type":"yarn","factor":2.0,"original_max_position_embeddings":32768}'"#;
const YARN4: &str =
    r#"'{"rope_type":"yarn","factor":4.0,"original_max_position_embeddings":32768}'"#;

#[test]
fn v1_to_v3_matches_the_document() {
    assert_eq!(
        changed("v1", "v3"),
        [
            row(
                "vllm-version",
                "changed",
                Some("0.4.0.post1"),
                Some("0.11.0"),
                None
            ),
            row(
                "max-model-len",
                "changed",
                Some("32000"),
                Some("131072"),
                Some("+309.6 %, ×4.1")
            ),
            row(
                "gpu-memory-utilization",
                "changed",
                Some("0.85"),
                Some("0.95"),
                Some("+11.8 %")
            ),
            row(
                "quantization",
                "changed",
                Some("awq"),
                Some("awq_marlin"),
                None
            ),
            row("kv-cache-dtype", "added", None, Some("fp8"), None),
            row("enable-auto-tool-choice", "added", None, Some("true"), None),
            row("tool-call-parser", "added", None, Some("hermes"), None),
            row("reasoning-parser", "added", None, Some("qwen3"), None),
            row("rope-scaling", "added", None, Some(YARN4), None),
        ]
    );
}

#[test]
fn v1_to_v2_and_v2_to_v3() {
    assert_eq!(
        changed("v1", "v2"),
        [
            row(
                "vllm-version",
                "changed",
                Some("0.4.0.post1"),
                Some("0.6.1"),
                None
            ),
            row(
                "max-model-len",
                "changed",
                Some("32000"),
                Some("65536"),
                Some("+104.8 %, ×2")
            ),
            row(
                "gpu-memory-utilization",
                "changed",
                Some("0.85"),
                Some("0.90"),
                Some("+5.9 %")
            ),
            row(
                "quantization",
                "changed",
                Some("awq"),
                Some("awq_marlin"),
                None
            ),
            row("kv-cache-dtype", "added", None, Some("fp8"), None),
            row("rope-scaling", "added", None, Some(YARN2), None),
        ]
    );
    assert_eq!(
        changed("v2", "v3"),
        [
            row(
                "vllm-version",
                "changed",
                Some("0.6.1"),
                Some("0.11.0"),
                None
            ),
            row(
                "max-model-len",
                "changed",
                Some("65536"),
                Some("131072"),
                Some("+100.0 %, ×2")
            ),
            row(
                "gpu-memory-utilization",
                "changed",
                Some("0.90"),
                Some("0.95"),
                Some("+5.6 %")
            ),
            row("rope-scaling", "changed", Some(YARN2), Some(YARN4), None),
            row("enable-auto-tool-choice", "added", None, Some("true"), None),
            row("tool-call-parser", "added", None, Some("hermes"), None),
            row("reasoning-parser", "added", None, Some("qwen3"), None),
        ]
    );
}

#[test]
fn relative_changes() {
    assert_eq!(
        relative_change("32000", "131072").as_deref(),
        Some("+309.6 %, ×4.1")
    );
    assert_eq!(relative_change("0.95", "0.85").as_deref(), Some("−10.5 %"));
    assert_eq!(
        relative_change("32k", "8k").as_deref(),
        Some("−75.0 %, ×0.2")
    );
    assert_eq!(relative_change("awq", "awq_marlin"), None);
}

#[test]
fn markdown_golden() {
    let d = diff(
        &baseline("v2").unwrap().profile(),
        &baseline("v3").unwrap().profile(),
    );
    let md = to_markdown(&d, "v2", "v3");
    let expected_head =
        "### vLLM profile: `v2` → `v3`\n\n| Parameter | v2 | v3 | Change |\n|---|---|---|---|\n\
| `vllm-version` | `0.6.1` | `0.11.0` | changed |\n\
| `max-model-len` | `65536` | `131072` | +100.0 %, ×2 |\n\
| `gpu-memory-utilization` | `0.90` | `0.95` | +5.6 % |\n";
    assert!(md.starts_with(expected_head), "{md}");
    assert!(md.contains(&format!(
        "\n**Score:** {} % → {} %\n",
        d.base.score, d.head.score
    )));
    assert!(md.contains("**KV tokens per GPU:**"));
    assert!(md.contains("| `tool-call-parser` | — | `hermes` | added |"));
}

#[test]
fn consequences_are_computed_for_both_sides() {
    let mut head = baseline("v3").unwrap().profile();
    head.vllm_version = crate::version::Version::new(0, 33, 0);
    let d = diff(&baseline("v3").unwrap().profile(), &head);
    let (new, gone) = d.findings_delta();
    assert!(new.iter().any(|(id, _)| id == "flag-removed"));
    assert!(gone.iter().any(|(id, _)| id == "flag-deprecated"));
    assert!(d.head.score < d.base.score);
    assert!(d.base.kv_tokens.is_some());
}

#[test]
fn markdown_cannot_be_broken_or_injected_by_values_and_names() {
    let base = baseline("v3").unwrap().profile();
    let mut head = base.clone();
    head.set(
        "served-model-name",
        crate::profile::ArgValue::word("a|b\n| injected | row |\n<img src=x onerror=alert(1)>`"),
    );
    let d = diff(&base, &head);
    let md = to_markdown(&d, "v3 <b>", "mine|\nnew");
    // One header, one separator, one changed row: the value stays in its cell.
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(rows.len(), 3, "{md}");
    assert!(!md.contains("<img") && !md.contains("<b>"), "{md}");
    assert!(md.contains("a\\|b"), "{md}");
}
