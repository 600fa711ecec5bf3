//! Turns the reference data in `data/` into compact embedded forms.
//!
//! `data/vllm-serve-args-0.33.0.json` is a verbatim copy of `shared/reference` (the real 0.33.0
//! parser, introspected); the app only needs a subset of its fields, so the build writes a trimmed
//! JSON next to the crate's output and the catalog includes that. The release list comes from
//! the `sampled:` comment of `data/vllm-flag-history.md`, so there is one source for each fact.
use serde_json::{json, Map, Value};
use std::{env, fs, path::PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=data/vllm-serve-args-0.33.0.json");
    println!("cargo:rerun-if-changed=data/vllm-flag-history.md");
    println!("cargo:rerun-if-changed=data/models.json");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());

    let raw: Value = serde_json::from_str(
        &fs::read_to_string("data/vllm-serve-args-0.33.0.json").expect("catalog data"),
    )
    .expect("catalog JSON");
    let trim = |a: &Value, removed: bool| -> Value {
        let mut o = Map::new();
        for key in [
            // `note` (how the parser treats the value) is not shown by the app: left out to save bytes.
            "name",
            "aliases",
            "type",
            "default",
            "choices",
            "suggested_values",
            "group",
            "deprecated",
            "deprecation_note",
            "since",
            "removed",
            "description",
            "last_seen",
        ] {
            let v = a.get(key).cloned().unwrap_or(Value::Null);
            let empty = v.is_null() || v == json!([]) || v == json!(false);
            if !empty || (key == "default" && !removed && a.get("default").is_some()) {
                o.insert(key.to_string(), v);
            }
        }
        Value::Object(o)
    };
    let args: Vec<Value> = raw["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| trim(a, false))
        .collect();
    let removed: Vec<Value> = raw["removed_args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| trim(a, true))
        .collect();
    let compact = json!({ "version": raw["vllm_version"], "args": args, "removed": removed });
    fs::write(
        out.join("catalog.json"),
        serde_json::to_string(&compact).unwrap(),
    )
    .unwrap();

    let history = fs::read_to_string("data/vllm-flag-history.md").expect("flag history");
    let sampled = history
        .lines()
        .find_map(|l| l.trim().strip_prefix("<!-- sampled:"))
        .expect("sampled releases comment")
        .trim_end_matches("-->")
        .split(',')
        .map(|s| s.trim().to_string())
        .collect::<Vec<_>>();
    fs::write(out.join("releases.txt"), sampled.join("\n")).unwrap();

    // The registry only reads the "values by release" tables and the enforcement table.
    let tables: Vec<&str> = history
        .lines()
        .filter(|l| {
            l.starts_with("### `--")
                || l.starts_with("## ")
                || (l.starts_with("| ") && l.matches('|').count() == 4)
        })
        .collect();
    fs::write(out.join("history-tables.md"), tables.join("\n")).unwrap();

    // Models: the architecture fields only (sources stay in data/models.json).
    let models: Value =
        serde_json::from_str(&fs::read_to_string("data/models.json").expect("models"))
            .expect("models JSON");
    let keep = [
        "architecture",
        "num_hidden_layers",
        "hidden_size",
        "num_attention_heads",
        "num_key_value_heads",
        "head_dim",
        "intermediate_size",
        "moe_intermediate_size",
        "num_experts",
        "vocab_size",
        "max_position_embeddings",
        "tie_word_embeddings",
        "torch_dtype",
        "rope_theta",
        "rope_scaling",
        "attention_bias",
        "quant_method",
        "bits",
        "group_size",
        "quantization_config",
    ];
    let slim = |v: &Value| -> Value {
        Value::Object(
            v.as_object()
                .map(|o| {
                    o.iter()
                        .filter(|(k, x)| keep.contains(&k.as_str()) && !x.is_null())
                        .map(|(k, x)| (k.clone(), x.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        )
    };
    let mut m = Map::new();
    for (k, v) in models["models"].as_object().expect("models object") {
        m.insert(k.clone(), slim(v));
    }
    let compact = json!({ "models": m, "Qwen/Qwen3-32B-AWQ": slim(&models["Qwen/Qwen3-32B-AWQ"]) });
    fs::write(
        out.join("models.json"),
        serde_json::to_string(&compact).unwrap(),
    )
    .unwrap();
}
