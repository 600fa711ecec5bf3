//! Helpers shared by the integration tests: profile generators (native only, proptest) and
//! YAML readings as JSON for cross-checking readers.
#![allow(dead_code, unused_imports)]

#[cfg(not(target_arch = "wasm32"))]
mod generators;
#[cfg(not(target_arch = "wasm32"))]
pub use generators::*;

/// yaml-rust2's reading as JSON (for cross-checking our YAML reader).
pub fn yaml_rust2_json(y: &yaml_rust2::Yaml) -> serde_json::Value {
    use yaml_rust2::Yaml;
    match y {
        Yaml::String(s) => s.clone().into(),
        Yaml::Integer(i) => (*i).into(),
        Yaml::Real(r) => r
            .parse::<f64>()
            .map(Into::into)
            .unwrap_or(serde_json::Value::Null),
        Yaml::Boolean(b) => (*b).into(),
        Yaml::Array(a) => a.iter().map(yaml_rust2_json).collect(),
        Yaml::Hash(h) => h
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().map(str::to_string).unwrap_or_default(),
                    yaml_rust2_json(v),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into(),
        _ => serde_json::Value::Null,
    }
}

/// Our node as JSON, typing plain scalars by the YAML 1.2 core schema (as yaml-rust2 does).
pub fn our_yaml_json(n: &studio_core::yaml::Node) -> serde_json::Value {
    n.to_json()
}

/// PyYAML's reading (YAML 1.1, `safe_load`) of each file as JSON; a file it refuses reads as
/// `{"__error__": message}`.
#[cfg(not(target_arch = "wasm32"))]
pub fn pyyaml_read<P: AsRef<std::path::Path>>(files: &[P]) -> Vec<serde_json::Value> {
    let script = "import sys, json, yaml\nfor f in sys.argv[1:]:\n    try:\n        \
                  print(json.dumps(yaml.safe_load(open(f, encoding='utf-8')), sort_keys=True, \
                  default=str))\n    except Exception as e:\n        \
                  print(json.dumps({'__error__': str(e).splitlines()[0]}))";
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(files.iter().map(|f| f.as_ref()))
        .output()
        .expect("python3 with PyYAML (scripts/setup installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
