//! Shell-style words, as Compose splits a string `command:` (POSIX-like quoting).

/// Splits a command string into words: single quotes keep everything, double quotes allow
/// `\"` and `\\`, a backslash outside quotes escapes the next character. Error on an open quote.
pub fn split(text: &str) -> Result<Vec<String>, String> {
    Ok(split_marked(text)?.into_iter().map(|(w, _)| w).collect())
}

/// Like [`split`], and marks each word that starts with an unquoted `#` (a note someone meant
/// as a comment; Compose would pass it on as an argument).
pub fn split_marked(text: &str) -> Result<Vec<(String, bool)>, String> {
    let mut words: Vec<(String, bool)> = Vec::new();
    let mut bare_hash = false;
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if words.len() > crate::limits::MAX_COMMAND_WORDS {
            return Err(format!(
                "the command has over {} words; such commands are not read",
                crate::limits::MAX_COMMAND_WORDS
            ));
        }
        match c {
            '\'' => {
                if !in_word {
                    bare_hash = false;
                }
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => word.push(ch),
                        None => return Err("a single quote is never closed".into()),
                    }
                }
            }
            '"' => {
                if !in_word {
                    bare_hash = false;
                }
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') if matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) => {
                            word.push(chars.next().unwrap())
                        }
                        Some(ch) => word.push(ch),
                        None => return Err("a double quote is never closed".into()),
                    }
                }
            }
            '\\' => {
                if !in_word {
                    bare_hash = false;
                }
                in_word = true;
                if let Some(ch) = chars.next() {
                    word.push(ch);
                }
            }
            // Compose interpolates before it splits: a `${VAR:-two words}` is one unit here,
            // and expands into words of its own later (`interpolate::effective`).
            '$' if chars.peek() == Some(&'{') => {
                if !in_word {
                    bare_hash = false;
                }
                in_word = true;
                word.push('$');
                let mut depth = 0;
                for ch in chars.by_ref() {
                    word.push(ch);
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push((std::mem::take(&mut word), bare_hash));
                    in_word = false;
                }
            }
            c => {
                if !in_word {
                    bare_hash = c == '#';
                }
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push((word, bare_hash));
    }
    Ok(words)
}

/// Quotes a word so `split` (and a POSIX shell) gives it back unchanged.
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=,+@%".contains(&b));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_compose() {
        let words = split(r#"--a 1 --json '{"k": "v w"}' "x\"y" a\ b"#).unwrap();
        assert_eq!(
            words,
            ["--a", "1", "--json", r#"{"k": "v w"}"#, "x\"y", "a b"]
        );
        assert!(split("--a 'open").is_err());
        assert_eq!(split("  ").unwrap(), Vec::<String>::new());
        assert_eq!(split("''").unwrap(), [""]);
        let marked = split_marked("--a 1 # note '#x' \\#y").unwrap();
        let bare: Vec<bool> = marked.iter().map(|(_, b)| *b).collect();
        assert_eq!(bare, [false, false, true, false, false, false]);
    }

    #[test]
    fn quoting_round_trips() {
        for w in [
            "plain",
            "",
            "it's",
            r#"{"a": [1, 2]}"#,
            "a b",
            "$HOME",
            "#x",
            "é",
        ] {
            assert_eq!(split(&quote(w)).unwrap(), [w], "{w}");
        }
        assert_eq!(quote("Qwen/Qwen3-32B-AWQ"), "Qwen/Qwen3-32B-AWQ");
    }
}
