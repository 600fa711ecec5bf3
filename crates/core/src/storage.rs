//! What the app keeps in the browser's storage, as plain text formats: the autosaved draft and
//! named snapshots. Both hold share-link queries, so they carry exactly what a link carries.
use super::compose::Origin;
use super::link;
use super::profile::Profile;
use serde_json::{json, Value};

/// The storage format version this build writes.
pub const STORAGE_FORMAT: u32 = 1;

/// A named snapshot ("v4").
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub name: String,
    pub query: String,
}

/// Reads `{"format": 1, …}` and checks the format.
fn read(text: &str, what: &str) -> Result<Value, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("unreadable {what} ({e})"))?;
    match v.get("format").and_then(Value::as_u64) {
        Some(f) if f == STORAGE_FORMAT as u64 => Ok(v),
        Some(f) => Err(format!(
            "{what} has format {f} (this app reads {STORAGE_FORMAT})"
        )),
        None => Err(format!("unreadable {what} (no format)")),
    }
}

/// The draft text for a profile: its link, and the stray command words of an imported file
/// (links do not carry them).
pub fn encode_draft(p: &Profile) -> String {
    let mut v = json!({ "format": STORAGE_FORMAT, "query": link::encode(p) });
    if !p.stray.is_empty() {
        v["stray"] = json!(p.stray);
    }
    if !p.env_words.is_empty() {
        v["env_words"] = json!(p.env_words);
    }
    v.to_string()
}

/// The profile a stored `query` (+ `stray`) describes.
fn profile_of(v: &Value, key: &str, what: &str) -> Result<Profile, String> {
    let query = v[key]
        .as_str()
        .ok_or(format!("unreadable {what} (no {key})"))?;
    let (mut p, problems) = link::decode(query);
    if let Some(problem) = problems.first() {
        return Err(format!(
            "{what} has a bad key `{}`: {}",
            problem.key, problem.message
        ));
    }
    let words = |k: &str| -> Vec<String> {
        v[k].as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|w| w.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    p.stray = words("stray");
    p.env_words = words("env_words");
    Ok(p)
}

/// Reads a stored draft; an error says why it cannot be used (corrupt, old or newer format).
pub fn decode_draft(text: &str) -> Result<Profile, String> {
    let v = read(text, "saved draft")?;
    profile_of(&v, "query", "saved draft")
}

/// The imported file the draft edits (its text, service and profile as imported).
pub fn encode_origin(o: &Origin) -> String {
    let mut v = json!({
        "format": STORAGE_FORMAT,
        "text": o.text,
        "service": o.service,
        "base": link::encode(&o.base),
    });
    if !o.base.stray.is_empty() {
        v["stray"] = json!(o.base.stray);
    }
    if !o.base.env_words.is_empty() {
        v["env_words"] = json!(o.base.env_words);
    }
    v.to_string()
}

/// Reads a stored imported file.
pub fn decode_origin(text: &str) -> Result<Origin, String> {
    let v = read(text, "imported file")?;
    let field = |k: &str| {
        v[k].as_str()
            .map(str::to_string)
            .ok_or(format!("unreadable imported file (no {k})"))
    };
    let base = profile_of(&v, "base", "imported file")?;
    Ok(Origin {
        text: field("text")?,
        service: field("service")?,
        base,
    })
}

/// The snapshots text.
pub fn encode_snapshots(list: &[Snapshot]) -> String {
    let items: Vec<Value> = list
        .iter()
        .map(|s| json!({ "name": s.name, "query": s.query }))
        .collect();
    json!({ "format": STORAGE_FORMAT, "snapshots": items }).to_string()
}

/// Reads stored (or exported) snapshots.
pub fn decode_snapshots(text: &str) -> Result<Vec<Snapshot>, String> {
    let v = read(text, "snapshots")?;
    v["snapshots"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .map(|s| {
                    Some(Snapshot {
                        name: s["name"].as_str()?.to_string(),
                        query: s["query"].as_str()?.to_string(),
                    })
                })
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| "unreadable snapshots (bad list)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::reference_profile;

    #[test]
    fn the_imported_file_round_trips() {
        let imported = crate::compose::import_compose(
            crate::compose::SEED_MEDIUM_YML,
            &crate::profile::Profile::default(),
        )
        .unwrap();
        let back = decode_origin(&encode_origin(&imported.origin)).unwrap();
        assert_eq!(back, imported.origin);
        assert!(decode_origin("{\"format\":1}").is_err());
    }

    #[test]
    fn drafts_and_snapshots_round_trip_and_bad_data_is_refused() {
        let p = reference_profile();
        assert_eq!(decode_draft(&encode_draft(&p)).unwrap(), p);
        assert!(decode_draft("{not json")
            .unwrap_err()
            .contains("unreadable"));
        assert!(decode_draft(r#"{"format":0,"query":"v=1"}"#)
            .unwrap_err()
            .contains("format 0"));
        assert!(decode_draft("42").unwrap_err().contains("no format"));
        assert!(decode_draft(r#"{"format":1,"query":"gpu=abacus"}"#)
            .unwrap_err()
            .contains("gpu"));
        let list = vec![Snapshot {
            name: "v4".into(),
            query: link::encode(&p),
        }];
        assert_eq!(decode_snapshots(&encode_snapshots(&list)).unwrap(), list);
        assert!(decode_snapshots("[]").is_err());
    }
}
