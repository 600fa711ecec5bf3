//! Every rule's stable id, and the stage of vLLM's start at which its error would show. The ids
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

macro_rules! rule_ids {
    ($($variant:ident = $id:literal, $stage:ident;)*) => {
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
        }
    };
}

rule_ids! {
    FlagRemoved = "flag-removed", Parser;
    FlagNotYet = "flag-not-yet", Parser;
    FlagUnknown = "flag-unknown", Parser;
    CommandStrayWords = "command-stray-words", Parser;
    VariableUnresolved = "variable-unresolved", Startup;
    LaunchScript = "launch-script", Advice;
    VariableRequired = "variable-required", Startup;
    FlagDeprecated = "flag-deprecated", Runtime;
    ValueInvalid = "value-invalid", Parser;
    ValueUnknownName = "value-unknown-name", Parser;
    HfOverridesNotObject = "hf-overrides-not-object", Startup;
    QuantizationDeprecated = "quantization-deprecated", Startup;
    ToolParserMissing = "tool-parser-missing", Parser;
    ReasoningToolsConflict = "reasoning-tools-conflict", Parser;
    ReasoningParserMissing = "reasoning-parser-missing", Startup;
    ReasoningParserSuggested = "reasoning-parser-suggested", Advice;
    ReasoningParserFamily = "reasoning-parser-family", Runtime;
    TpHeads = "tp-heads", Startup;
    TpKvHeads = "tp-kv-heads", Startup;
    GpusTooFew = "gpus-too-few", Startup;
    MaxModelLenDerived = "max-model-len-derived", Startup;
    YarnFactor = "yarn-factor", Runtime;
    YarnNotNeeded = "yarn-not-needed", Advice;
    ContextWithoutYarn = "context-without-yarn", Runtime;
    YarnRopeTheta = "yarn-rope-theta", Runtime;
    QuantMismatch = "quant-mismatch", Startup;
    QuantAwqSlow = "quant-awq-slow", Runtime;
    QuantMinCc = "quant-min-cc", Startup;
    AwqDtype = "awq-dtype", Startup;
    Bf16Cc = "bf16-cc", Startup;
    KvFp8Backend = "kv-fp8-backend", Advice;
    KvE5m2Flash = "kv-e5m2-flash", Startup;
    KvDtypeModel = "kv-dtype-model", Startup;
    BatchedTokensSeqs = "batched-tokens-seqs", Startup;
    BatchedTokensLen = "batched-tokens-len", Startup;
    MemoryFit = "memory-fit", Startup;
    ImageLatest = "image-latest", Runtime;
    ImageVersionMismatch = "image-version-mismatch", Runtime;
    ShmForTp = "shm-for-tp", Startup;
    HealthcheckMissing = "healthcheck-missing", Advice;
    HealthcheckStartPeriod = "healthcheck-start-period", Runtime;
    HealthcheckPort = "healthcheck-port", Runtime;
    HealthcheckBinary = "healthcheck-binary", Advice;
    SecretLiteral = "secret-literal", Runtime;
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
