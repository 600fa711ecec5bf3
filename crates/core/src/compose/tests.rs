use super::*;
use crate::profile::{ArgValue, GpuDevices, Healthcheck};

#[test]
fn imports_the_seed_verbatim_without_losing_a_flag() {
    let imported = import_compose(SEED_MEDIUM_YML, &Profile::default()).unwrap();
    let p = &imported.profile;
    assert_eq!(p.model, "Qwen/Qwen3-32B-AWQ");
    let names: Vec<&str> = p.args.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "max-model-len",
            "tensor-parallel-size",
            "gpu-memory-utilization",
            "quantization",
            "kv-cache-dtype",
            "dtype",
            "enable-auto-tool-choice",
            "tool-call-parser",
            "reasoning-parser",
            "distributed-executor-backend",
            "rope-scaling",
            "swap-space",
            "port"
        ]
    );
    assert_eq!(
        p.text("rope-scaling").unwrap(),
        r#"{"rope_type":"yarn","factor":4.0,"original_max_position_embeddings":32768}"#
    );
    assert_eq!(p.compose.service, "vllm-medium-qwen3");
    assert_eq!(p.compose.tag, "latest");
    assert_eq!(p.compose.host_port, "${VLLM_PORT_MEDIUM:-5002}");
    assert_eq!(
        p.compose.devices,
        GpuDevices::Ids(vec!["${CUDA_VISIBLE_DEVICES_MEDIUM}".into()])
    );
    assert_eq!(p.compose.healthcheck.as_ref().unwrap().start_period, "300s");
    assert!(p.compose.hf_token);
    let notes = imported.notes.join("\n");
    assert!(notes.contains("Found 12 `#` note(s)"), "{notes}");
    assert_eq!(
        imported.profile.stray.len(),
        54,
        "the notes' words are kept and flagged"
    );
    assert!(notes.contains("`--rope-scaling` only exists in older vLLM releases"));
    assert!(notes.contains("`--swap-space`"));
}

