//! How vLLM turns the memory left for the KV cache into blocks, tokens and concurrency, for
//! every attention family: full attention, sliding-window layers, latent attention (MLA) and the
//! recurrent state of hybrid models, which all share one pool of equal-sized pages.
//!
//! Mirrors vLLM 0.24.0 `v1/core/kv_cache_utils.py` (`get_kv_cache_groups`,
//! `_get_kv_cache_groups_uniform_page_size`, `get_kv_cache_config_from_groups`,
//! `get_max_concurrency_for_kv_cache_config`, `get_kv_cache_capacity`),
//! `v1/kv_cache_interface.py` (`page_size_bytes`, `max_memory_usage_bytes` of each spec) and
//! `platforms/interface.py::_align_hybrid_block_size`.
use crate::models::{ModelArch, Recurrent};
use crate::profile::Profile;

/// `CacheConfig.DEFAULT_BLOCK_SIZE` (vllm-startup-rules.md: block_size defaults to 16); also the
/// FlashAttention kernels' block alignment (`MultipleOf(16)`).
pub(crate) const DEFAULT_BLOCK_SIZE: u64 = 16;

/// What one kind of layer needs.
#[derive(Clone, Copy, Debug)]
struct Kind {
    layers: u64,
    /// Blocks one request of `max_model_len` tokens holds (`max_memory_usage_bytes / page`).
    blocks_per_request: u64,
    /// Whether its need grows with the request's length (full attention).
    grows: bool,
}

/// The KV cache vLLM plans for one GPU.
#[derive(Clone, Debug, PartialEq)]
pub struct KvPlan {
    /// Bytes a token adds across the layers that keep it (full, sliding within the window, MLA).
    pub bytes_per_token: u64,
    /// Tokens per block (raised for hybrid models so a page holds a recurrent state).
    pub block_size: u64,
    /// Bytes of one page (one block of one layer).
    pub page_bytes: u64,
    pub blocks: u64,
    /// vLLM's printed "GPU KV cache size": concurrency × max-model-len.
    pub tokens: u64,
    /// vLLM's printed "Maximum concurrency for N tokens per request".
    pub concurrency: f64,
    /// The longest single request the blocks can hold.
    pub longest_request: u64,
}

/// The inputs of a plan that do not come from the model.
pub struct Budget {
    pub kv_bytes: f64,
    pub max_model_len: u64,
    pub max_num_batched_tokens: u64,
    /// Whether the release groups layers by kind (`hybrid_kv_groups` in
    /// data/vllm-model-runner.json) and `--disable-hybrid-kv-cache-manager` is off.
    pub hybrid_groups: bool,
    /// The pipeline stage planned (0 without PP): its share of the layers.
    pub stage: u32,
}

fn kv_dtype_bytes(p: &Profile) -> u64 {
    match p.text("kv-cache-dtype").as_deref() {
        Some(k) if k.starts_with("fp8") || k.starts_with("int8") => 1,
        Some("float32") => 4,
        _ => 2,
    }
}

