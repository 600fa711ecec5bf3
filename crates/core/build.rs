//! Turns the reference data in `data/` into compact embedded forms.
//!
//! `data/vllm-serve-args-0.33.0.json` is a verbatim copy of `shared/reference` (the real 0.33.0
//! parser, introspected); the app only needs a subset of its fields, so the build writes a trimmed
//! JSON next to the crate's output and the catalog includes that. The release list comes from
//! the `sampled:` comment of `data/vllm-flag-history.md`, so there is one source for each fact.
use serde_json::{json, Map, Value};
use std::{env, fs, path::PathBuf};

#[path = "src/python_json.rs"]
mod python_json;
#[path = "src/records.rs"]
#[allow(dead_code)] // the readers are the app's
mod records;

/// Config keys no reader of the catalog looks at (token ids, loader plumbing, training knobs):
/// left out of the embedded copy to keep the app small. The files in data/ stay verbatim.
const UNREAD_CONFIG_KEYS: &[&str] = &[
    "auto_map",
    "bos_token_id",
    "eos_token_id",
    "pad_token_id",
    "image_token_id",
    "video_token_id",
    "vision_start_token_id",
    "vision_end_token_id",
    "transformers_version",
    "initializer_range",
    "use_cache",
    "attention_dropout",
    "router_aux_loss_coef",
    "_name_or_path",
];

fn without_unread_keys(v: &mut Value) {
    if let Some(o) = v.as_object_mut() {
        for k in UNREAD_CONFIG_KEYS {
            o.remove(*k);
        }
        o.values_mut().for_each(without_unread_keys);
    }
}

/// The catalog as the app reads it: plain records (`src/records.rs`) instead of JSON, so
/// start-up splits strings instead of building a JSON tree and copying out of it. A flag: `F`,
/// name, type, default (JSON text), aliases, choices, suggested values, group, deprecated
/// (`1`/empty), deprecation note, since, description. A removed flag: `R`, name, since, last
/// seen, removed. The first record is the release. Only the fields the app reads; `note` (how
/// the parser treats a value) is not shown.
fn catalog_records(raw: &Value) -> String {
    let text = |v: &Value| -> String {
        match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    };
    let list = |v: &Value| -> String {
        let items: Vec<String> = v
            .as_array()
            .map(|a| a.iter().map(text).collect())
            .unwrap_or_default();
        records::list(&items)
    };
    let mut out = String::new();
    records::push(&mut out, &[&text(&raw["vllm_version"])]);
    for a in raw["args"].as_array().expect("args") {
        // The positional model argument is the profile's `model`, not a flag.
        if !a["name"].as_str().is_some_and(|n| n.starts_with("--")) {
            continue;
        }
        let default = a.get("default").cloned().unwrap_or(Value::Null).to_string();
        let deprecated = if a["deprecated"].as_bool() == Some(true) {
            "1"
        } else {
            ""
        };
        records::push(
            &mut out,
            &[
                "F",
                &text(&a["name"]),
                &text(&a["type"]),
                &default,
                &list(&a["aliases"]),
                &list(&a["choices"]),
                &list(&a["suggested_values"]),
                &text(&a["group"]),
                deprecated,
                &text(&a["deprecation_note"]),
                &text(&a["since"]),
                &text(&a["description"]),
            ],
        );
    }
    for a in raw["removed_args"].as_array().expect("removed_args") {
        records::push(
            &mut out,
            &[
                "R",
                &text(&a["name"]),
                &text(&a["since"]),
                &text(&a["last_seen"]),
                &text(&a["removed"]),
            ],
        );
    }
    out
}

