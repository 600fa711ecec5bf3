use super::*;

fn s(text: &str) -> Node {
    Node::Scalar {
        text: text.into(),
        plain: false,
    }
}
fn p(text: &str) -> Node {
    Node::Scalar {
        text: text.into(),
        plain: true,
    }
}

#[test]
fn reads_compose_shapes() {
    let doc = parse(
        "# comment\nservices:\n  vllm:   # \
            trailing\n    image: \"vllm/vllm-openai:v0.33.0\"\n    ports:\n      - \"${P:-5002}:5002\"\n    test: [\"CMD\", 'curl', -f]\n    env: {A: 1, 'B': \"x y\"}\n    deploy:\n      devices:\n        - driver: nvidia\n          count: 2\n          capabilities: [gpu]\n    list:\n    - a\n    - b # note\n",
    )
    .unwrap();
    let svc = doc.get("services").get("vllm");
    assert_eq!(svc.get("image"), &s("vllm/vllm-openai:v0.33.0"));
    assert_eq!(svc.get("ports").at(0), &s("${P:-5002}:5002"));
    assert_eq!(
        svc.get("test"),
        &Node::Seq(vec![s("CMD"), s("curl"), p("-f")])
    );
    assert_eq!(svc.get("env").get("A").as_i64(), Some(1));
    assert_eq!(svc.get("env").get("B"), &s("x y"));
    let dev = svc.get("deploy").get("devices").at(0);
    assert_eq!(
        (dev.get("driver").as_str(), dev.get("count").as_i64()),
        (Some("nvidia"), Some(2))
    );
    assert_eq!(dev.get("capabilities").at(0), &p("gpu"));
    assert_eq!(svc.get("list"), &Node::Seq(vec![p("a"), p("b")]));
}

#[test]
fn block_scalars_fold_and_keep() {
    let doc = parse(
        "a: >\n  --x 1   # not a comment\n  --y 2\n\n  --z\nb: \
            |-\n  one\n   two\nc: >-\n  w\n",
    )
    .unwrap();
    assert_eq!(doc.get("a"), &s("--x 1   # not a comment --y 2\n--z\n"));
    assert_eq!(doc.get("b"), &s("one\n two"));
    assert_eq!(doc.get("c"), &s("w"));
}

#[test]
fn quotes_escapes_anchors_and_nulls() {
    let doc = parse(
        "x: &d {k: v}\ny: *d\nz: 'it''s # \
        here'\nw: \"a\\\"b\\u00e9\\n\"\nn:\nm: ~\n",
    )
    .unwrap();
    assert_eq!(doc.get("y"), doc.get("x"));
    assert_eq!(doc.get("z"), &s("it's # here"));
    assert_eq!(doc.get("w"), &s("a\"bé\n"));
    assert_eq!((doc.get("n"), doc.get("m")), (&Node::Null, &Node::Null));
}

#[test]
fn errors_are_located() {
    let e = parse("services:\n  a:\n    image: [x\n").unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    let e = parse("a: 1\n   b: 2\n").unwrap_err();
    assert_eq!((e.line, e.col), (2, 4), "{e}");
    let e = parse("a: \"open\n").unwrap_err();
    assert_eq!(e.line, 1);
    let e = parse("a:\n\tb: 1\n").unwrap_err();
    assert!(e.message.contains("tabs"));
    assert!(parse("a: *nothing\n")
        .unwrap_err()
        .message
        .contains("alias"));
    // A lone plain scalar is a valid document (PyYAML reads it too); what follows it must fit.
    assert_eq!(
        parse("just text\n").unwrap(),
        Node::Scalar {
            text: "just text".into(),
            plain: true
        }
    );
    assert!(parse("just text\nkey: value\n").is_err());
}

#[test]
fn a_plain_scalar_may_start_on_the_line_under_its_key() {
    // shared/wild case 07: `command:` followed by indented words, as PyYAML reads it.
    let doc = parse("c:\n  --model q\n  --port 8000   # comment\n\n  --x\nd: 1\n").unwrap();
    assert_eq!(
        doc.get("c"),
        &Node::Scalar {
            text: "--model q --port 8000\n--x".into(),
            plain: true
        }
    );
    assert_eq!(doc.get("d").as_i64(), Some(1));
}

#[test]
fn a_block_scalar_at_the_end_of_a_file_without_a_line_break_keeps_none() {
    // shared/wild case 03: `command: >` is the last thing in the file, with no final newline.
    assert_eq!(parse("c: >\n  a\n  b").unwrap().get("c"), &s("a b"));
    assert_eq!(parse("c: >\n  a\n  b\n").unwrap().get("c"), &s("a b\n"));
    assert_eq!(parse("c: |+\n  a\n\n").unwrap().get("c"), &s("a\n\n"));
}
