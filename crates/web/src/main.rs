//! The browser app's entry point (built for wasm32 by trunk). Natively it only points to the CLI.
#[cfg(target_arch = "wasm32")]
fn main() {
    studio_web::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The studio is a browser app: serve it with `scripts/serve`. The native tool is `vllm-profile`.");
}
