//! The plain-record layout of the embedded tables (the flag catalog, the model configs): the
//! build script writes them and the app splits them at start-up, which costs far less than
//! building a JSON tree and copying out of it. Shared by `build.rs` (writing) and the readers.
//!
//! A table is records ended by GS (U+001D); a record's fields are separated by US (U+001F), a
//! list field's items by RS (U+001E). The separators are control characters that no flag text,
//! model key or serde_json output contains (serde_json escapes every control character).

/// Ends a record.
pub const RECORD: char = '\u{1d}';
/// Separates a list field's items.
pub const ITEM: char = '\u{1e}';
/// Separates a record's fields.
pub const FIELD: char = '\u{1f}';

/// Appends one record of `fields` to `table`; panics (at build time) if a field holds a
/// separator or, for a list written with [`list`], an empty item.
pub fn push(table: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        assert!(
            !f.contains([RECORD, FIELD]),
            "a record field holds a separator: {f:?}"
        );
        if i > 0 {
            table.push(FIELD);
        }
        table.push_str(f);
    }
    table.push(RECORD);
}

/// Joins list items into one field.
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    assert!(
        items.iter().all(|i| !i.is_empty() && !i.contains(ITEM)),
        "a list item is empty or holds a separator: {items:?}"
    );
    items.join(&ITEM.to_string())
}

/// The records of `table`, each as its fields.
pub fn split(table: &str) -> impl Iterator<Item = Vec<&str>> {
    table
        .split(RECORD)
        .filter(|r| !r.is_empty())
        .map(|r| r.split(FIELD).collect())
}

/// The items of a list field (none for an empty field).
pub fn items(field: &str) -> impl Iterator<Item = &str> {
    field.split(ITEM).filter(|i| !i.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_as_written() {
        let mut t = String::new();
        push(&mut t, &["F", "name", &list(&["a", "b c"]), ""]);
        push(&mut t, &["R", "x"]);
        let got: Vec<Vec<&str>> = split(&t).collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0][0], "F");
        assert_eq!(items(got[0][2]).collect::<Vec<_>>(), ["a", "b c"]);
        assert_eq!(items(got[0][3]).count(), 0);
        assert_eq!(got[1], ["R", "x"]);
    }
}
