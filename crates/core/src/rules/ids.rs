//! Every rule's stable id, the stage of vLLM's start at which its error would show, and what
//! it needs to know to run. The ids
//! are a public contract (`check --json`, `data-testid="rule-<id>"`, the README's rule table).

/// When vLLM would act on what a rule finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// vLLM's argument parser refuses the command line.
    Parser,
    /// The command parses, but the engine fails while starting (model, memory, devices).
    Startup,
    /// It starts, but something is wrong or risky while it runs.
    Runtime,
    /// A better option exists.
    Advice,
}

impl Stage {
    /// `parser`, `startup`, `runtime` or `advice`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Parser => "parser",
            Stage::Startup => "startup",
            Stage::Runtime => "runtime",
            Stage::Advice => "advice",
        }
    }
}

/// What a check needs to know before it can run; without it the check is listed as skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Need {
    /// vLLM's arguments, read from the command (not hidden in a shell script or an unset
    /// whole-word variable such as `${EXTRA_ARGS}`).
    Command,
    /// The model's architecture (catalogued, or a pasted config.json).
    Model,
    /// The GPU model: its compute capability and kernels.
    Gpu,
    /// The memory of each GPU (a catalogued card, or a size given).
    GpuMemory,
    /// The config classes' field lists, generated for one release (0.33.0).
    ConfigKeys,
    /// Flag values vLLM accepts (an estimate from a refused value would only add noise).
    ValidValues,
}

impl Need {
    /// What would let the checks that need it run.
    pub fn enable(self) -> &'static str {
        match self {
            Need::Command => {
                "launch vLLM with a command of flags (not a shell script), and give every \
                 whole-word variable such as ${EXTRA_ARGS} a value"
            }
            Need::Model => "pick a catalogued model, or paste the model's config.json",
            Need::Gpu => "pick the GPU model",
            Need::GpuMemory => "pick the GPU model, or give the memory per GPU",
            Need::ConfigKeys => {
                "check against vLLM 0.33.0 (the config field lists come from that release)"
            }
            Need::ValidValues => "correct the values vLLM refuses (`value-invalid`)",
        }
    }

    /// `command`, `model`, `gpu`, `gpu-memory`, `config-keys`, `valid-values` (`check --json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Need::Command => "command",
            Need::Model => "model",
            Need::Gpu => "gpu",
            Need::GpuMemory => "gpu-memory",
            Need::ConfigKeys => "config-keys",
            Need::ValidValues => "valid-values",
        }
    }
}

macro_rules! rule_ids {
    ($($variant:ident = $id:literal, $stage:ident, [$($need:ident),*];)*) => {
        /// A rule's identity.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $(#[doc = concat!("`", $id, "`")] $variant,)*
        }

        impl RuleId {
            /// Every rule, in the README's order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The stable text id (`flag-removed`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }

            /// The stage at which vLLM acts on it.
            pub fn stage(self) -> Stage {
                match self {
                    $(RuleId::$variant => Stage::$stage,)*
                }
            }

            /// What the rule must know to run.
            pub fn needs(self) -> &'static [Need] {
                match self {
                    $(RuleId::$variant => &[$(Need::$need),*],)*
                }
            }
        }
    };
}

rule_ids! {
    FlagRemoved = "flag-removed", Parser, [Command];
    FlagNotYet = "flag-not-yet", Parser, [Command];
    FlagUnknown = "flag-unknown", Parser, [Command];
    CommandStrayWords = "command-stray-words", Parser, [Command];
    VariableUnresolved = "variable-unresolved", Startup, [];
    LaunchScript = "launch-script", Advice, [];
    VariableRequired = "variable-required", Startup, [];
    FlagDeprecated = "flag-deprecated", Runtime, [Command];
    ValueInvalid = "value-invalid", Parser, [Command];
    ValueUnknownName = "value-unknown-name", Parser, [Command];
    JsonKeyUnknown = "json-key-unknown", Parser, [Command, ConfigKeys];
    HfOverridesNotObject = "hf-overrides-not-object", Startup, [Command];
    QuantizationDeprecated = "quantization-deprecated", Startup, [Command];
    ToolParserMissing = "tool-parser-missing", Parser, [Command];
    ReasoningToolsConflict = "reasoning-tools-conflict", Parser, [Command];
    ReasoningParserMissing = "reasoning-parser-missing", Startup, [Command];
    ReasoningParserSuggested = "reasoning-parser-suggested", Advice, [Command, Model];
    ReasoningParserFamily = "reasoning-parser-family", Runtime, [Command, Model];
    TpHeads = "tp-heads", Startup, [Command, Model];
    TpKvHeads = "tp-kv-heads", Startup, [Command, Model];
    GpusTooFew = "gpus-too-few", Startup, [Command];
    TpAcrossNodes = "tp-across-nodes", Runtime, [Command];
    NodesSplit = "nodes-split", Startup, [Command];
    NodesBackend = "nodes-backend", Startup, [Command];
    ExpertParallelDense = "expert-parallel-dense", Advice, [Command, Model];
    MaxModelLenDerived = "max-model-len-derived", Startup, [Command, Model];
    YarnFactor = "yarn-factor", Runtime, [Command, Model];
    YarnNotNeeded = "yarn-not-needed", Advice, [Command, Model];
    ContextWithoutYarn = "context-without-yarn", Runtime, [Command, Model];
    YarnRopeTheta = "yarn-rope-theta", Runtime, [Command, Model];
    QuantMismatch = "quant-mismatch", Startup, [Command, Model];
    QuantAwqSlow = "quant-awq-slow", Runtime, [Command, Model, Gpu];
    QuantMinCc = "quant-min-cc", Startup, [Command, Model, Gpu];
    AwqDtype = "awq-dtype", Startup, [Command, Model];
    Bf16Cc = "bf16-cc", Startup, [Command, Model, Gpu];
    KvFp8Backend = "kv-fp8-backend", Advice, [Command, Model, Gpu];
    KvE5m2Flash = "kv-e5m2-flash", Startup, [Command, Model, Gpu];
    KvFp8Fp16Fa3 = "kv-fp8-fp16-fa3", Startup, [Command, Model, Gpu];
    KvDtypeModel = "kv-dtype-model", Startup, [Command, Model];
    BatchedTokensSeqs = "batched-tokens-seqs", Startup, [Command];
    BatchedTokensLen = "batched-tokens-len", Startup, [Command];
    MemoryFit = "memory-fit", Startup, [Command, Model, GpuMemory, ValidValues];
    ComposeValueInvalid = "compose-value-invalid", Startup, [];
    ImageLatest = "image-latest", Runtime, [];
    ImageVersionMismatch = "image-version-mismatch", Runtime, [];
    ShmForTp = "shm-for-tp", Startup, [Command];
    HealthcheckMissing = "healthcheck-missing", Advice, [];
    HealthcheckStartPeriod = "healthcheck-start-period", Runtime, [];
    HealthcheckPort = "healthcheck-port", Runtime, [];
    HealthcheckBinary = "healthcheck-binary", Advice, [];
    SecretLiteral = "secret-literal", Runtime, [];
    EnvRemoved = "env-removed", Runtime, [];
    EnvNotYet = "env-not-yet", Runtime, [];
    EnvUnknown = "env-unknown", Runtime, [];
}

impl RuleId {
    /// The rule with this text id.
    pub fn parse(id: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.as_str() == id)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
