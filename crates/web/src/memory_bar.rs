//! The geometry of the memory bar: each part of the estimate as a share of the card.
use studio_core::memory::Estimate;

/// (label, value GiB, css class, test id) of the bar's parts.
fn parts(e: &Estimate) -> Vec<(&'static str, f64, &'static str, &'static str)> {
    let unused = (e.total_gib
        - e.weights_gib
        - e.activation_gib
        - e.non_torch_gib
        - e.cuda_graph_gib
        - e.kv_cache_gib)
        .max(0.0);
    vec![
        ("Weights", e.weights_gib, "w", "mem-weights"),
        ("Activations", e.activation_gib, "a", "mem-activation"),
        ("Non-torch", e.non_torch_gib, "n", "mem-non-torch"),
        ("CUDA graphs", e.cuda_graph_gib, "g", "mem-cuda-graph"),
        ("KV cache", e.kv_cache_gib, "k", "mem-kv"),
        ("Unused headroom", unused, "u", "mem-unused"),
    ]
}

/// The number of parts of the bar.
pub const PARTS: usize = 6;

/// One part of the bar as drawn: (x, width, class, title, label, test id, GiB).
pub type Part = (
    f64,
    f64,
    &'static str,
    String,
    &'static str,
    &'static str,
    f64,
);

pub const EMPTY_PART: Part = (0.0, 0.0, "", String::new(), "", "", 0.0);

/// The bar's parts laid out over the larger of the card and what is used.
pub fn layout(e: &Estimate) -> Vec<Part> {
    let total = e.total_gib.max(
        e.weights_gib + e.activation_gib + e.non_torch_gib + e.cuda_graph_gib + e.kv_cache_gib,
    );
    let mut x = 0.0;
    parts(e)
        .into_iter()
        .map(|(label, gib, class, id)| {
            let w = if total > 0.0 {
                gib / total * 100.0
            } else {
                0.0
            };
            let part = (
                x,
                w,
                class,
                format!("{label}: {gib:.2} GiB"),
                label,
                id,
                gib,
            );
            x += w;
            part
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use studio_core::compose::reference_profile;
    use studio_core::memory::estimate;
    use studio_core::rules::Inputs;

    #[test]
    fn the_parts_follow_each_other_and_fill_at_most_the_card() {
        let p = reference_profile();
        let e = estimate(&Inputs::new(&p, None)).expect("the reference profile has an estimate");
        let parts = layout(&e);
        assert_eq!(parts.len(), PARTS);
        for pair in parts.windows(2) {
            assert!((pair[0].0 + pair[0].1 - pair[1].0).abs() < 1e-9, "{pair:?}");
        }
        let end = parts[PARTS - 1].0 + parts[PARTS - 1].1;
        assert!(end <= 100.0 + 1e-9 && end > 99.0, "{end}");
        assert_eq!(parts[4].5, "mem-kv");
        assert!((parts[4].6 - e.kv_cache_gib).abs() < 1e-9);
    }
}
