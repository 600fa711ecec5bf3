//! Scalars on one line: comments, keys, quoted and plain values, and folding.
use super::Node;

/// The text without a trailing comment (`# …` after a space, outside quotes), trimmed at the end.
pub fn strip_comment(s: &str) -> &str {
    let mut i = 0;
    let mut prev = ' ';
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        if (c == '"' || c == '\'') && " [{,:-".contains(prev) {
            if let Some(end) = closing_quote(&s[i..]) {
                i += end + 1;
                prev = c;
                continue;
            }
        }
        if c == '#' && (prev == ' ' || prev == '\t') {
            return s[..i].trim_end();
        }
        prev = c;
        i += c.len_utf8();
    }
    s.trim_end()
}

/// The byte index of the quote that closes the one at index 0, if any.
pub fn closing_quote(s: &str) -> Option<usize> {
    let q = s.chars().next()?;
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
        } else if c == q {
            if q == '\'' && chars.peek().map(|x| x.1) == Some('\'') {
                chars.next();
                continue;
            }
            return Some(i);
        }
    }
    None
}

/// Splits `key: rest` (or `key:` at the end); `None` when the line is not a mapping entry.
pub fn mapping_key(s: &str) -> Option<(&str, &str)> {
    if s.starts_with('"') || s.starts_with('\'') {
        let end = closing_quote(s)?;
        let after = s[end + 1..].trim_start_matches(' ');
        let rest = after.strip_prefix(':')?;
        return (rest.is_empty() || rest.starts_with(' ')).then(|| (&s[..=end], rest));
    }
    if s.starts_with(['[', '{', '#', '|', '>', '*', '!', '&']) {
        return None;
    }
    let bytes = s.as_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'#' && i > 0 && bytes[i - 1] == b' ' {
            return None;
        }
        if bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') && i > 0 {
            return Some((s[..i].trim_end(), &s[i + 1..]));
        }
    }
    None
}

/// A key's text (quoted keys unquoted).
pub fn key_text(key: &str) -> Result<String, String> {
    match inline(key) {
        Ok(Node::Scalar { text, .. }) => Ok(text),
        Ok(Node::Null) => Ok("null".into()),
        Ok(_) => Err("a key must be a scalar".into()),
        Err((_, m)) => Err(m),
    }
}

/// A scalar written on one line: double-quoted, single-quoted or plain.
pub fn inline(s: &str) -> Result<Node, (usize, String)> {
    let s = s.trim();
    if s.starts_with('"') || s.starts_with('\'') {
        let end =
            closing_quote(s).ok_or((0, "a quote is never closed on this line".to_string()))?;
        if !s[end + 1..].trim().is_empty() {
            return Err((end + 1, "unexpected text after the closing quote".into()));
        }
        let body = &s[1..end];
        let text = if s.starts_with('"') {
            unescape(body).map_err(|m| (1, m))?
        } else {
            body.replace("''", "'")
        };
        return Ok(Node::Scalar { text, plain: false });
    }
    if s.is_empty() || s == "~" || s == "null" || s == "Null" || s == "NULL" {
        return Ok(Node::Null);
    }
    Ok(Node::Scalar {
        text: s.to_string(),
        plain: true,
    })
}

/// Double-quoted escapes.
fn unescape(body: &str) -> Result<String, String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next().ok_or("a backslash ends the string")?;
        let hex = |n: usize, chars: &mut std::str::Chars| -> Result<char, String> {
            let digits: String = chars.take(n).collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad escape \\{e}{digits}"))
        };
        out.push(match e {
            'n' => '\n',
            't' | '\t' => '\t',
            'r' => '\r',
            '0' => '\0',
            'a' => '\x07',
            'b' => '\x08',
            'e' => '\x1b',
            'f' => '\x0c',
            'v' => '\x0b',
            ' ' => ' ',
            '"' | '\\' | '/' => e,
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'x' => hex(2, &mut chars)?,
            'u' => hex(4, &mut chars)?,
            'U' => hex(8, &mut chars)?,
            other => return Err(format!("unknown escape \\{other}")),
        });
    }
    Ok(out)
}

/// Folds block-scalar lines (`>`): line breaks between text lines become spaces, each blank line
/// one newline, and more-indented lines keep their breaks.
pub fn fold(body: &[&str]) -> String {
    let mut out = String::new();
    for (i, line) in body.iter().enumerate() {
        if i == 0 {
            out.push_str(if line.is_empty() { "\n" } else { line });
            continue;
        }
        let prev = body[i - 1];
        if line.is_empty() {
            out.push('\n');
            continue;
        }
        if !prev.is_empty() {
            out.push(if prev.starts_with(' ') || line.starts_with(' ') {
                '\n'
            } else {
                ' '
            });
        }
        out.push_str(line);
    }
    out
}
