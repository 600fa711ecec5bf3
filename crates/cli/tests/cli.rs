//! The `vllm-profile` CLI as a CI job would use it.
use std::process::{Command, Output};
use studio_core::compose::{reference_profile, to_yaml};
use studio_core::link::encode;

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vllm-profile"))
        .args(args)
        .output()
        .expect("run vllm-profile")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn import_prints_the_link_and_render_gives_the_yaml_back() {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../../profiles/medium.yml");
    let out = cli(&["import", seed]);
    assert!(out.status.success());
    let query = stdout(&out).trim().to_string();
    // The link carries the whole service, the seed's stray `#` words included.
    let seed_profile = studio_core::compose::import_compose(
        studio_core::compose::SEED_MEDIUM_YML,
        &studio_core::profile::Profile::default(),
    )
    .unwrap()
    .profile;
    assert_eq!(query, encode(&seed_profile));
    assert!(query.contains("&stray=%23&"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("note: Found 12"));
    let out = cli(&[
        "render",
        "--link",
        &format!("https://studio.example/?{query}"),
    ]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), to_yaml(&seed_profile));
    let _ = reference_profile;
    let out = cli(&["command", "--link", &query]);
    assert!(stdout(&out).starts_with("vllm serve \\\n  --model Qwen/Qwen3-32B-AWQ"));
    let out = cli(&["env", "--link", &query]);
    assert!(stdout(&out).contains("CUDA_VISIBLE_DEVICES_MEDIUM=0,1"));
}

