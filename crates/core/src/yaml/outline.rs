//! Where things are in a compose file: the line ranges of each service and of each of its
//! entries (`image:`, `command:` …), so that an edit replaces exactly those lines and every other
//! byte of the file — comments, key order, quoting, anchors, other services — stays as written.
//! Block-style mappings only; a service written in flow style (`{…}`) has no entries here, and
//! edits to it are refused by the caller.
use super::scalar::{key_text, mapping_key};

/// One entry of a service: its key and lines `start..end` (end exclusive), without the blank
/// or comment lines that follow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntrySpan {
    pub key: String,
    pub start: usize,
    pub end: usize,
}

/// One service: the line of its key, the indentation of its entries and the entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceSpan {
    pub name: String,
    pub key_line: usize,
    /// Columns of indentation of the entries (`None`: no block entries).
    pub entry_indent: Option<usize>,
    pub entries: Vec<EntrySpan>,
}

impl ServiceSpan {
    /// The entry under `key`.
    pub fn entry(&self, key: &str) -> Option<&EntrySpan> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// Columns of leading spaces.
pub fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Whether a line holds nothing but spaces or a comment.
pub fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The key of a `key: …` line at its indentation, unquoted.
fn key_of(line: &str) -> Option<String> {
    let (key, _) = mapping_key(line.trim_start())?;
    key_text(key).ok()
}

/// The children of the block that starts after `parent` and holds the lines up to `end`: each
/// `key:` line at the block's indentation with the range of lines it owns.
fn children(lines: &[&str], parent: usize, end: usize) -> (Option<usize>, Vec<EntrySpan>) {
    let Some(first) = (parent + 1..end).find(|&i| !is_blank_or_comment(lines[i])) else {
        return (None, Vec::new());
    };
    let indent = indent_of(lines[first]);
    // A parent written in flow style (`svc: {image: x}`) has no block children.
    if indent <= indent_of(lines[parent]) && parent > 0 {
        return (None, Vec::new());
    }
    let mut out: Vec<EntrySpan> = Vec::new();
    for (i, line) in lines.iter().enumerate().take(end).skip(first) {
        if is_blank_or_comment(line) || indent_of(line) != indent {
            continue;
        }
        if let Some(key) = key_of(line) {
            out.push(EntrySpan {
                key,
                start: i,
                end: i + 1,
            });
        }
    }
    // Each entry runs to the last content line before the next entry (or the block's end).
    let starts: Vec<usize> = out.iter().map(|e| e.start).skip(1).chain([end]).collect();
    for (entry, next) in out.iter_mut().zip(starts) {
        let mut last = next;
        while last > entry.start + 1 && is_blank_or_comment(lines[last - 1]) {
            last -= 1;
        }
        entry.end = last;
    }
    (Some(indent), out)
}

/// The services of a compose file, in file order (empty when there is no block `services:`).
pub fn services(text: &str) -> Vec<ServiceSpan> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(top) = lines
        .iter()
        .position(|l| indent_of(l) == 0 && key_of(l).as_deref() == Some("services"))
    else {
        return Vec::new();
    };
    // The `services:` block ends at the next top-level line that is not a comment.
    let end = (top + 1..lines.len())
        .find(|&i| !is_blank_or_comment(lines[i]) && indent_of(lines[i]) == 0)
        .unwrap_or(lines.len());
    let (_, names) = children(&lines, top, end);
    names
        .into_iter()
        .map(|svc| {
            let (entry_indent, entries) = children(&lines, svc.start, svc.end);
            ServiceSpan {
                name: svc.key,
                key_line: svc.start,
                entry_indent,
                entries,
            }
        })
        .collect()
}

/// The byte offset where each line starts, plus the text's length at the end.
pub fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            starts.push(i + 1);
        }
    }
    if starts.last() != Some(&text.len()) {
        starts.push(text.len());
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_services_and_their_entries() {
        let text =
            "name: x\nservices:\n  # the server\n  vllm:\n    image: a\n    command: >\n      \
                    --x 1\n\n      --y\n    # note\n  other:\n    image: b\nvolumes:\n  v: {}\n";
        let s = services(text);
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].name.as_str(), s[0].key_line, s[0].entry_indent),
            ("vllm", 3, Some(4))
        );
        let keys: Vec<_> = s[0]
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.start, e.end))
            .collect();
        assert_eq!(keys, [("image", 4, 5), ("command", 5, 9)]);
        assert_eq!(s[1].entry("image").map(|e| e.start), Some(11));
        assert_eq!(line_starts("a\nbc\n"), [0, 2, 5]);
        assert_eq!(line_starts("a\nbc"), [0, 2, 4]);
    }
}