#[test]
fn export_then_import_gives_the_same_profile() {
    let p = reference_profile();
    let yaml = to_yaml(&p);
    assert!(yaml.contains("      --kv-cache-dtype fp8\n"), "{yaml}");
    assert!(yaml.contains(r#"      --rope-scaling '{"rope_type":"yarn","factor":4.0,"original_max_position_embeddings":32768}'"#));
    assert!(!yaml.contains('#'), "no notes survive into the export");
    let back = import_compose(&yaml, &p).unwrap();
    assert_eq!(with_hardware_of(back.profile.clone(), &p), p);
    // A compose file names no GPU model: the import asks for it instead of carrying one over.
    assert_eq!(back.profile.hardware.gpu, crate::gpu::UNSTATED_GPU);
    assert_eq!(
        back.profile.hardware.gpu_count, 2,
        "TP 2 with a variable device list"
    );
    assert!(back.notes.iter().all(|n| !n.contains("Dropped")));
}

#[test]
fn odd_values_survive_the_round_trip() {
    let mut p = reference_profile();
    p.set(
        "chat-template",
        ArgValue::word("{% for m in messages %}\n{{ m }}{% endfor %}"),
    );
    p.set(
        "served-model-name",
        ArgValue::Words(vec!["a b".into(), "it's".into()]),
    );
    p.compose.container_name = "yes".into();
    p.compose.healthcheck = Some(Healthcheck {
        test: vec![
            "CMD-SHELL".into(),
            "curl -f http://localhost:5002/health || exit 1".into(),
        ],
        interval: "1m30s".into(),
        timeout: "10s".into(),
        retries: 0,
        start_period: String::new(),
    });
    let yaml = to_yaml(&p);
    assert!(
        yaml.contains("    command:\n      - \"--model\""),
        "list form for newlines"
    );
    assert_eq!(
        with_hardware_of(import_compose(&yaml, &p).unwrap().profile, &p),
        p
    );
}

#[test]
fn a_yaml_error_is_located() {
    let e = import_compose("services:\n  a:\n    image: [x\n", &Profile::default()).unwrap_err();
    let (line, _col) = e.location.expect("located");
    assert!(line >= 3, "{e}");
    let e = import_compose("just: text\n", &Profile::default()).unwrap_err();
    assert!(e.message.contains("services"));
    let e = import_compose(
        "services:\n  a:\n    command: \"--x 'open\"\n",
        &Profile::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("services.a.command"), "{e}");
}

#[test]
fn list_commands_equals_spellings_and_tags() {
    let yaml = "services:\n  v:\n    image: \
        vllm/vllm-openai:v0.11.0\n    command: [\"--model\", \"m\", \"--max_model_len=4096\", \"--enforce-eager\"]\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n              count: 4\n              capabilities: [gpu]\n";
    let p = import_compose(yaml, &Profile::default()).unwrap().profile;
    assert_eq!(p.vllm_version.to_string(), "0.11.0");
    assert_eq!(p.text("max-model-len").as_deref(), Some("4096"));
    assert_eq!(p.get("enforce-eager"), Some(&ArgValue::Switch(true)));
    assert_eq!(p.hardware.gpu_count, 4);
    assert_eq!(p.compose.devices, GpuDevices::Count(4));
}

#[test]
fn env_file_lists_the_variables_without_secrets() {
    let env = to_env(&reference_profile());
    assert!(env.contains("CUDA_VISIBLE_DEVICES_MEDIUM=0,1\n"), "{env}");
    assert!(env.contains("VLLM_PORT_MEDIUM=5002\n"));
    assert!(env.contains("# HF_TOKEN="));
    assert_eq!(
        env_references("${A:-1} ${B} ${A}"),
        [("A".into(), Some("1".into())), ("B".into(), None)]
    );
}

#[test]
fn command_is_one_flag_per_line() {
    let cmd = to_command(&reference_profile());
    assert!(
        cmd.starts_with(
            "vllm serve \\\n  --model \
                Qwen/Qwen3-32B-AWQ \\\n  --max-model-len 131072 \\\n"
        ),
        "{cmd}"
    );
    assert!(cmd.ends_with("--port 5002\n"));
}

#[test]
fn compose_checks_catch_what_compose_refuses() {
    assert!(is_duration("30s") && is_duration("1m30s") && is_duration("300ms"));
    assert!(!is_duration("30") && !is_duration("s") && !is_duration("5 min"));
    assert!(is_size("16gb") && is_size("512m") && is_size("1024") && !is_size("lots"));
    let mut p = reference_profile();
    assert!(
        compose_problems(&p).is_empty(),
        "{:?}",
        compose_problems(&p)
    );
    p.compose.service = "bad name".into();
    p.compose.devices = GpuDevices::Ids(vec!["0".into(), "0".into()]);
    let fields: Vec<&str> = compose_problems(&p).iter().map(|(f, _)| *f).collect();
    assert_eq!(fields, ["service", "devices"]);
}

#[test]
fn dollars_stay_literal_unless_they_name_a_variable() {
    assert_eq!(escape_dollars("a$1 ${KEY} $HOME $"), "a$$1 ${KEY} $HOME $$");
    // Characters of several bytes around a `$` are copied whole.
    assert_eq!(escape_dollars("é$€ ¥$_x $"), "é$$€ ¥$_x $$");
    assert_eq!(escape_dollars("no dollar"), "no dollar");
    assert_eq!(unescape_dollars(&escape_dollars("x$$y$")), "x$$y$");
    let mut p = reference_profile();
    p.set("api-key", ArgValue::word("${VLLM_API_KEY}"));
    p.set("chat-template", ArgValue::word("cost: 5$"));
    let yaml = to_yaml(&p);
    assert!(
        // A whole-variable word is written bare, as files write it (Compose splits what it
        // expands to); other `$` are escaped.
        yaml.contains("--api-key ${VLLM_API_KEY}") && yaml.contains("'cost: 5$$'"),
        "{yaml}"
    );
    assert_eq!(
        with_hardware_of(import_compose(&yaml, &p).unwrap().profile, &p),
        p
    );
}

#[test]
fn merge_keys_bring_in_shared_settings() {
    let yaml = r#"
x-gpu: &gpu
  deploy:
    resources:
      reservations:
        devices:
          - driver: nvidia
            count: 2
            capabilities: [gpu]
  ipc: host
services:
  vllm:
    <<: *gpu
    image: vllm/vllm-openai:v0.33.0
    ipc: private
    command: ["--model", "Qwen/Qwen3-8B"]
"#;
    let p = import_compose(yaml, &Profile::default()).unwrap().profile;
    assert_eq!(p.compose.devices, GpuDevices::Count(2));
    assert!(
        !p.compose.ipc_host,
        "the service's own key wins over the merged one"
    );
    assert_eq!(p.model, "Qwen/Qwen3-8B");
}

#[test]
fn one_duration_parser_for_checks_and_rules() {
    assert_eq!(duration_secs("1m30s"), Some(90.0));
    assert_eq!(duration_secs("300ms"), Some(0.3));
    assert_eq!(duration_secs("1.5h"), Some(5400.0));
    assert_eq!(duration_secs("2us"), Some(2e-6));
    for bad in ["", "5", "5x", "s", "1m30", "-1s", "1 s"] {
        assert_eq!(duration_secs(bad), None, "{bad}");
        assert!(!is_duration(bad), "{bad}");
    }
}

#[test]
fn named_hf_volumes_are_declared_and_rocm_images_get_no_nvidia_reservation() {
    let mut p = reference_profile();
    p.compose.hf_cache = "hf-cache".into();
    let y = to_yaml(&p);
    assert!(y.ends_with("\"volumes\": {\"hf-cache\":{}}\n"), "{y}");
    p.compose.hf_cache = "./hf".into();
    assert!(!to_yaml(&p).contains("\n\"volumes\":"));
    p.compose.image = "rocm/vllm".into();
    assert!(!to_yaml(&p).contains("driver: \"nvidia\""));
}

/// `p` with the hardware of `like` (the compose file does not carry the GPU model).
fn with_hardware_of(mut p: Profile, like: &Profile) -> Profile {
    p.hardware = like.hardware.clone();
    p
}
