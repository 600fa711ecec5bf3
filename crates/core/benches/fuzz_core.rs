//! A small mutation fuzzer over every decoder of untrusted input, shared by the long run
//! (`cargo bench --bench fuzz_decoders`, figures for the closing note) and the short one in CI
//! (`tests/fuzz_short.rs`). Seeds: every file of `../shared/wild` and `tests/fixtures/yaml`;
//! each case mutates a seed (bit flips, byte insertions and deletions, splices of two seeds,
//! repeated slices, structural characters) and runs the decoder on it. A panic aborts the
//! process (release profile: `panic = "abort"`), so a finished run means zero crashes; the
//! slowest case is reported as the hang check.
use std::path::Path;
use std::time::{Duration, Instant};
use studio_core::compose::{self, interpolate::Env};
use studio_core::profile::Profile;
use studio_core::{link, models};

/// The decoders, by name.
pub const DECODERS: &[&str] = &[
    "compose-yaml",
    "launch-line",
    "vllm-config",
    "link",
    "dotenv",
    "config-json",
];

/// Seeds for a decoder: real inputs of its kind.
pub fn seeds(decoder: &str) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    for dir in [
        root.join("../../../shared/wild"),
        root.join("../../tests/fixtures/yaml"),
    ] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                files.push(e.path());
            }
        }
    }
    files.sort();
    let ext = |p: &Path, want: &[&str]| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| want.contains(&e))
    };
    let mut out: Vec<Vec<u8>> = match decoder {
        "compose-yaml" => files
            .iter()
            .filter(|p| ext(p, &["yml", "yaml"]))
            .filter_map(|p| std::fs::read(p).ok())
            .collect(),
        "launch-line" => files
            .iter()
            .filter(|p| ext(p, &["sh", "txt", "ps1"]))
            .filter_map(|p| std::fs::read(p).ok())
            .collect(),
        "dotenv" => files
            .iter()
            .filter(|p| ext(p, &["env"]))
            .filter_map(|p| std::fs::read(p).ok())
            .collect(),
        // vLLM `--config` files: the YAML form of `vllm serve` flags (none in shared/wild).
        "vllm-config" => vec![
            b"model: Qwen/Qwen3-8B\ntensor-parallel-size: 2\nmax-model-len: 32768\n".to_vec(),
            b"model: meta-llama/Llama-3.1-8B-Instruct\ngpu_memory_utilization: 0.9\n\
              enable-prefix-caching: true\nhf-overrides:\n  rope_scaling:\n    rope_type: yarn\n\
              \x20   factor: 4.0\nlimit-mm-per-prompt: {\"image\": 2}\n"
                .to_vec(),
            b"# served by vllm serve --config this.yaml\nport: 8000\nhost: 0.0.0.0\n\
              api-key: ${KEY}\nspeculative-config: '{\"method\": \"ngram\"}'\n"
                .to_vec(),
        ],
        "config-json" => {
            let configs = root.join("data/model-configs");
            let mut v: Vec<Vec<u8>> = std::fs::read_dir(configs)
                .map(|d| {
                    d.flatten()
                        .filter_map(|e| std::fs::read(e.path()).ok())
                        .collect()
                })
                .unwrap_or_default();
            v.sort();
            v
        }
        _ => vec![
            link::encode(&compose::reference_profile()).into_bytes(),
            b"v=1&model=Qwen/Qwen3-8B&gpu=h100-80gb-sxm&gpu-count=2&tensor-parallel-size=2"
                .to_vec(),
        ],
    };
    // Large seeds slow every case down without finding more: keep the first 16 KiB.
    for s in &mut out {
        s.truncate(16 << 10);
    }
    out
}

/// Runs `decoder` on `input` (lossily as text: invalid UTF-8 is refused at the file boundary).
pub fn run(decoder: &str, input: &[u8]) {
    let text = String::from_utf8_lossy(input);
    let env = Env::default();
    match decoder {
        "compose-yaml" | "launch-line" | "vllm-config" => {
            let _ = compose::import_any(&text, &Profile::default(), None, &env);
        }
        "link" => {
            let _ = link::decode(&text);
        }
        "dotenv" => {
            let _ = Env::from_dotenv(&text);
        }
        _ => {
            // A config that parses is then sized: the estimator must survive whatever it holds.
            if let Ok(m) = models::from_config_json("fuzz", &text) {
                let mut p = Profile::default();
                p.hardware.gpu = "h100-80gb-sxm".into();
                let inputs = studio_core::context::Inputs {
                    model: Some(&m),
                    ..studio_core::context::Inputs::new(&p, None)
                };
                let _ = studio_core::memory::estimate(&inputs);
            }
        }
    }
}

/// A deterministic generator (xorshift64*): runs are reproducible from their seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const STRUCTURE: &[&[u8]] = &[
    b"[", b"]", b"{", b"}", b":", b"- ", b"&a ", b"*a", b"<<: *a", b"\n  ", b"\"", b"'", b"#",
    b"${X:-", b"}", b"|", b">-", b"\t", b"\0", b"%", b"&", b"=", b"--", b"\\", b"\xff",
];

/// One mutation of `seed` (with `other` for splices).
pub fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let s = STRUCTURE[rng.below(STRUCTURE.len())];
                v.splice(at..at, s.iter().copied());
            }
            2 if !v.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(v.len());
                v.drain(at.min(end)..end);
            }
            3 if !other.is_empty() => {
                let from = rng.below(other.len());
                let end = (from + 1 + rng.below(256)).min(other.len());
                v.splice(at..at, other[from..end].iter().copied());
            }
            4 if !v.is_empty() => {
                // Repeat a slice: deep nesting, long lines, many keys.
                let from = rng.below(v.len());
                let end = (from + 1 + rng.below(16)).min(v.len());
                let piece: Vec<u8> = v[from..end].to_vec();
                for _ in 0..1 + rng.below(64) {
                    v.splice(at..at, piece.iter().copied());
                }
            }
            _ => v.truncate(at),
        }
    }
    v
}

/// Runs `cases` mutated inputs through `decoder`; returns (executions, slowest case).
pub fn fuzz(decoder: &str, cases: u64, seed: u64) -> (u64, Duration) {
    let seeds = seeds(decoder);
    assert!(!seeds.is_empty(), "{decoder}: no seeds");
    let mut rng = Rng(seed | 1);
    let mut slowest = Duration::ZERO;
    for s in &seeds {
        run(decoder, s);
    }
    for _ in 0..cases {
        let a = &seeds[rng.below(seeds.len())];
        let b = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, a, b);
        let t0 = Instant::now();
        run(decoder, &input);
        slowest = slowest.max(t0.elapsed());
    }
    (cases + seeds.len() as u64, slowest)
}
