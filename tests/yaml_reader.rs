//! Our compact YAML reader against yaml-rust2 on compose files written in many styles.
use studio::domain::yaml::{parse, Node};

fn ours(n: &Node) -> serde_json::Value {
    match n {
        Node::Null => serde_json::Value::Null,
        Node::Scalar { text, plain: false } => text.clone().into(),
        Node::Scalar { text, plain: true } => {
            if let Some(b) = n.as_bool() {
                b.into()
            } else if let Ok(i) = text.parse::<i64>() {
                i.into()
            } else if let Some(f) = text.parse::<f64>().ok().filter(|_| text.contains('.')) {
                f.into()
            } else {
                text.clone().into()
            }
        }
        Node::Seq(items) => items.iter().map(ours).collect(),
        Node::Map(entries) => entries.iter().map(|(k, v)| (k.clone(), ours(v))).collect::<serde_json::Map<_, _>>().into(),
    }
}

fn theirs(y: &yaml_rust2::Yaml) -> serde_json::Value {
    use yaml_rust2::Yaml;
    match y {
        Yaml::String(s) => s.clone().into(),
        Yaml::Integer(i) => (*i).into(),
        Yaml::Real(r) => r.parse::<f64>().map(Into::into).unwrap_or(serde_json::Value::Null),
        Yaml::Boolean(b) => (*b).into(),
        Yaml::Array(a) => a.iter().map(theirs).collect(),
        Yaml::Hash(h) => h.iter().map(|(k, v)| (k.as_str().map(str::to_string).unwrap_or_default(), theirs(v))).collect::<serde_json::Map<_, _>>().into(),
        _ => serde_json::Value::Null,
    }
}

#[test]
fn reads_every_style_as_yaml_rust2_does() {
    let text = include_str!("fixtures/yaml/styles.yml");
    let a = ours(&parse(text).unwrap());
    let b = theirs(&yaml_rust2::YamlLoader::load_from_str(text).unwrap()[0]);
    assert_eq!(a, b);
    // Spot checks of what the import relies on.
    assert_eq!(a["services"]["vllm"]["labels"]["note"], "line one\n  indented two\n\nafter a blank\n");
    assert_eq!(a["services"]["vllm"]["labels"]["folded"], "a b\nc\n  kept\nd");
    assert_eq!(a["services"]["vllm"]["labels"]["keep"], "text\n\n");
}

#[test]
fn the_seed_reads_alike() {
    let text = include_str!("../profiles/medium.yml");
    assert_eq!(ours(&parse(text).unwrap()), theirs(&yaml_rust2::YamlLoader::load_from_str(text).unwrap()[0]));
}
