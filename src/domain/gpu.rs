//! GPU catalog. Source: `data/gpus.json` (copy of `shared/reference/gpus.json`: nvidia-smi totals
//! from public logs, vendor spec pages, developer.nvidia.com/cuda-gpus).
use serde::Deserialize;
use std::sync::OnceLock;

/// One card as vLLM sees it.
#[derive(Clone, Debug, Deserialize)]
pub struct Gpu {
    pub name: String,
    /// Total memory in GiB as nvidia-smi reports it (MiB / 1024).
    #[serde(rename = "total_GiB")]
    pub total_gib: f64,
    #[serde(rename = "bandwidth_GBps")]
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

#[derive(Deserialize)]
struct GpuFile {
    gpus: Vec<Gpu>,
}

/// Every catalogued GPU, in the file's order.
pub fn gpus() -> &'static [Gpu] {
    static GPUS: OnceLock<Vec<Gpu>> = OnceLock::new();
    GPUS.get_or_init(|| {
        serde_json::from_str::<GpuFile>(include_str!("../../data/gpus.json"))
            .expect("embedded GPU data is valid")
            .gpus
    })
}

/// The GPU with this id.
pub fn find(id: &str) -> Option<&'static Gpu> {
    gpus().iter().find(|g| g.id() == id)
}

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
    }
}
