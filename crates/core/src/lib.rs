//! The domain core: plain Rust, no browser APIs. The UI and the CLI are thin shells over it.
pub mod catalog;
pub mod version;
pub mod gpu;
pub mod profile;
pub mod shell;
pub mod args;
pub mod compose;
pub mod link;
pub mod values;
pub mod critical;
pub mod models;
pub mod registry;
pub mod memory;
pub mod rules;
pub mod diff;
pub mod storage;
pub mod yaml;