#[test]
fn bad_input_exits_2_with_a_located_message() {
    let out = cli(&["render", "--link", "v=1&gpu=abacus&frobnicate=1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`gpu`") && err.contains("`frobnicate`"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // A value vLLM refuses is rendered as the link holds it; `check` reports it.
    let link = "v=1&max-model-len=lots&dtype=fp4";
    let out = cli(&["render", "--link", link]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("--max-model-len lots") && stdout(&out).contains("--dtype fp4"));
    let out = cli(&["check", "--link", link, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let invalid: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "value-invalid")
        .map(|f| f["params"][0].as_str().unwrap())
        .collect();
    assert_eq!(invalid, ["max-model-len", "dtype"]);

    let bad = std::env::temp_dir().join(format!("bad-{}.yml", std::process::id()));
    std::fs::write(&bad, "services:\n  a:\n    image: [x\n").unwrap();
    let out = cli(&["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line "));
    std::fs::remove_file(bad).ok();

    assert_eq!(cli(&["import", "/no/such/file.yml"]).status.code(), Some(2));
    assert_eq!(cli(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(cli(&[]).status.code(), Some(2));
}

#[test]
fn check_json_fields_and_exit_codes() {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../../profiles/medium.yml");
    // The file names no GPU model: the GPU checks are skipped and the score is partial, never
    // better than with the GPU the reference document states.
    let out = cli(&["check", seed, "--json"]);
    assert_eq!(out.status.code(), Some(1), "errors fail the check");
    let partial: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(partial["partial"], true);
    let skipped: Vec<&serde_json::Value> = partial["checks_skipped"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert!(skipped
        .iter()
        .any(|s| s["id"] == "memory-fit" && s["missing"][0] == "gpu-memory"));
    let out = cli(&[
        "check",
        seed,
        "--json",
        "--gpu",
        "rtx-3090",
        "--gpu-count",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(1), "errors fail the check");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["partial"], false);
    assert!(v["checks_skipped"].as_array().unwrap().is_empty());
    assert!(partial["score"].as_u64() <= v["score"].as_u64());
    assert!(
        partial["checks_run"].as_array().unwrap().len() < v["checks_run"].as_array().unwrap().len()
    );
    // The seed as written: vLLM 0.33.0 refuses --rope_scaling, --swap-space and the 12 `#`
    // notes Compose passes on (vllm-parse-check, recorded in the issue 2 note), plus the derived
    // length and the missing shared memory.
    assert_eq!(v["score"], 18);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == "command-stray-words" && f["stage"] == "parser"));
    let removed: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "flag-removed")
        .collect();
    assert_eq!(removed.len(), 2);
    for f in &removed {
        for key in ["severity", "category", "params", "message", "source", "fix"] {
            assert!(!f[key].is_null(), "{key} in {f}");
        }
    }
    let out = cli(&["check", seed, "--vllm-version", "0.11.0", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["id"] != "flag-removed"));
    // The fixed profile passes, and --min-score is honoured.
    let fixed = std::env::temp_dir().join(format!("fixed-{}.yml", std::process::id()));
    std::fs::write(&fixed, cli(&["fix", seed]).stdout).unwrap();
    assert_eq!(
        cli(&["check", fixed.to_str().unwrap()]).status.code(),
        Some(0)
    );
    assert_eq!(
        cli(&["check", fixed.to_str().unwrap(), "--min-score", "100"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        cli(&["check", seed, "--gpu", "abacus"]).status.code(),
        Some(2)
    );
    std::fs::remove_file(fixed).ok();
}

#[test]
fn estimate_json_has_the_documented_fields() {
    let query = encode(&reference_profile());
    let out = cli(&["estimate", "--link", &query, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "weights_gib",
        "activation_gib",
        "non_torch_gib",
        "cuda_graph_gib",
        "kv_cache_gib",
        "kv_tokens",
        "max_concurrency",
        "fits",
    ] {
        assert!(!v[key].is_null(), "{key}");
    }
    assert_eq!(v["fits"], true);
    assert_eq!(v["kv_bytes_per_token"], 65536);
    // On 0.33.0 the seed's --rope-scaling is gone, so 40960 is the model's derived maximum: the
    // bound is the model, not memory (the KV cache would hold 162208 tokens).
    assert_eq!(v["largest_max_model_len"], 40960);
    assert_eq!(v["binding_limit"], "derived-length", "{v}");
    // A custom 16 GiB card does not hold it.
    let out = cli(&[
        "estimate",
        "--link",
        &format!("{query}&gpu=custom&gpu-memory-gib=16"),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["fits"], false);
    // An unknown model needs its config.json.
    let cfg = std::env::temp_dir().join(format!("config-{}.json", std::process::id()));
    std::fs::write(&cfg, r#"{"architectures":["MistralForCausalLM"],"num_hidden_layers":32,"hidden_size":4096,"num_attention_heads":32,"num_key_value_heads":8,"vocab_size":32768,"max_position_embeddings":32768,"torch_dtype":"bfloat16"}"#).unwrap();
    let q = "v=1&model=mistralai/Mistral-7B-v0.3&gpu=l40s&gpu-count=1";
    assert_eq!(cli(&["estimate", "--link", q]).status.code(), Some(2));
    let out = cli(&[
        "estimate",
        "--link",
        q,
        "--model-config",
        cfg.to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kv_bytes_per_token"], 32 * 2 * 8 * 128 * 2);
    std::fs::write(&cfg, "{ oops").unwrap();
    let out = cli(&[
        "estimate",
        "--link",
        q,
        "--model-config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
    std::fs::remove_file(cfg).ok();
}

#[test]
fn diff_between_baselines_and_files() {
    let out = cli(&["diff", "v1", "v3", "--markdown"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("| `max-model-len` | `32000` | `131072` | +309.6 %, ×4.1 |"));
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../../profiles/medium.yml");
    let out = cli(&["diff", "v3", seed]);
    assert!(
        stdout(&out).contains("vllm-version") && stdout(&out).contains("0.11.0 → 0.33.0"),
        "{}",
        stdout(&out)
    );
    assert_eq!(cli(&["diff", "v9", "v1"]).status.code(), Some(2));
}

#[test]
fn clap_usage_help_and_stages() {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../../profiles/medium.yml");
    let help = cli(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("estimate"));
    // A file and a link at once, a missing value, a score out of range: usage errors (2).
    assert_eq!(
        cli(&["render", seed, "--link", "v=1"]).status.code(),
        Some(2)
    );
    assert_eq!(cli(&["check", seed, "--gpu"]).status.code(), Some(2));
    assert_eq!(
        cli(&["check", seed, "--min-score", "101"]).status.code(),
        Some(2)
    );
    // Every finding says at which stage vLLM acts on it; the seed's removed flags are parser stage.
    let out = cli(&["check", seed, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for f in v["findings"].as_array().unwrap() {
        let stage = f["stage"].as_str().unwrap();
        assert!(
            ["parser", "startup", "runtime", "advice"].contains(&stage),
            "{f}"
        );
        if f["id"] == "flag-removed" {
            assert_eq!(stage, "parser");
        }
    }
    // A link works as a diff side too.
    let out = cli(&["diff", "v3", "v=1&vllm-version=0.33.0&max-model-len=65536"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("max-model-len"), "{}", stdout(&out));
}

fn wild(case: &str) -> String {
    format!("{}/../../../shared/wild/{case}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn render_gives_a_file_back_and_edit_changes_one_line() {
    let case = wild("07-hungnlp-v0.10.0.yml");
    let original = std::fs::read_to_string(&case).unwrap();
    let out = cli(&["render", &case]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), original, "render FILE is byte-identical");
    let out = cli(&["edit", &case, "--set", "max-model-len=12345"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let edited = stdout(&out);
    let changed: Vec<(&str, &str)> = original
        .lines()
        .zip(edited.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [("      --max-model-len 8096", "      --max-model-len 12345")]
    );
    assert_eq!(original.lines().count(), edited.lines().count());
    // Unset removes the words; a key that is not a flag or setting is refused (exit 2).
    let out = cli(&["edit", &case, "--unset", "pipeline-parallel-size"]);
    assert!(!stdout(&out).contains("--pipeline-parallel-size"));
    assert_eq!(stdout(&out).lines().count(), original.lines().count() - 1);
    assert_eq!(
        cli(&["edit", &case, "--set", "frobnicate=1"]).status.code(),
        Some(2)
    );
    assert_eq!(
        cli(&["edit", &case, "--set", "no-equals"]).status.code(),
        Some(2)
    );
}

#[test]
fn edit_refuses_a_shell_script_entrypoint_and_picks_services() {
    let out = cli(&[
        "edit",
        &wild("20-sebastian-v0.23.0.yml"),
        "--set",
        "max-model-len=1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("entrypoint") && err.contains("/bin/sh"),
        "{err}"
    );
    // A file with several vLLM services: --service picks one, an unknown name is refused.
    let case = wild("22-rocm-dual-qwen-v0.26.0.yml");
    let out = cli(&["import", &case, "--service", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no service `nope`"));
}

#[test]
fn a_docker_run_line_imports_as_a_service() {
    let out = cli(&["import", &wild("49-cmd-docker-run-v0.4.2.sh")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let q = stdout(&out);
    for part in [
        "vllm-version=0.4.2",
        "model=Qwen/Qwen2.5-1.5B-Instruct",
        "host-port=30005",
        "ipc=host",
    ] {
        assert!(q.contains(part), "{part} in {q}");
    }
    // The literal --api-key is refused by the check (secret-literal), as in a compose file.
    let out = cli(&["check", &wild("49-cmd-docker-run-v0.4.2.sh"), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == "secret-literal"));
}

#[test]
fn estimate_json_carries_the_band_confidence_and_runner() {
    // A class real startups cover (Qwen3-8B, vLLM 0.24.0, one H200): measured, V2 runner, its
    // CUDA graphs outside the budget; the band brackets the estimate.
    let q = "v=1&vllm-version=0.24.0&model=Qwen/Qwen3-8B&gpu=h200&gpu-count=1&max-model-len=32768";
    let out = cli(&["estimate", "--link", q, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["confidence"], "measured", "{v}");
    assert_eq!(v["accuracy_class"], "v1-0.20/v2/tp1/dense");
    assert_eq!(v["model_runner"], "v2");
    let (low, kv, high) = (
        v["kv_cache_gib_low"].as_f64().unwrap(),
        v["kv_cache_gib"].as_f64().unwrap(),
        v["kv_cache_gib_high"].as_f64().unwrap(),
    );
    assert!(low < kv && kv < high, "{low} {kv} {high}");
    assert!(v["graphs_outside_budget_gib"].as_f64().unwrap() > 0.0);
    assert!(v["peak_gib"].as_f64().unwrap() > v["usable_gib"].as_f64().unwrap());
    assert!(v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("on top of the")));
    // A sliding-window model: the longest request is a number, the tokens are what vLLM prints
    // (concurrency × max-model-len), far above KV bytes ÷ full-attention bytes per token.
    let q = "v=1&vllm-version=0.24.0&model=google/gemma-3-12b-it&gpu=h200&gpu-count=1&max-model-len=32768";
    let v: serde_json::Value =
        serde_json::from_slice(&cli(&["estimate", "--link", q, "--json"]).stdout).unwrap();
    let tokens = v["kv_tokens"].as_f64().unwrap();
    let conc = v["max_concurrency"].as_f64().unwrap();
    assert!((tokens - conc * 32768.0).abs() / tokens < 0.001, "{v}");
    assert!(v["longest_request"].as_u64().unwrap() > 32768);
    // TP 2 has no real startup of its class yet: said so.
    let q = "v=1&model=Qwen/Qwen3-8B&gpu=h200&gpu-count=2&tensor-parallel-size=2";
    let v: serde_json::Value =
        serde_json::from_slice(&cli(&["estimate", "--link", q, "--json"]).stdout).unwrap();
    assert_eq!(v["confidence"], "untested-class", "{v}");
}

/// `fit`: every configuration it lists, written into the file with `edit`, is one `estimate`
/// says starts with the goal met; the list is best first for the goal; exit 1 when none fits.
#[test]
fn fit_lists_only_configurations_that_start() {
    let reference = concat!(env!("CARGO_MANIFEST_DIR"), "/../../profiles/medium.yml");
    let dir = std::env::temp_dir().join(format!("fit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (gpu, count, context, concurrency) in [
        ("rtx-3090", "2", "32768", 4u64),
        ("h100-sxm", "1", "32768", 8),
        ("rtx-3090", "2", "", 1),
    ] {
        let mut args = vec!["fit", reference, "--gpu", gpu, "--gpu-count", count];
        if !context.is_empty() {
            args.extend(["--context", context]);
        }
        let c = concurrency.to_string();
        args.extend(["--concurrency", &c, "--json"]);
        let out = cli(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert!(doc["none_fits"].is_null());
        let list = doc["configurations"].as_array().unwrap();
        assert!(!list.is_empty());
        let mut lens = vec![];
        for conf in list {
            let mut edit = vec!["edit".to_string(), reference.to_string()];
            for (k, v) in conf["changes"].as_object().unwrap() {
                edit.push("--set".into());
                edit.push(format!("{k}={}", v.as_str().unwrap()));
            }
            let edit: Vec<&str> = edit.iter().map(String::as_str).collect();
            let edited = cli(&edit);
            assert_eq!(edited.status.code(), Some(0));
            let file = dir.join("edited.yml");
            std::fs::write(&file, stdout(&edited)).unwrap();
            let e = cli(&[
                "estimate",
                file.to_str().unwrap(),
                "--gpu",
                gpu,
                "--gpu-count",
                count,
                "--json",
            ]);
            let e: serde_json::Value = serde_json::from_str(&stdout(&e)).unwrap();
            assert_eq!(e["verdict"], "starts", "{conf}");
            assert!(
                e["max_concurrency"].as_f64().unwrap() >= concurrency as f64,
                "{conf}"
            );
            let len = conf["max_model_len"].as_u64().unwrap();
            assert_eq!(e["max_model_len"].as_u64(), Some(len));
            if !context.is_empty() {
                assert_eq!(len.to_string(), context);
            }
            assert!(!conf["why"].as_str().unwrap().is_empty());
            lens.push(len);
        }
        // Without a context the goal is the largest one: best first.
        if context.is_empty() {
            assert!(lens.windows(2).all(|w| w[0] >= w[1]), "{lens:?}");
        }
    }
    let none = cli(&[
        "fit",
        reference,
        "--gpu",
        "rtx-3090",
        "--gpu-count",
        "1",
        "--context",
        "40960",
        "--concurrency",
        "64",
        "--json",
    ]);
    assert_eq!(none.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&none)).unwrap();
    assert!(doc["configurations"].as_array().unwrap().is_empty());
    assert!(doc["none_fits"].as_str().unwrap().contains("64 requests"));
}
