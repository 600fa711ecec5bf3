//! Flow collections: `[a, "b"]` and `{k: v}`.
use super::scalar::{closing_quote, inline};
use super::{too_deep, Budget, Node};
use crate::limits;
use std::collections::HashMap;

/// Whether every `[`/`{` outside quotes is closed.
pub fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let c = rest.chars().next().unwrap_or(' ');
        if c == '"' || c == '\'' {
            match closing_quote(rest) {
                Some(end) => i += end + 1,
                None => return false,
            }
            continue;
        }
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => depth -= 1,
            _ => {}
        }
        i += c.len_utf8();
    }
    depth <= 0
}

struct Flow<'a> {
    s: &'a str,
    i: usize,
    anchors: &'a HashMap<String, (Node, u64)>,
    budget: &'a mut Budget,
    depth: usize,
}

type R<T> = Result<T, (usize, String)>;

/// Reads a flow collection nested `depth` deep; errors carry the column offset within `text`.
pub fn parse(
    text: &str,
    anchors: &HashMap<String, (Node, u64)>,
    budget: &mut Budget,
    depth: usize,
) -> R<Node> {
    let mut f = Flow {
        s: text,
        i: 0,
        anchors,
        budget,
        depth,
    };
    let node = f.node(false)?;
    f.space();
    if f.i < f.s.len() {
        return Err((f.i, "unexpected text after the closing bracket".into()));
    }
    Ok(node)
}

impl Flow<'_> {
    fn space(&mut self) {
        while self.s[self.i..].starts_with([' ', '\t']) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }

    fn node(&mut self, is_key: bool) -> R<Node> {
        self.space();
        self.budget.decoded += 1;
        let opens = matches!(self.peek(), Some('[' | '{'));
        if opens {
            self.depth += 1;
            if self.depth > limits::MAX_DEPTH {
                return Err((self.i, too_deep()));
            }
        }
        let node = self.node_at(is_key);
        if opens {
            self.depth -= 1;
        }
        node
    }

    fn node_at(&mut self, is_key: bool) -> R<Node> {
        match self.peek() {
            Some('[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.space();
                    match self.peek() {
                        Some(']') => {
                            self.i += 1;
                            return Ok(Node::Seq(items));
                        }
                        None => return Err((self.i, "a `[` is never closed".into())),
                        _ => {}
                    }
                    items.push(self.node(false)?);
                    self.space();
                    match self.peek() {
                        Some(',') => self.i += 1,
                        Some(']') => {}
                        _ => return Err((self.i, "expected `,` or `]`".into())),
                    }
                }
            }
            Some('{') => {
                self.i += 1;
                let mut entries = Vec::new();
                loop {
                    self.space();
                    match self.peek() {
                        Some('}') => {
                            self.i += 1;
                            return Ok(Node::Map(entries));
                        }
                        None => return Err((self.i, "a `{` is never closed".into())),
                        _ => {}
                    }
                    let key = match self.node(true)? {
                        Node::Scalar { text, .. } => text,
                        _ => return Err((self.i, "a key must be a scalar".into())),
                    };
                    self.space();
                    let value = if self.peek() == Some(':') {
                        self.i += 1;
                        self.node(false)?
                    } else {
                        Node::Null
                    };
                    entries.push((key, value));
                    self.space();
                    match self.peek() {
                        Some(',') => self.i += 1,
                        Some('}') => {}
                        _ => return Err((self.i, "expected `,` or `}`".into())),
                    }
                }
            }
            Some('"') | Some('\'') => {
                let rest = &self.s[self.i..];
                let end =
                    closing_quote(rest).ok_or((self.i, "a quote is never closed".to_string()))?;
                let node = inline(&rest[..=end]).map_err(|(c, m)| (self.i + c, m))?;
                self.i += end + 1;
                Ok(node)
            }
            Some('*') => {
                let start = self.i + 1;
                let end = self.s[start..]
                    .find([',', ']', '}', ' '])
                    .map_or(self.s.len(), |e| start + e);
                self.i = end;
                let (node, size) = self
                    .anchors
                    .get(&self.s[start..end])
                    .ok_or((start, format!("unknown alias `*{}`", &self.s[start..end])))?;
                // Counted before it is copied: an alias bomb stops here, not in memory.
                self.budget.alias(*size).map_err(|m| (start, m))?;
                Ok(node.clone())
            }
            _ => {
                let start = self.i;
                let bytes = self.s.as_bytes();
                while self.i < bytes.len() {
                    let b = bytes[self.i];
                    let colon_ends = b == b':'
                        && (self.i + 1 == bytes.len() || b" ,]}".contains(&bytes[self.i + 1]));
                    if b == b',' || b == b']' || b == b'}' || (is_key && colon_ends) {
                        break;
                    }
                    self.i += 1;
                }
                inline(&self.s[start..self.i]).map_err(|(c, m)| (start + c, m))
            }
        }
    }
}
