//! vLLM Profile Studio: a plain-Rust domain core with two thin shells, the browser app (`ui`,
//! wasm32 only) and the `vllm-profile` CLI.
pub mod domain;

#[cfg(target_arch = "wasm32")]
pub mod ui;