fn main() {
    println!("cargo:rerun-if-changed=data/vllm-serve-args-0.33.0.json");
    println!("cargo:rerun-if-changed=data/vllm-flag-history.md");
    println!("cargo:rerun-if-changed=data/models.json");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    // The facts generated from vLLM's packages ship minified (their sources stay in data/).
    for name in [
        "vllm-envs.json",
        "vllm-config-keys-0.33.0.json",
        "vllm-model-runner.json",
    ] {
        println!("cargo:rerun-if-changed=data/{name}");
        let v: Value = serde_json::from_str(
            &fs::read_to_string(format!("data/{name}")).expect("a generated data file"),
        )
        .expect("valid JSON");
        fs::write(out.join(name), v.to_string()).expect("OUT_DIR is writable");
    }

    let raw: Value = serde_json::from_str(
        &fs::read_to_string("data/vllm-serve-args-0.33.0.json").expect("catalog data"),
    )
    .expect("catalog JSON");
    fs::write(out.join("catalog.txt"), catalog_records(&raw)).unwrap();

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

    // The registry's tables as data: the "values by release" tables and the argparse
    // enforcement table, parsed here once so the app never reads Markdown.
    let tables = history_tables(&history);
    fs::write(
        out.join("history.json"),
        serde_json::to_string(&tables).unwrap(),
    )
    .unwrap();

    // The newest release is the catalog's own (`vllm_version`), as a Rust constant.
    let latest = raw["vllm_version"].as_str().expect("catalog vllm_version");
    let nums: Vec<u16> = latest
        .split('.')
        .map(|n| n.parse().expect("a plain release"))
        .collect();
    assert_eq!(nums.len(), 3, "the catalog release is a.b.c: {latest}");
    fs::write(
        out.join("latest.rs"),
        format!("Version::new({}, {}, {})", nums[0], nums[1], nums[2]),
    )
    .unwrap();

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
    // Published config.json texts (data/model-configs, sources in its SOURCES.json) join the
    // catalog whole: the estimator reads layer types, latent attention and quantization from them.
    println!("cargo:rerun-if-changed=data/model-configs");
    let sources: Value = serde_json::from_str(
        &fs::read_to_string("data/model-configs/SOURCES.json").expect("model-configs/SOURCES.json"),
    )
    .expect("SOURCES.json is JSON");
    for (id, entry) in sources["models"].as_object().expect("SOURCES.json models") {
        let file = entry["file"].as_str().expect("each model names its file");
        let text = fs::read_to_string(format!("data/model-configs/{file}")).expect("a config file");
        let mut config: Value = serde_json::from_str(&python_json::strict_json(&text))
            .unwrap_or_else(|e| panic!("model-configs/{file} is not JSON: {e}"));
        without_unread_keys(&mut config);
        m.insert(id.clone(), config);
    }
    // One record per catalog key (`key`, `config JSON`; `src/records.rs`), then the AWQ
    // checkpoint's own fields under `+Qwen/Qwen3-32B-AWQ` (an overlay on Qwen3-32B): the app
    // reads only the record of the model it sizes (models.rs).
    let mut table = String::new();
    let awq = slim(&models["Qwen/Qwen3-32B-AWQ"]);
    for (key, v) in m.iter().chain([(&"+Qwen/Qwen3-32B-AWQ".to_string(), &awq)]) {
        records::push(&mut table, &[key, &serde_json::to_string(v).unwrap()]);
    }
    fs::write(out.join("models.txt"), table).unwrap();
}

fn names(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `{"values": {flag: [{release, added, removed}]}, "enforced": {flag: {from, to}}}`.
/// A release cell `0.4.1–0.4.3 (note)` becomes `0.4.1..0.4.3`; an enforcement range `≤0.32.0`,
/// `0.8.0–0.11.0` or `always` becomes `from`/`to` (null: unbounded). Anything else stops the build.
fn history_tables(history: &str) -> Value {
    let mut values = Map::new();
    let mut enforced = Map::new();
    let mut current: Option<String> = None;
    for line in history.lines() {
        if let Some(rest) = line.strip_prefix("### `--") {
            current = rest
                .split('`')
                .next()
                .filter(|_| rest.contains("values by release"))
                .map(str::to_string);
            if let Some(flag) = &current {
                values.insert(flag.clone(), json!([]));
            }
            continue;
        }
        if line.starts_with("## ") {
            current = None;
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() != 5
            || ["release", "---", "flag"]
                .iter()
                .any(|h| cells[1].starts_with(h))
        {
            continue;
        }
        if let Some(flag) = cells[1]
            .strip_prefix("`--")
            .and_then(|c| c.strip_suffix('`'))
        {
            let range = cells[2];
            let (from, to) = if range == "always" {
                (Value::Null, Value::Null)
            } else if let Some(upper) = range.strip_prefix('≤') {
                (Value::Null, json!(upper))
            } else if let Some((a, b)) = range.split_once('–') {
                (json!(a), json!(b))
            } else {
                panic!("enforcement range `{range}` of --{flag} is not ≤x, a–b or always");
            };
            enforced.insert(flag.to_string(), json!({ "from": from, "to": to }));
            continue;
        }
        if let Some(flag) = &current {
            let release = cells[1]
                .split(" (")
                .next()
                .unwrap()
                .trim()
                .replace('–', "..");
            let plain = release.trim_start_matches("<=");
            assert!(
                plain.starts_with(|c: char| c.is_ascii_digit()),
                "release cell `{}` of the --{flag} table is not a release",
                cells[1]
            );
            values[flag].as_array_mut().unwrap().push(json!({
                "release": release,
                "added": names(cells[2]),
                "removed": names(cells[3]),
            }));
        }
    }
    // Notes that state an earlier list than a table starts with ("`--quantization` in
    // 0.4.0.post1 accepted only `awq, gptq, squeezellm`"): a first row of that table.
    for line in history.lines().filter(|l| l.contains(" accepted only `")) {
        let flag = line.split("`--").nth(1).and_then(|r| r.split('`').next());
        let release = line.split("` in ").nth(1).and_then(|r| r.split(' ').next());
        let listed = line
            .split(" accepted only `")
            .nth(1)
            .and_then(|r| r.split('`').next());
        if let (Some(flag), Some(release), Some(listed)) = (flag, release, listed) {
            let rows = values.get_mut(flag).and_then(Value::as_array_mut);
            let rows = rows.unwrap_or_else(|| panic!("a note names --{flag}, which has no table"));
            let row = json!({ "release": release, "added": names(listed), "removed": [] });
            rows.insert(0, row);
        }
    }
    assert!(
        !values.is_empty() && !enforced.is_empty(),
        "history tables not found"
    );
    json!({ "values": values, "enforced": enforced })
}
