use super::*;
use crate::compose::reference_profile;
use crate::models::find;
use crate::profile::ArgValue;

fn est(p: &Profile) -> Estimate {
    estimate(&Inputs::new(p, None)).expect("an estimate")
}

#[test]
fn kv_bytes_per_token_by_hand() {
    let m = find("Qwen/Qwen3-32B").unwrap();
    let mut p = Profile::default();
    p.set("tensor-parallel-size", ArgValue::word("2"));
    p.set("kv-cache-dtype", ArgValue::word("fp8"));
    // 64 layers × 2 × (8 / 2) heads × 128 × 1 byte = 64 KiB.
    assert_eq!(kv_bytes_per_token(m, &p), 65536);
    p.unset("kv-cache-dtype");
    assert_eq!(kv_bytes_per_token(m, &p), 131072);
    // TP 16 > 8 KV heads: one replicated head per rank.
    p.set("tensor-parallel-size", ArgValue::word("16"));
    assert_eq!(kv_bytes_per_token(m, &p), 64 * 2 * 128 * 2);
    p.set("pipeline-parallel-size", ArgValue::word("2"));
    assert_eq!(kv_bytes_per_token(m, &p), 32 * 2 * 128 * 2);
}

#[test]
fn weights_by_hand() {
    let gib = (1u64 << 30) as f64;
    // Llama 3.1 8B in bf16: 8,030,261,248 parameters (pytest fixture in models.json) × 2 bytes,
    // and the rotary table vLLM builds: 131,072 positions × 128 dims × 2 bytes.
    let llama = find("meta-llama/Llama-3.1-8B-Instruct").unwrap();
    let w = weight_bytes_per_gpu(llama, &Profile::default());
    let expected = 8_030_261_248.0 * 2.0 + 131_072.0 * 128.0 * 2.0;
    assert!((w - expected).abs() / w < 0.001, "{}", w / gib);
    // Qwen3-32B-AWQ at TP 2: 4-bit linear layers + per-128 group fp16 scale and 4-bit zero.
    let mut p = reference_profile();
    p.unset("rope-scaling");
    let awq = weight_bytes_per_gpu(find("Qwen/Qwen3-32B-AWQ").unwrap(), &p) / gib;
    assert!((awq - 9.0).abs() < 0.05, "{awq}");
}

#[test]
fn the_reference_profile_on_two_3090s() {
    let p = reference_profile();
    let e = est(&p);
    assert!((e.weights_gib - 9.0).abs() < 0.05);
    assert_eq!(e.kv_bytes_per_token, 65536);
    assert_eq!(e.kv_tokens % 16, 0, "whole blocks");
    assert_eq!(e.max_model_len, 131072);
    assert!(e.fits && e.max_concurrency > 1.0, "{e:?}");
    // The budget adds up: usable = weights + activation + non-torch + KV (graphs subtracted ≥ 0.20).
    let sum =
        e.weights_gib + e.activation_gib + e.non_torch_gib + e.cuda_graph_gib + e.kv_cache_gib;
    assert!((sum - e.usable_gib).abs() < 1e-9);
}

#[test]
fn verdicts_and_overrides() {
    let mut p = reference_profile();
    p.set("gpu-memory-utilization", ArgValue::word("0.5"));
    let e = est(&p);
    assert!(
        matches!(e.verdict, Verdict::KvTooSmall { needed: 131072, .. }),
        "{e:?}"
    );
    assert!(e.verdict.describe().contains("more"));
    p.set("tensor-parallel-size", ArgValue::word("1"));
    p.set("gpu-memory-utilization", ArgValue::word("0.3"));
    assert!(matches!(
        est(&p).verdict,
        Verdict::OutOfMemoryWeights { .. }
    ));
    let mut p = reference_profile();
    p.set("kv-cache-memory-bytes", ArgValue::word("1G"));
    assert!((est(&p).kv_cache_gib - 1.0).abs() < 1e-9);
    p.set("num-gpu-blocks-override", ArgValue::word("100"));
    assert_eq!(est(&p).kv_tokens, 1600);
    p.set("enforce-eager", ArgValue::Switch(true));
    assert_eq!(est(&p).cuda_graph_gib, 0.0);
}

#[test]
fn smallest_tp_and_largest_length() {
    let mut p = reference_profile();
    p.hardware.gpu_count = 4;
    p.compose.devices = crate::profile::GpuDevices::Count(4);
    assert_eq!(smallest_fitting_tp(&Inputs::new(&p, None)), Some(2));
    p.hardware.gpu = "a100-80gb-sxm".into();
    assert_eq!(smallest_fitting_tp(&Inputs::new(&p, None)), Some(1));
    let e = est(&p);
    assert_eq!(largest_fitting_len(&e, 131072), 131072);
    assert_eq!(largest_fitting_len(&e, 40960), 40960);
}

#[test]
fn unknown_model_or_gpu_gives_no_estimate() {
    let p = Profile {
        model: "nobody/nothing".into(),
        ..Profile::default()
    };
    assert!(estimate(&Inputs::new(&p, None)).is_none());
    let mut p = reference_profile();
    p.hardware.gpu = "custom".into();
    assert!(estimate(&Inputs::new(&p, None)).is_none());
    p.hardware.gpu_memory_gib = Some(32.0);
    assert!(estimate(&Inputs::new(&p, None)).is_some());
}

