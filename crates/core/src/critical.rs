//! The reference document's five categories and the critical parameters it reviews in each
//! (seed: "Analyse Détaillée par Paramètre", sections 1–5). Compose-level entries of those
//! sections (device ids, healthcheck) live in the compose settings.

/// A category of the reference document, used by the critical-parameter form and the score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    ContextMemory,
    GpuParallelism,
    QuantizationPrecision,
    ParsersTools,
    Infrastructure,
}

impl Category {
    /// All categories, in the document's order.
    pub const ALL: [Category; 5] = [
        Category::ContextMemory,
        Category::GpuParallelism,
        Category::QuantizationPrecision,
        Category::ParsersTools,
        Category::Infrastructure,
    ];

    /// The category's English title.
    pub fn title(self) -> &'static str {
        match self {
            Category::ContextMemory => "Context & Memory",
            Category::GpuParallelism => "GPU & Parallelism",
            Category::QuantizationPrecision => "Quantization & Precision",
            Category::ParsersTools => "Parsers & Tools",
            Category::Infrastructure => "Infrastructure",
        }
    }

    /// A stable id (`context-memory`) for links, JSON and test hooks.
    pub fn id(self) -> &'static str {
        match self {
            Category::ContextMemory => "context-memory",
            Category::GpuParallelism => "gpu-parallelism",
            Category::QuantizationPrecision => "quantization-precision",
            Category::ParsersTools => "parsers-tools",
            Category::Infrastructure => "infrastructure",
        }
    }

    /// The flags the document reviews in this category. `rope-scaling` and `swap-space` are the
    /// document's own choices (removed in later releases); `hf-overrides` carries RoPE settings
    /// from 0.6.4 on, so it sits beside them.
    pub fn critical_flags(self) -> &'static [&'static str] {
        match self {
            Category::ContextMemory => &["max-model-len", "gpu-memory-utilization", "swap-space"],
            Category::GpuParallelism => &["tensor-parallel-size", "distributed-executor-backend"],
            Category::QuantizationPrecision => &["quantization", "kv-cache-dtype", "dtype"],
            Category::ParsersTools => &[
                "enable-auto-tool-choice",
                "tool-call-parser",
                "reasoning-parser",
            ],
            Category::Infrastructure => &["rope-scaling", "hf-overrides", "port"],
        }
    }
}
