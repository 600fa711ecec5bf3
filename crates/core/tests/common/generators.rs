//! Generators shared by the property tests: profiles over the whole catalog.
use proptest::prelude::*;
use studio_core::catalog::SECRET_FLAGS;
use studio_core::catalog::{Catalog, Kind};
use studio_core::profile::{ArgValue, GpuDevices, Healthcheck, Profile};

/// Free text a user might type or paste: spaces, quotes, `$`, `#`, braces, non-ASCII letters
/// and symbols, tabs, controls (C0 and C1), YAML 1.1 line breaks (U+0085, U+2028, U+2029), a
/// byte-order mark, non-characters and an astral character; never a leading `-` (argparse
/// itself would read that as a flag).
pub fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9é][a-zA-Z0-9 \
        '\"{}#:$=,./é_\\-日本—\t\x01\x1b\x7f\u{85}\u{9f}\u{a0}\u{2028}\u{2029}\u{feff}\u{fffe}\u{ffff}\u{1f600}]{0,14}"
}

pub fn value_for(name: &'static str) -> BoxedStrategy<ArgValue> {
    let flag = Catalog::get().flag(name).unwrap();
    if !flag.choices.is_empty() {
        return proptest::sample::select(flag.choices.clone())
            .prop_map(ArgValue::word)
            .boxed();
    }
    match flag.kind {
        Kind::Bool => any::<bool>().prop_map(ArgValue::Switch).boxed(),
        Kind::FlagOnly => Just(ArgValue::Switch(true)).boxed(),
        Kind::Int => (0i64..1_000_000)
            .prop_map(|n| ArgValue::word(n.to_string()))
            .boxed(),
        Kind::Float => (1u32..=100)
            .prop_map(|n| ArgValue::word(format!("{}", n as f64 / 100.0)))
            .boxed(),
        Kind::HumanInt | Kind::HumanIntOrAuto => prop_oneof![
            (1i64..300_000).prop_map(|n| ArgValue::word(n.to_string())),
            (1u32..256).prop_map(|n| ArgValue::word(format!("{n}k"))),
        ]
        .boxed(),
        Kind::Json => (text(), 0i64..100)
            .prop_map(|(t, n)| ArgValue::word(serde_json::json!({"k": t, "n": n}).to_string()))
            .boxed(),
        Kind::List => proptest::collection::vec(text(), 1..3)
            .prop_map(ArgValue::Words)
            .boxed(),
        Kind::Text => text().prop_map(ArgValue::word).boxed(),
    }
}

pub fn profile() -> impl Strategy<Value = Profile> {
    let names: Vec<&'static str> = Catalog::get()
        .flags
        .iter()
        .filter(|f| f.name != "model" && !SECRET_FLAGS.contains(&f.name.as_str()))
        .map(|f| f.name.as_str())
        .collect();
    let args = proptest::sample::subsequence(names, 0..25).prop_flat_map(|picked| {
        picked
            .into_iter()
            .map(|n| value_for(n).prop_map(move |v| (n, v)))
            .collect::<Vec<_>>()
    });
    let devices = prop_oneof![
        Just(GpuDevices::All),
        (1u32..8).prop_map(GpuDevices::Count),
        Just(GpuDevices::Ids(vec!["${GPUS}".into()])),
        Just(GpuDevices::Ids(vec!["0".into(), "1".into()])),
    ];
    let health =
        proptest::option::of(
            (1u32..10, "[1-9][0-9]{0,2}s").prop_map(|(r, d)| Healthcheck {
                test: vec![
                    "CMD".into(),
                    "curl".into(),
                    "-f".into(),
                    "http://localhost:8000/health".into(),
                ],
                interval: d.clone(),
                timeout: "10s".into(),
                retries: r,
                start_period: d,
            }),
        );
    (
        "[A-Za-z][A-Za-z0-9/_.-]{0,20}",
        args,
        devices,
        health,
        any::<bool>(),
        any::<bool>(),
        "[a-z][a-z0-9-]{0,10}",
    )
        .prop_map(|(model, args, devices, health, ipc, token, service)| {
            let mut p = Profile {
                model,
                ..Profile::default()
            };
            for (n, v) in args {
                p.set(n, v);
            }
            // An import reads the GPU count from literal device lists.
            p.hardware.gpu_count = devices.literal_count().unwrap_or(2);
            p.compose.devices = devices;
            p.compose.healthcheck = health;
            p.compose.ipc_host = ipc;
            p.compose.hf_token = token;
            p.compose.service = service;
            p
        })
}
