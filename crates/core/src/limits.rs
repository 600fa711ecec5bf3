//! Bounds on untrusted input (compose files, launch lines, links, `.env`, config.json): every
//! decoder checks them first, so a hostile file is refused with a located message in bounded
//! time and memory, and the current profile is never touched. The README lists them.
//!
//! Where a reference implementation sets a limit we follow it: the alias rule is go-yaml v3's
//! (`decode.go::allowedAliasRatio`, which Docker Compose parses with). Nesting: go-yaml stops at
//! 10,000 (`parserc.go`, "exceeded max depth"); Rust YAML readers whose recursion runs on the
//! native stack cap far lower — serde-yaml has a recursion limit (dtolnay/serde-yaml#105),
//! yaml-edit caps block and flow nesting at 256 (jelmer/yaml-edit#70), yaml-rust2 0.12 has no
//! cap on block nesting and overflows (bug-ops/deps-lsp#174) — and so do we, at 256: the
//! browser's wasm stack is 1 MiB.

/// A compose file, launch line or vLLM `--config` file (real ones are a few KiB; the largest of
/// `shared/wild` is 32 KiB).
pub const MAX_DOCUMENT_BYTES: usize = 4 << 20;
/// One line of such a file.
pub const MAX_LINE_BYTES: usize = 256 << 10;
/// Nested block and flow collections.
pub const MAX_DEPTH: usize = 256;
/// A share link's query (browsers keep URLs of 2 MB; links here are a few hundred bytes).
pub const MAX_LINK_BYTES: usize = 64 << 10;
/// Keys in one share link (the format has about 400).
pub const MAX_LINK_KEYS: usize = 2_000;
/// A pasted config.json (the largest published ones are under 100 KiB).
pub const MAX_CONFIG_JSON_BYTES: usize = 1 << 20;
/// Words of one launch line.
pub const MAX_COMMAND_WORDS: usize = 20_000;
/// A pasted or read `.env`.
pub const MAX_DOTENV_BYTES: usize = 1 << 20;

/// A limit crossed, where.
#[derive(Clone, Debug, PartialEq)]
pub struct Exceeded {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Size, line length and characters of a text document (YAML 1.2 allows no C0 control
/// character but tab, line feed and carriage return: §5.1, as go-yaml enforces).
pub fn check_document(text: &str) -> Result<(), Exceeded> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(Exceeded {
            line: 1,
            col: 1,
            message: format!(
                "the file is {} bytes; files over {} MiB are not read",
                text.len(),
                MAX_DOCUMENT_BYTES >> 20
            ),
        });
    }
    for (i, line) in text.split('\n').enumerate() {
        if line.len() > MAX_LINE_BYTES {
            return Err(Exceeded {
                line: i + 1,
                col: MAX_LINE_BYTES + 1,
                message: format!(
                    "line {} is {} bytes long; lines over {} KiB are not read",
                    i + 1,
                    line.len(),
                    MAX_LINE_BYTES >> 10
                ),
            });
        }
        if let Some((at, c)) = line
            .char_indices()
            .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\r') && (*c as u32) < 0x20)
        {
            return Err(Exceeded {
                line: i + 1,
                col: line[..at].chars().count() + 1,
                message: format!(
                    "control character U+{:04X} at line {}: YAML and Compose do not allow it",
                    c as u32,
                    i + 1
                ),
            });
        }
    }
    Ok(())
}

/// Bytes read from a file as text, or where they stop being UTF-8.
pub fn utf8(bytes: &[u8]) -> Result<&str, Exceeded> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let start = good.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
        let col = String::from_utf8_lossy(&good[start..]).chars().count() + 1;
        Exceeded {
            line,
            col,
            message: format!("line {line}, column {col}: the file is not valid UTF-8 text"),
        }
    })
}

/// go-yaml v3's rule for alias expansion: once more than 100 nodes came from aliases and more
/// than 1,000 were decoded, the share from aliases may be 99 % up to 400,000 nodes, falling to
/// 10 % at 4,000,000 (`allowedAliasRatio`).
pub fn aliasing_allowed(decoded: u64, from_aliases: u64) -> bool {
    if from_aliases <= 100 || decoded <= 1000 {
        return true;
    }
    let (low, high) = (400_000.0, 4_000_000.0);
    let d = decoded as f64;
    let allowed = if d <= low {
        0.99
    } else if d >= high {
        0.10
    } else {
        0.99 - 0.89 * (d - low) / (high - low)
    };
    from_aliases as f64 / d <= allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_located() {
        assert!(check_document("a: 1\n").is_ok());
        let e = check_document("a: 1\nb: x\0y\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 5));
        let long = format!("a: {}\n", "x".repeat(MAX_LINE_BYTES));
        assert_eq!(check_document(&long).unwrap_err().line, 1);
        let e = utf8(b"a: 1\nb: \xff\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 4));
        // go-yaml's examples: 99 % from aliases is fine for a small document, not for a big one.
        assert!(aliasing_allowed(10_000, 9_900));
        assert!(!aliasing_allowed(10_000, 9_950));
        assert!(!aliasing_allowed(5_000_000, 600_000));
    }
}
