//! A compact YAML reader for compose files: block mappings and sequences, flow collections,
//! plain/quoted/block scalars, comments, anchors, aliases. It replaces a general YAML library in
//! the browser build (−23 KB gzip); `tests/yaml_reader.rs` checks it against yaml-rust2 and PyYAML.
mod flow;
pub mod outline;
mod scalar;

pub use scalar::inline as inline_scalar;

use crate::limits;
use std::collections::HashMap;
use std::fmt;

/// A YAML node. Scalars keep their text; `plain` says whether it was unquoted (so `5` and `true`
/// may be read as a number or a boolean).
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Scalar { text: String, plain: bool },
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// A syntax error at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.col, self.message
        )
    }
}

static NULL: Node = Node::Null;

impl Node {
    /// The value under `key` of a mapping (Null when absent or not a mapping).
    pub fn get(&self, key: &str) -> &Node {
        match self {
            Node::Map(entries) => entries
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// Item `i` of a sequence (Null when absent).
    pub fn at(&self, i: usize) -> &Node {
        match self {
            Node::Seq(items) => items.get(i).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// A scalar's text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A plain scalar read as a whole number.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Node::Scalar { text, plain: true } => text.parse().ok(),
            _ => None,
        }
    }

    /// A plain scalar read as a boolean (YAML 1.2: true/false).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Node::Scalar { text, plain: true } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The node as JSON, plain scalars typed by the YAML 1.2 core schema (what Compose reads).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Node::Null => serde_json::Value::Null,
            Node::Scalar { text, plain: false } => text.clone().into(),
            Node::Scalar { text, plain: true } => {
                let float = text.contains('.')
                    && text
                        .chars()
                        .all(|c| c.is_ascii_digit() || "+-.eE".contains(c));
                if let Some(b) = self.as_bool() {
                    b.into()
                } else if let Ok(i) = text.parse::<i64>() {
                    i.into()
                } else if let Some(f) = text.parse::<f64>().ok().filter(|_| float) {
                    f.into()
                } else if ["null", "Null", "NULL", "~"].contains(&text.as_str()) {
                    serde_json::Value::Null
                } else {
                    text.clone().into()
                }
            }
            Node::Seq(items) => items.iter().map(Node::to_json).collect(),
            Node::Map(entries) => {
                // Inserted one by one: `collect()` would sort first (one more copy of the sort).
                let mut map = serde_json::Map::new();
                for (k, v) in entries {
                    map.insert(k.clone(), v.to_json());
                }
                map.into()
            }
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match self {
            Node::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(String, Node)]> {
        match self {
            Node::Map(entries) => Some(entries),
            _ => None,
        }
    }
}

/// Applies YAML merge keys (`<<: *defaults`, or a list of them), as Compose does: keys written in
/// the mapping win, then earlier merged mappings over later ones.
pub fn resolve_merges(y: &Node) -> Node {
    match y {
        Node::Map(entries) => {
            let mut out: Vec<(String, Node)> = entries
                .iter()
                .filter(|(k, _)| k != "<<")
                .map(|(k, v)| (k.clone(), resolve_merges(v)))
                .collect();
            let sources: Vec<&Node> = match y.get("<<") {
                Node::Seq(list) => list.iter().collect(),
                Node::Null => vec![],
                other => vec![other],
            };
            for source in sources {
                if let Node::Map(merged) = resolve_merges(source) {
                    for (k, v) in merged {
                        if !out.iter().any(|(x, _)| *x == k) {
                            out.push((k, v));
                        }
                    }
                }
            }
            Node::Map(out)
        }
        Node::Seq(items) => Node::Seq(items.iter().map(resolve_merges).collect()),
        other => other.clone(),
    }
}

/// One source line: its number, indentation and text.
struct Line<'a> {
    no: usize,
    indent: usize,
    text: &'a str,
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    /// Whether the text ends with a line break (a block scalar on the last line keeps one only
    /// then).
    final_newline: bool,
    pos: usize,
    /// Anchored nodes and their sizes in nodes.
    anchors: HashMap<String, (Node, u64)>,
    budget: Budget,
    /// Block collections open around the current line.
    depth: usize,
}

/// Nodes decoded so far and how many of them came from aliases (go-yaml's decode and alias
/// counts, checked with [`limits::aliasing_allowed`]).
#[derive(Default)]
pub(crate) struct Budget {
    pub decoded: u64,
    pub from_aliases: u64,
}

impl Budget {
    /// Accounts for an alias that copies `size` nodes, or refuses it.
    pub fn alias(&mut self, size: u64) -> Result<(), String> {
        self.decoded += size;
        self.from_aliases += size;
        if limits::aliasing_allowed(self.decoded, self.from_aliases) {
            Ok(())
        } else {
            Err(format!(
                "aliases expand to {} of the {} nodes read so far: excessive aliasing, which \
                    Compose (go-yaml) refuses too",
                self.from_aliases, self.decoded
            ))
        }
    }
}

pub(crate) fn too_deep() -> String {
    format!(
        "collections nest more than {} deep; such files are not read",
        limits::MAX_DEPTH
    )
}

/// Nodes in `n` (itself included).
fn size(n: &Node) -> u64 {
    1 + match n {
        Node::Seq(items) => items.iter().map(size).sum(),
        Node::Map(entries) => entries.iter().map(|(_, v)| 1 + size(v)).sum(),
        _ => 0,
    }
}

fn err<T>(line: usize, col: usize, message: impl Into<String>) -> Result<T, YamlError> {
    Err(YamlError {
        line,
        col,
        message: message.into(),
    })
}

/// Reads the first document of `text`.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    limits::check_document(text).map_err(|e| YamlError {
        line: e.line,
        col: e.col,
        message: e.message,
    })?;
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let body = raw.trim_start_matches(' ');
        if body.starts_with('\t') {
            return err(i + 1, raw.len() - body.len() + 1, "tabs cannot indent YAML");
        }
        lines.push(Line {
            no: i + 1,
            indent: raw.len() - body.len(),
            text: raw,
        });
    }
    let mut p = Parser {
        lines,
        final_newline: text.ends_with('\n'),
        pos: 0,
        anchors: HashMap::new(),
        budget: Budget::default(),
        depth: 0,
    };
    p.skip_blank();
    if p.peek().is_some_and(|l| l.text.trim_end() == "---") {
        p.pos += 1;
        p.skip_blank();
    }
    let Some(first) = p.peek() else {
        return Ok(Node::Null);
    };
    let indent = first.indent;
    let node = p.block(indent)?;
    p.skip_blank();
    if let Some(l) = p.peek() {
        let t = l.text.trim_end();
        if t != "---" && t != "..." {
            return err(
                l.no,
                l.indent + 1,
                "this line does not fit the structure above it (check its indentation)",
            );
        }
    }
    Ok(node)
}

