//! The model catalog against the published config.json files it is read from: every listed file
//! becomes a catalogued model, the catalog covers at least 60 models, and every model's KV bytes
//! per token equal what its published config says, computed here from the raw fields without
//! the catalog's reader.
use serde_json::Value;
use std::path::Path;
use studio_core::models;

fn data() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn u(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// KV bytes per token of the whole model in a 16-bit cache, straight from a config.json: the
/// layers that attend (all of them, or those `layer_types` / Nemotron-H's `*` / Qwen's
/// `full_attention_interval` name), times K and V per KV head, or MLA's one latent.
fn published_kv_bytes_per_token(config: &Value) -> u64 {
    let c = config
        .get("text_config")
        .filter(|t| {
            t.get("num_hidden_layers").is_some() && config.get("num_hidden_layers").is_none()
        })
        .unwrap_or(config);
    let layers = u(c, "num_hidden_layers").unwrap();
    let attending = if let Some(types) = c.get("layer_types").and_then(Value::as_array) {
        types
            .iter()
            .filter(|t| matches!(t.as_str(), Some("full_attention" | "sliding_attention")))
            .count() as u64
    } else if let Some(p) = c.get("hybrid_override_pattern").and_then(Value::as_str) {
        p.matches('*').count() as u64
    } else if let Some(every) =
        u(c, "full_attention_interval").filter(|_| c.get("linear_num_value_heads").is_some())
    {
        layers / every
    } else {
        layers
    };
    if let Some(rank) = u(c, "kv_lora_rank") {
        return attending * (rank + u(c, "qk_rope_head_dim").unwrap()) * 2;
    }
    let heads = u(c, "num_attention_heads").unwrap();
    let kv_heads = u(c, "num_key_value_heads").unwrap_or(heads);
    let head_dim = u(c, "head_dim")
        .or_else(|| u(c, "attention_head_dim"))
        .unwrap_or(u(c, "hidden_size").unwrap() / heads);
    attending * 2 * kv_heads * head_dim * 2
}

fn catalog_kv_bytes_per_token(m: &models::ModelArch) -> u64 {
    m.attention_layers() as u64 * m.kv_bytes_per_layer_token(1, 2)
}

#[test]
fn every_published_config_is_catalogued_with_its_kv_bytes_per_token() {
    let dir = data().join("model-configs");
    let sources: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("SOURCES.json")).unwrap()).unwrap();
    let mut checked = 0;
    for (id, entry) in sources["models"].as_object().unwrap() {
        let file = entry["file"].as_str().unwrap();
        let config: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        let m = models::find(id).unwrap_or_else(|| panic!("{id} ({file}) is not catalogued"));
        assert!(m.source.contains("model-configs"), "{id}: {}", m.source);
        assert_eq!(
            catalog_kv_bytes_per_token(m),
            published_kv_bytes_per_token(&config),
            "{id}: KV bytes per token"
        );
        checked += 1;
    }
    assert!(checked >= 35, "{checked} published configs");
}

/// The shared reference states each model's KV bytes per token (all GPUs, 16-bit); the catalog
/// must agree with it for every model it read from there.
#[test]
fn reference_models_agree_with_their_stated_kv_bytes_per_token() {
    let reference: Value =
        serde_json::from_str(&std::fs::read_to_string(data().join("models.json")).unwrap())
            .unwrap();
    let mut checked = 0;
    for (key, v) in reference["models"].as_object().unwrap() {
        let Some(stated) = u(v, "kv_bytes_per_token_fp16_all_gpus") else {
            continue;
        };
        let id = key.split(" (").next().unwrap().replace("(-Instruct)", "");
        let m = models::find(&id).unwrap_or_else(|| panic!("{id} is not catalogued"));
        assert_eq!(catalog_kv_bytes_per_token(m), stated, "{id}");
        checked += 1;
    }
    assert!(checked >= 20, "{checked} reference models");
}

/// The bar: at least 60 models people serve, each with a source.
#[test]
fn the_catalog_covers_sixty_models_each_with_a_source() {
    let all = models::models();
    let mut ids: Vec<String> = all.iter().map(|m| m.id.to_ascii_lowercase()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "no model is catalogued twice");
    assert!(all.len() >= 60, "{} models", all.len());
    eprintln!("{} catalogued models", all.len());
    for m in all {
        assert!(!m.source.is_empty(), "{}", m.id);
    }
    for family in ["dense", "moe", "mla", "sliding", "hybrid"] {
        assert!(
            all.iter().any(|m| m.attention_family() == family),
            "no {family} model"
        );
    }
}
