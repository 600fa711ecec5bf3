//! Python's `json` module writes and reads `NaN`, `Infinity` and `-Infinity`, and Hugging Face
//! config.json files contain them (Nemotron-H's `"time_step_limit": [0.0, Infinity]`); strict
//! JSON has no such tokens. Shared by the build script and the config.json reader.
use std::borrow::Cow;

/// The text with each `NaN`, `Infinity` or `-Infinity` outside a string replaced by `null`, so
/// a strict JSON parser reads it; other text is returned untouched (borrowed).
pub fn strict_json(text: &str) -> Cow<'_, str> {
    if !text.contains("NaN") && !text.contains("Infinity") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if let Some(token) = ["-Infinity", "Infinity", "NaN"]
            .into_iter()
            .find(|t| rest.starts_with(t))
        {
            out.push_str("null");
            rest = &rest[token.len()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::strict_json;

    #[test]
    fn python_tokens_outside_strings_become_null() {
        assert_eq!(
            strict_json(r#"{"a": [0.0, Infinity, -Infinity, NaN], "b": "NaN Infinity \" NaN"}"#),
            r#"{"a": [0.0, null, null, null], "b": "NaN Infinity \" NaN"}"#
        );
        assert!(matches!(
            strict_json("{\"a\": 1}"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