/// Whether a line is blank or a comment.
fn is_blank(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t.starts_with('#')
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Line<'a>> {
        self.lines.get(self.pos)
    }

    fn skip_blank(&mut self) {
        while self.peek().is_some_and(|l| is_blank(l.text)) {
            self.pos += 1;
        }
    }

    /// A block node whose lines start at column `indent`.
    fn block(&mut self, indent: usize) -> Result<Node, YamlError> {
        self.skip_blank();
        let Some(line) = self.peek() else {
            return Ok(Node::Null);
        };
        if self.depth >= limits::MAX_DEPTH {
            return err(line.no, line.indent + 1, too_deep());
        }
        let content = &line.text[line.indent..];
        self.depth += 1;
        let node = if content == "-" || content.starts_with("- ") {
            self.sequence(indent)
        } else if scalar::mapping_key(content).is_none()
            && !content.starts_with(['[', '{', '"', '\'', '&', '*', '|', '>'])
        {
            Ok(self.plain_lines(indent))
        } else {
            self.mapping(indent, None)
        };
        self.depth -= 1;
        node
    }

    /// A plain scalar that starts on its own line under a key (`command:` then indented
    /// words): its lines fold into one text, a blank line into a line break.
    fn plain_lines(&mut self, indent: usize) -> Node {
        let mut text = String::new();
        let mut breaks = 0;
        while let Some(l) = self.peek() {
            if l.text.trim().is_empty() {
                breaks += 1;
                self.pos += 1;
                continue;
            }
            let body = &l.text[l.indent..];
            // `key: value` cannot continue a plain scalar (PyYAML: "mapping values are not
            // allowed here"); the caller reports the line.
            if l.indent < indent || body.starts_with('#') || scalar::mapping_key(body).is_some() {
                break;
            }
            if !text.is_empty() {
                text.push_str(&if breaks > 0 {
                    "\n".repeat(breaks)
                } else {
                    " ".into()
                });
            }
            breaks = 0;
            text.push_str(scalar::strip_comment(l.text.trim()));
            self.pos += 1;
        }
        // Blank lines after the scalar are not part of it.
        while self.pos > 0 && self.lines[self.pos - 1].text.trim().is_empty() && breaks > 0 {
            self.pos -= 1;
            breaks -= 1;
        }
        Node::Scalar { text, plain: true }
    }

    fn sequence(&mut self, indent: usize) -> Result<Node, YamlError> {
        let mut items = Vec::new();
        loop {
            self.skip_blank();
            let Some(line) = self.peek() else { break };
            let content = &line.text[line.indent..];
            if line.indent != indent || !(content == "-" || content.starts_with("- ")) {
                if line.indent > indent {
                    return err(
                        line.no,
                        line.indent + 1,
                        "unexpected indentation inside a list",
                    );
                }
                break;
            }
            let (no, rest_col) = (line.no, line.indent + 2);
            let rest = scalar::strip_comment(content[1..].trim_start());
            self.pos += 1;
            if rest.is_empty() {
                items.push(self.nested(indent)?);
            } else if rest == "-" || rest.starts_with("- ") {
                // `- - x`: a list inside a list item.
                let col = line_col(self.lines[self.pos - 1].text, rest);
                self.pos -= 1;
                let saved = self.lines[self.pos].text;
                self.lines[self.pos] = Line {
                    no,
                    indent: col,
                    text: saved,
                };
                items.push(self.sequence(col)?);
            } else if scalar::mapping_key(rest).is_some()
                && !rest.starts_with(['[', '{', '"', '\''])
            {
                // `- key: value` opens a mapping whose keys align with `key`.
                let col = line_col(self.lines[self.pos - 1].text, rest).max(rest_col);
                items.push(self.mapping(col, Some((no, rest)))?);
            } else {
                items.push(self.value(no, rest_col, rest, indent)?);
            }
        }
        Ok(Node::Seq(items))
    }

    /// A mapping at `indent`; `first` is an entry already read from a `- key: value` line.
    fn mapping(
        &mut self,
        indent: usize,
        mut first: Option<(usize, &'a str)>,
    ) -> Result<Node, YamlError> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        loop {
            let (no, content) = match first.take() {
                Some(f) => f,
                None => {
                    self.skip_blank();
                    let Some(line) = self.peek() else { break };
                    if line.indent < indent {
                        break;
                    }
                    if line.indent > indent {
                        return err(
                            line.no,
                            line.indent + 1,
                            "unexpected indentation (a key here must line up with the keys above)",
                        );
                    }
                    let content = &line.text[line.indent..];
                    if content == "-" || content.starts_with("- ") {
                        break;
                    }
                    let no = line.no;
                    self.pos += 1;
                    (no, content)
                }
            };
            if content.trim_end() == "---" || content.trim_end() == "..." {
                self.pos -= 1;
                break;
            }
            let Some((key, rest)) = scalar::mapping_key(content) else {
                return err(no, indent + 1, "expected `key: value`");
            };
            let key = scalar::key_text(key).map_err(|m| YamlError {
                line: no,
                col: indent + 1,
                message: m,
            })?;
            let rest = scalar::strip_comment(rest.trim_start());
            let col = indent + content.len() - rest.len() + 1;
            let value = if rest.is_empty() {
                self.nested_or_same_indent_seq(indent)?
            } else {
                self.value(no, col, rest, indent)?
            };
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }

    /// The block under a key or item with nothing after it: more indented lines, or (for keys)
    /// a list at the same indentation.
    fn nested(&mut self, indent: usize) -> Result<Node, YamlError> {
        self.skip_blank();
        match self.peek() {
            Some(l) if l.indent > indent => {
                let i = l.indent;
                self.block(i)
            }
            _ => Ok(Node::Null),
        }
    }

    fn nested_or_same_indent_seq(&mut self, indent: usize) -> Result<Node, YamlError> {
        self.skip_blank();
        match self.peek() {
            Some(l)
                if l.indent == indent
                    && (l.text[l.indent..] == *"-" || l.text[l.indent..].starts_with("- ")) =>
            {
                self.sequence(indent)
            }
            _ => self.nested(indent),
        }
    }

    /// A value written after `key:` or `- ` on line `no` at column `col`.
    fn value(
        &mut self,
        no: usize,
        col: usize,
        rest: &'a str,
        parent: usize,
    ) -> Result<Node, YamlError> {
        let mut rest = rest;
        let mut anchor = None;
        if let Some(a) = rest.strip_prefix('&') {
            let end = a.find(' ').unwrap_or(a.len());
            anchor = Some(a[..end].to_string());
            rest = a[end..].trim_start();
        }
        self.budget.decoded += 1;
        let node = if let Some(name) = rest.strip_prefix('*') {
            match self.anchors.get(name.trim()) {
                Some((n, size)) => {
                    // Counted before it is copied: an alias bomb stops here, not in memory.
                    if let Err(m) = self.budget.alias(*size) {
                        return err(no, col, m);
                    }
                    n.clone()
                }
                None => return err(no, col, format!("unknown alias `*{}`", name.trim())),
            }
        } else if rest.is_empty() {
            self.nested_or_same_indent_seq(parent)?
        } else if rest.starts_with(['|', '>']) {
            self.block_scalar(no, col, rest, parent)?
        } else if rest.starts_with(['[', '{']) {
            // A flow collection may continue on the next lines until its brackets close.
            let mut text = rest.to_string();
            while !flow::balanced(&text) {
                let Some(l) = self.peek() else {
                    return err(no, col, "a `[` or `{` is never closed");
                };
                text.push(' ');
                text.push_str(scalar::strip_comment(l.text.trim()));
                self.pos += 1;
            }
            flow::parse(&text, &self.anchors, &mut self.budget, self.depth).map_err(|(c, m)| {
                YamlError {
                    line: no,
                    col: col + c,
                    message: m,
                }
            })?
        } else {
            let mut node = scalar::inline(rest).map_err(|(c, m)| YamlError {
                line: no,
                col: col + c,
                message: m,
            })?;
            // A plain scalar may continue on more indented lines (folded with spaces).
            if let Node::Scalar { text, plain: true } = &mut node {
                while let Some(l) = self.peek() {
                    if is_blank(l.text)
                        || l.indent <= parent
                        || scalar::mapping_key(&l.text[l.indent..]).is_some()
                    {
                        break;
                    }
                    text.push(' ');
                    text.push_str(scalar::strip_comment(l.text.trim()));
                    self.pos += 1;
                }
            }
            node
        };
        if let Some(a) = anchor {
            let n = size(&node);
            self.anchors.insert(a, (node.clone(), n));
        }
        Ok(node)
    }

    /// `|` / `>` with optional chomping (`-`, `+`) and indentation digit.
    fn block_scalar(
        &mut self,
        no: usize,
        col: usize,
        header: &str,
        parent: usize,
    ) -> Result<Node, YamlError> {
        let folded = header.starts_with('>');
        let mut chomp = ' ';
        let mut explicit = None;
        for c in header[1..].trim().chars() {
            match c {
                '-' | '+' => chomp = c,
                d if d.is_ascii_digit() && d != '0' => explicit = Some(d as usize - '0' as usize),
                _ => {
                    return err(
                        no,
                        col,
                        "a block scalar header is `|` or `>`, optionally with `-`, `+` \
                            or a digit",
                    )
                }
            }
        }
        let start = self.pos;
        let mut content_indent = explicit.map(|e| parent + e);
        let mut end = start;
        while let Some(l) = self.lines.get(end) {
            if l.text.trim().is_empty() {
                end += 1;
                continue;
            }
            let ci = *content_indent.get_or_insert(l.indent);
            if l.indent < ci || l.indent <= parent {
                break;
            }
            end += 1;
        }
        // Trailing blank lines belong to the scalar only for chomping.
        let mut last = end;
        while last > start && self.lines[last - 1].text.trim().is_empty() {
            last -= 1;
        }
        let ci = content_indent.unwrap_or(parent + 1);
        let body: Vec<&str> = self.lines[start..last]
            .iter()
            .map(|l| if l.text.len() > ci { &l.text[ci..] } else { "" })
            .collect();
        self.pos = end;
        let mut out = if folded {
            scalar::fold(&body)
        } else {
            body.join("\n")
        };
        let trailing = end - last;
        // The last content line's own line break is missing when it ends the file.
        let own_break = usize::from(last < self.lines.len() || self.final_newline);
        match chomp {
            '-' => {}
            '+' => out.push_str(&"\n".repeat(own_break + trailing)),
            _ if !body.is_empty() => out.push_str(&"\n".repeat(own_break)),
            _ => {}
        }
        Ok(Node::Scalar {
            text: out,
            plain: false,
        })
    }
}

/// The 0-based column of `rest` inside `line` (both slices of the same text).
fn line_col(line: &str, rest: &str) -> usize {
    (rest.as_ptr() as usize).saturating_sub(line.as_ptr() as usize)
}

#[cfg(test)]
mod tests;