#[test]
fn an_unset_utilization_takes_the_selected_releases_default() {
    // Before 0.20.0 vLLM reserved 0.90 of the card, from 0.20.0 on 0.92 (defaults.rs).
    let mut p = reference_profile();
    p.unset("gpu-memory-utilization");
    for (release, gmu) in [
        ("0.11.0", 0.90),
        ("0.19.1", 0.90),
        ("0.20.0", 0.92),
        ("0.33.0", 0.92),
    ] {
        p.vllm_version = Version::known(release);
        let e = est(&p);
        let expected = e.total_gib * gmu; // total_gib is already net of the CUDA context
        assert!(
            (e.usable_gib - expected).abs() < 1e-9,
            "{release}: {} vs {expected}",
            e.usable_gib
        );
    }
}

#[test]
fn v0_profiles_one_chunk_for_long_contexts() {
    // vLLM 0.6.4 enables chunked prefill for contexts over 32K and profiles a 512-token chunk
    // (not a 131,072-token forward pass); 0.6.6 profiles 2048; 8192 tokens stay one prompt.
    let mut p = Profile {
        vllm_version: Version::new(0, 6, 4),
        model: "meta-llama/Llama-3.1-8B-Instruct".into(),
        ..Profile::default()
    };
    p.hardware.gpu = "h100-80gb-sxm".into();
    p.set("max-model-len", ArgValue::word("131072"));
    assert_eq!(est(&p).profile_tokens, 512);
    p.vllm_version = Version::new(0, 6, 6);
    assert_eq!(est(&p).profile_tokens, 2048);
    p.set("enable-chunked-prefill", ArgValue::Switch(false));
    assert_eq!(est(&p).profile_tokens, 131072);
    p.unset("enable-chunked-prefill");
    p.set("max-model-len", ArgValue::word("8192"));
    assert_eq!(est(&p).profile_tokens, 8192);
}

#[test]
fn builds_between_sampled_releases_are_sized_with_their_release_line() {
    // 0.28.1 and 0.4.1 are not sampled by the reference; each is sized with the rules of the
    // release it was cut from (runner facts of 0.28.0, the V0 era of 0.4).
    for (release, runner) in [
        (Version::parse("0.28.1").unwrap(), Runner::V1),
        (Version::parse("0.4.1").unwrap(), Runner::V1),
        (Version::parse("0.24.1").unwrap(), Runner::V2),
    ] {
        let mut p = Profile {
            vllm_version: release,
            model: "Qwen/Qwen3-8B".into(),
            ..Profile::default()
        };
        p.hardware.gpu = "h200".into();
        p.set("max-model-len", ArgValue::word("8192"));
        let e = est(&p);
        assert!(e.fits && e.kv_cache_gib > 50.0, "{release}: {e:?}");
        assert_eq!(e.runner, runner, "{release}");
    }
}

#[test]
fn degenerate_pasted_configs_give_an_estimate_not_a_crash() {
    // Zeros where a divisor or a kernel size is read: a head_dim of 0 (hidden < heads), a conv
    // kernel of 0, a latent of 0.
    let configs = [
        r#"{"num_hidden_layers":2,"hidden_size":1,"num_attention_heads":8,"vocab_size":10}"#,
        r#"{"num_hidden_layers":4,"hidden_size":64,"num_attention_heads":4,"vocab_size":10,
            "linear_num_value_heads":4,"linear_num_key_heads":0,"linear_key_head_dim":0,
            "linear_value_head_dim":0,"linear_conv_kernel_dim":0,"full_attention_interval":4}"#,
        r#"{"num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,"vocab_size":10,
            "kv_lora_rank":0,"qk_rope_head_dim":0}"#,
    ];
    for text in configs {
        let m = crate::models::from_config_json("x", text).unwrap();
        let mut p = Profile::default();
        p.hardware.gpu = "h100-80gb-sxm".into();
        p.set("max-model-len", ArgValue::word("4096"));
        let e = estimate(&Inputs {
            model: Some(&m),
            ..Inputs::new(&p, None)
        });
        assert!(e.is_some(), "{text}");
    }
}

#[test]
fn pipeline_stages_split_the_layers_as_vllm_does() {
    // get_pp_indices: L // PP each, the remainder to the stages before the last.
    assert_eq!(pp_partition(62, 4), [15, 16, 16, 15]);
    assert_eq!(pp_partition(61, 2), [31, 30]);
    assert_eq!(pp_partition(80, 2), [40, 40]);
    assert_eq!(pp_partition(95, 4), [24, 24, 24, 23]);
    assert_eq!(pp_partition(7, 1), [7]);
    // Untied 80-layer model at PP 2: the first stage holds the embedding, the last the head and
    // the final norm; the estimate follows the stage with the fewest KV blocks.
    let m = find("meta-llama/Llama-3.3-70B-Instruct").unwrap();
    let mut p = Profile {
        model: m.id.clone(),
        ..Profile::default()
    };
    p.hardware.gpu = "h100-80gb-sxm".into();
    p.hardware.gpu_count = 8;
    p.set("tensor-parallel-size", ArgValue::word("4"));
    p.set("pipeline-parallel-size", ArgValue::word("2"));
    p.set("max-model-len", ArgValue::word("32768"));
    let first = weight_bytes_of_stage(m, &p, 0);
    let last = weight_bytes_of_stage(m, &p, 1);
    assert!(
        last > first && last - first < 8192.0 * 4.0,
        "{first} {last}"
    );
    let e = est(&p);
    assert!(
        (e.weights_gib - last / (1u64 << 30) as f64).abs() < 1e-9,
        "the last stage binds"
    );
    // 40 layers × 2 × (8 / 4) KV heads × 128 × 2 bytes per token on each stage.
    assert_eq!(e.kv_bytes_per_token, 40 * 2 * 2 * 128 * 2);
}