/// Plans the KV cache of one pipeline stage (`budget.stage`).
pub fn plan(m: &ModelArch, p: &Profile, budget: &Budget) -> KvPlan {
    let tp = p.int("tensor-parallel-size").unwrap_or(1).max(1) as u64;
    let pp = p.int("pipeline-parallel-size").unwrap_or(1).max(1) as u32;
    let parts = super::weights::pp_partition(m.layers, pp);
    let mine = parts[(budget.stage as usize).min(parts.len() - 1)] as u64;
    // Each kind's share of this stage's layers (a pattern repeats along the depth).
    let stage = |n: u32| (n as u64 * mine).div_ceil(m.layers.max(1) as u64);
    let dtype = kv_dtype_bytes(p);
    let attn_token = m.kv_bytes_per_layer_token(tp, dtype);
    let user_block = p.int("block-size").filter(|b| *b > 0).map(|b| b as u64);
    let mut block = user_block.unwrap_or(DEFAULT_BLOCK_SIZE);
    // Recurrent state per sequence and layer, in the model dtype (mamba_cache_dtype `auto`).
    let state = m
        .recurrent
        .as_ref()
        .map(|r| r.state_elems(tp) * 2)
        .unwrap_or(0);
    if state > 0 {
        // The attention page must hold a whole state: the smallest multiple of the kernel block
        // alignment that does (`_align_hybrid_block_size`, no prefix caching for hybrids in 0.24).
        let align = DEFAULT_BLOCK_SIZE.max(block);
        block = block.max(align * state.div_ceil((align * attn_token).max(1)));
    }
    let page = block * attn_token;
    let len = budget.max_model_len.max(1);
    let full_blocks = len.div_ceil(block);
    let window_blocks = |w: u64| {
        (w.saturating_sub(1) + budget.max_num_batched_tokens)
            .min(len)
            .div_ceil(block)
            + 1
    };
    let sliding = stage(m.sliding_layers);
    let recurrent = stage(m.recurrent.as_ref().map_or(0, Recurrent::layers));
    let full = stage(m.full_attention_layers());
    let mut kinds = vec![];
    if budget.hybrid_groups {
        kinds.push(Kind {
            layers: full,
            blocks_per_request: full_blocks,
            grows: true,
        });
        kinds.push(Kind {
            layers: sliding,
            blocks_per_request: window_blocks(m.sliding_window.unwrap_or(len)),
            grows: false,
        });
    } else {
        // Without grouping every attention layer keeps the whole context.
        kinds.push(Kind {
            layers: full + sliding,
            blocks_per_request: full_blocks,
            grows: true,
        });
    }
    kinds.push(Kind {
        layers: recurrent,
        blocks_per_request: 1,
        grows: false,
    });
    kinds.retain(|k| k.layers > 0);
    // Layers are grouped so every group has the same number of layers: the smallest count, or
    // the largest when it is under 1.5× the smallest (less padding).
    let min = kinds.iter().map(|k| k.layers).min().unwrap_or(1);
    let max = kinds.iter().map(|k| k.layers).max().unwrap_or(1);
    let group_size = if (max as f64) < min as f64 * 1.5 {
        max
    } else {
        min
    };
    // A degenerate pasted config (no bytes per token) holds nothing rather than everything.
    let blocks = if budget.kv_bytes > 0.0 && page > 0 {
        (budget.kv_bytes / (page * group_size) as f64).floor() as u64
    } else {
        0
    };
    let groups = |k: &Kind| k.layers.div_ceil(group_size);
    let per_request: u64 = kinds.iter().map(|k| groups(k) * k.blocks_per_request).sum();
    let concurrency = blocks as f64 / per_request.max(1) as f64;
    let only_full = kinds.len() == 1 && sliding == 0 && recurrent == 0;
    let tokens = if only_full {
        blocks * block
    } else {
        (concurrency * len as f64) as u64
    };
    // The longest request: what the other kinds leave, over the growing groups (each of their
    // blocks holds `block` more tokens).
    let fixed: u64 = kinds
        .iter()
        .filter(|k| !k.grows)
        .map(|k| groups(k) * k.blocks_per_request)
        .sum();
    let growing: u64 = kinds.iter().filter(|k| k.grows).map(groups).sum();
    let longest_request = match growing {
        0 if blocks >= per_request => u64::MAX,
        0 => 0,
        g => blocks.saturating_sub(fixed) / g * block,
    };
    KvPlan {
        bytes_per_token: (full + sliding) * attn_token,
        block_size: block,
        page_bytes: page,
        blocks,
        tokens,
        concurrency,
        longest_request,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::find;
    use crate::profile::ArgValue;

    fn gib(x: f64) -> f64 {
        x * (1u64 << 30) as f64
    }

    fn plan_for(id: &str, kv_gib: f64, len: u64) -> KvPlan {
        let m = find(id).unwrap();
        let mut p = Profile::default();
        p.set("max-model-len", ArgValue::word(len.to_string()));
        let budget = Budget {
            stage: 0,
            kv_bytes: gib(kv_gib),
            max_model_len: len,
            max_num_batched_tokens: 8192,
            hybrid_groups: true,
        };
        plan(m, &p, &budget)
    }

    // vLLM's printed KV GiB in, its printed concurrency and tokens out (GT-S01…S04, S08, S10):
    // the arithmetic must reproduce them to the rounding of the printed GiB.
    #[test]
    fn plans_reproduce_what_vllm_printed_for_each_family() {
        let cases = [
            ("google/gemma-3-12b-it", 98.68, 32768, 20.48, 671_249),
            ("google/gemma-3-12b-it", 98.68, 131072, 9.12, 1_195_728),
            ("openai/gpt-oss-20b", 108.56, 32768, 115.39, 3_781_240),
            ("openai/gpt-oss-20b", 108.56, 131072, 34.02, 4_459_546),
            (
                "deepseek-ai/DeepSeek-V2-Lite",
                95.16,
                32768,
                100.25,
                3_284_864,
            ),
        ];
        for (id, kv, len, conc, tokens) in cases {
            let plan = plan_for(id, kv, len);
            assert!(
                (plan.concurrency - conc).abs() < 0.02,
                "{id} {len}: {plan:?}"
            );
            let err = (plan.tokens as f64 - tokens as f64).abs() / tokens as f64;
            assert!(err < 0.001, "{id} {len}: {} vs {tokens}", plan.tokens);
        }
    }

    #[test]
    fn a_hybrid_page_holds_one_recurrent_state() {
        // Qwen3-Next with 24 of its 48 layers (GT-S04): a Gated DeltaNet state is 1,097,728 B,
        // so 16-token attention pages (32 KiB) grow to 544 tokens; 6 attention + 18 recurrent
        // layers make 4 groups of 6; 47.36 GiB → 118.86× at 32,768 tokens.
        let m = find("Qwen/Qwen3-Next-80B-A3B-Instruct").unwrap();
        let mut o = serde_json::Map::new();
        o.insert("num_hidden_layers".into(), 24.into());
        let m = m.with_overrides(&o);
        let budget = Budget {
            stage: 0,
            kv_bytes: gib(47.36),
            max_model_len: 32768,
            max_num_batched_tokens: 8192,
            hybrid_groups: true,
        };
        let plan = plan(&m, &Profile::default(), &budget);
        assert_eq!(plan.block_size, 544);
        assert!((plan.concurrency - 118.86).abs() < 0.02, "{plan:?}");
        let err = (plan.tokens as f64 - 3_894_784.0).abs() / 3_894_784.0;
        assert!(err < 0.001, "{plan:?}");
    }
}
