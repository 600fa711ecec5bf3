//! The domain core: plain Rust, no browser APIs. The UI and the CLI are thin shells over it.
pub mod args;
pub mod catalog;
pub mod compose;
pub mod critical;
pub mod diff;
pub mod gpu;
pub mod link;
pub mod memory;
pub mod models;
pub mod profile;
pub mod registry;
pub mod rules;
pub mod shell;
pub mod storage;
pub mod values;
pub mod version;
pub mod yaml;
