//! End-to-end tests in real headless Chromium against the release build in `dist/`.
//! Run by `scripts/test` (which builds `dist/` first); prints `N passed, N failed`.
mod harness;

use harness::Browser;
use std::path::PathBuf;
use studio::domain::{catalog::Catalog, compose, link};

struct Ctx {
    browser: Browser,
    base: String,
}

impl Ctx {
    /// Opens the app (optionally with a query) on a clean slate and waits for it to mount.
    fn open(&self, query: &str) {
        self.browser.goto(&format!("{}/index.html", self.base));
        self.browser.js("localStorage.clear(); return true", vec![]);
        let url = if query.is_empty() { format!("{}/", self.base) } else { format!("{}/?{query}", self.base) };
        self.browser.goto(&url);
        self.browser.wait("the app to mount", "return document.querySelector('[data-testid=compose-yaml]')?.textContent.length > 0");
    }
    fn yaml(&self) -> String {
        self.browser.text("compose-yaml")
    }
}

fn opens_on_the_reference_profile(c: &Ctx) {
    c.open("");
    let yaml = c.yaml();
    assert_eq!(yaml, compose::to_yaml(&compose::reference_profile()), "the default is the seed's medium profile");
    let count = c.browser.text("flag-count");
    let expected = Catalog::get().flags_in(Catalog::get().version).filter(|f| f.name != "model").count();
    assert_eq!(count, format!("{expected} flags"));
    assert!(c.browser.text("share-link").contains("?v=1&vllm-version=0.33.0"));
    c.browser.screenshot(&PathBuf::from("target/e2e-screenshot.png"));
}

fn editing_max_model_len_updates_the_yaml(c: &Ctx) {
    c.open("");
    c.browser.type_into("[data-testid=param-max-model-len]", "65536");
    c.browser.wait("the YAML to change", "return document.querySelector('[data-testid=compose-yaml]').textContent.includes('--max-model-len 65536')");
    assert!(c.browser.text("share-link").contains("max-model-len=65536"));
    assert!(c.browser.text("cli-command").contains("--max-model-len 65536"));
    // An invalid value is refused next to the field and the YAML keeps the last good one.
    c.browser.type_into("[data-testid=param-max-model-len]", "lots");
    c.browser.wait("the field error", "return document.querySelector('.field.invalid .error')?.textContent");
    assert!(c.yaml().contains("--max-model-len 65536"));
}

fn importing_the_seed_fills_the_form(c: &Ctx) {
    c.open("v=1&model=meta-llama/Llama-3.1-8B-Instruct");
    assert!(c.yaml().contains("meta-llama/Llama-3.1-8B-Instruct"));
    c.browser.js("const t = document.querySelector('[data-testid=import-input]'); t.value = arguments[0]; t.dispatchEvent(new Event('input')); return true",
        vec![compose::SEED_MEDIUM_YML.into()]);
    c.browser.click("[data-testid=import-apply]");
    c.browser.wait("the seed in the YAML", "return document.querySelector('[data-testid=compose-yaml]').textContent.includes('Qwen/Qwen3-32B-AWQ')");
    let yaml = c.yaml();
    assert!(yaml.contains("--kv-cache-dtype fp8") && yaml.contains("--swap-space 16") && yaml.contains("--rope-scaling"));
    assert!(c.browser.text("notices").contains("Dropped 12"));
    let field = c.browser.js("return document.querySelector('[data-testid=param-kv-cache-dtype]').value", vec![]);
    assert_eq!(field, "fp8");
}

fn a_bad_yaml_is_located_and_changes_nothing(c: &Ctx) {
    c.open("");
    let before = c.yaml();
    c.browser.js("const t = document.querySelector('[data-testid=import-input]'); t.value = 'services:\\n  a:\\n    image: [x\\n'; t.dispatchEvent(new Event('input')); return true", vec![]);
    c.browser.click("[data-testid=import-apply]");
    let error = c.browser.wait("the import error", "return document.querySelector('[data-testid=import-error]')?.textContent");
    assert!(error.as_str().unwrap().contains("line "), "{error}");
    assert_eq!(c.yaml(), before);
}

fn a_share_link_restores_the_same_yaml(c: &Ctx) {
    let mut p = compose::reference_profile();
    p.set("max-num-seqs", studio::domain::profile::ArgValue::word("32"));
    p.set("hf-overrides", studio::domain::profile::ArgValue::word(r#"{"max_position_embeddings": 131072}"#));
    let q = link::encode(&p);
    c.open(&q);
    assert_eq!(c.yaml(), compose::to_yaml(&p));
    assert!(c.browser.text("share-link").ends_with(&q));
}

fn a_bad_link_names_the_key_and_applies_the_rest(c: &Ctx) {
    c.open("v=1&model=m&max-model-len=lots&hf-overrides=%7Bbroken&tensor-parallel-size=4");
    let notices = c.browser.text("notices");
    assert!(notices.contains("`max-model-len`") && notices.contains("`hf-overrides`"), "{notices}");
    assert!(c.yaml().contains("--tensor-parallel-size 4"));
}

fn main() {
    let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist");
    assert!(dist.join("index.html").exists(), "no dist/: run scripts/test (it builds the release app first)");
    let ctx = Ctx { base: harness::serve_static(dist), browser: Browser::start() };
    if std::env::var_os("STUDIO_BENCH").is_some() {
        return bench_mount(&ctx);
    }
    let tests: [(&str, fn(&Ctx)); 6] = [
        ("opens_on_the_reference_profile", opens_on_the_reference_profile),
        ("editing_max_model_len_updates_the_yaml", editing_max_model_len_updates_the_yaml),
        ("importing_the_seed_fills_the_form", importing_the_seed_fills_the_form),
        ("a_bad_yaml_is_located_and_changes_nothing", a_bad_yaml_is_located_and_changes_nothing),
        ("a_share_link_restores_the_same_yaml", a_share_link_restores_the_same_yaml),
        ("a_bad_link_names_the_key_and_applies_the_rest", a_bad_link_names_the_key_and_applies_the_rest),
    ];
    let (mut passed, mut failed) = (0, 0);
    for (name, test) in tests {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test(&ctx))) {
            Ok(()) => { passed += 1; println!("e2e {name} ... ok") }
            Err(_) => { failed += 1; println!("e2e {name} ... FAILED") }
        }
    }
    drop(ctx);
    println!("e2e: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}

/// Mount time over cold loads (scripts/bench): navigation start → `app-mounted` mark.
fn bench_mount(c: &Ctx) {
    let runs = 15;
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            c.browser.goto("about:blank");
            c.browser.goto(&format!("{}/", c.base));
            c.browser
                .wait("the mount mark", "return performance.getEntriesByName('app-mounted')[0]?.startTime")
                .as_f64()
                .unwrap()
        })
        .collect();
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "mount time over {runs} loads: median {:.0} ms, min {:.0} ms, max {:.0} ms (budget 250 ms)",
        times[runs / 2], times[0], times[runs - 1]
    );
}
