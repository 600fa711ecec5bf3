//! GPU catalog. Source: `data/gpus.json` (copy of `shared/reference/gpus.json`: nvidia-smi totals
//! from public logs, vendor spec pages, developer.nvidia.com/cuda-gpus).
use serde_json::Value;
use std::sync::OnceLock;

/// One card as vLLM sees it.
#[derive(Clone, Debug)]
pub struct Gpu {
    pub name: String,
    /// Total memory in GiB as nvidia-smi reports it (MiB / 1024).
    pub total_gib: f64,
    pub bandwidth_gbps: f64,
    /// `8.6`, or a ROCm target such as `gfx942 (ROCm)`.
    pub compute_capability: String,
    /// Whether the card computes FP8 natively.
    pub fp8_hw: bool,
}

impl Gpu {
    /// The link/CLI id: a slug of the name (`RTX 3090` → `rtx-3090`).
    pub fn id(&self) -> String {
        slug(&self.name)
    }

    /// CUDA compute capability as (major, minor); `None` for non-CUDA cards.
    pub fn cuda_capability(&self) -> Option<(u32, u32)> {
        let (a, b) = self.compute_capability.split_once('.')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    }
}

/// Lower-case words joined by dashes.
pub fn slug(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// Every catalogued GPU, in the file's order.
pub fn gpus() -> &'static [Gpu] {
    static GPUS: OnceLock<Vec<Gpu>> = OnceLock::new();
    GPUS.get_or_init(|| {
        let data: Value = serde_json::from_str(include_str!("../data/gpus.json"))
            .expect("embedded GPU data is valid");
        data["gpus"]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|g| {
                        Some(Gpu {
                            name: g["name"].as_str()?.to_string(),
                            total_gib: g["total_GiB"].as_f64()?,
                            bandwidth_gbps: g["bandwidth_GBps"].as_f64().unwrap_or(0.0),
                            compute_capability: g["compute_capability"]
                                .as_str()
                                .unwrap_or_default()
                                .to_string(),
                            fp8_hw: g["fp8_hw"].as_bool().unwrap_or(false),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The id without memory-size words (`h100-80gb-sxm` → `h100-sxm`), accepted as a short form
/// when it names one card only.
fn short_id(id: &str) -> String {
    id.split('-')
        .filter(|w| !(w.ends_with("gb") && w[..w.len() - 2].chars().all(|c| c.is_ascii_digit())))
        .collect::<Vec<_>>()
        .join("-")
}

/// The GPU with this id, or with this unambiguous short form (`h100-sxm`).
pub fn find(id: &str) -> Option<&'static Gpu> {
    if let Some(g) = gpus().iter().find(|g| g.id() == id) {
        return Some(g);
    }
    let mut matches = gpus().iter().filter(|g| short_id(&g.id()) == id);
    let first = matches.next()?;
    matches.next().is_none().then_some(first)
}

/// The GPU of an imported file, which never names its GPU model: no card, so the GPU and
/// memory checks are skipped until one is picked (a link writes `gpu=unknown`).
pub const UNSTATED_GPU: &str = "unknown";

/// The default card: the seed assumes two 24 GB cards and lists RTX 4090/A6000/H100 as
/// upgrades, so an RTX 3090 is the honest starting point.
pub const DEFAULT_GPU: &str = "rtx-3090";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_and_facts_carry_over() {
        let g = find("rtx-3090").unwrap();
        assert_eq!(g.total_gib, 24.0);
        assert_eq!(g.cuda_capability(), Some((8, 6)));
        assert!(find("h100-80gb-sxm").is_some());
        assert_eq!(find("mi300x").unwrap().cuda_capability(), None);
        assert_eq!(gpus().len(), 16);
        assert_eq!(find("h100-sxm").unwrap().name, "H100 80GB SXM");
        assert_eq!(find("a100-pcie").unwrap().name, "A100 80GB PCIe");
        assert_eq!(find("a100").unwrap().name, "A100 40GB");
        assert!(find("rtx").is_none());
    }
}
