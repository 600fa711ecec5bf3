//! What the app keeps in the browser's storage, as plain text formats: the autosaved draft and
//! named snapshots. Both hold share-link queries, so they carry exactly what a link carries.
use super::link;
use super::profile::Profile;
use serde::{Deserialize, Serialize};

/// The storage format version this build writes.
pub const STORAGE_FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Draft {
    format: u32,
    query: String,
}

/// A named snapshot ("v4").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub name: String,
    pub query: String,
}

#[derive(Serialize, Deserialize)]
struct Snapshots {
    format: u32,
    snapshots: Vec<Snapshot>,
}

/// The draft text for a profile.
pub fn encode_draft(p: &Profile) -> String {
    serde_json::to_string(&Draft { format: STORAGE_FORMAT, query: link::encode(p) }).unwrap_or_default()
}

/// Reads a stored draft; an error says why it cannot be used (corrupt, old or newer format).
pub fn decode_draft(text: &str) -> Result<Profile, String> {
    let d: Draft = serde_json::from_str(text).map_err(|e| format!("unreadable saved draft ({e})"))?;
    if d.format != STORAGE_FORMAT {
        return Err(format!("saved draft has format {} (this app reads {STORAGE_FORMAT})", d.format));
    }
    let (p, problems) = link::decode(&d.query);
    match problems.first() {
        Some(problem) => Err(format!("saved draft has a bad key `{}`: {}", problem.key, problem.message)),
        None => Ok(p),
    }
}

/// The snapshots text.
pub fn encode_snapshots(list: &[Snapshot]) -> String {
    serde_json::to_string_pretty(&Snapshots { format: STORAGE_FORMAT, snapshots: list.to_vec() }).unwrap_or_default()
}

/// Reads stored (or exported) snapshots.
pub fn decode_snapshots(text: &str) -> Result<Vec<Snapshot>, String> {
    let s: Snapshots = serde_json::from_str(text).map_err(|e| format!("unreadable snapshots ({e})"))?;
    if s.format != STORAGE_FORMAT {
        return Err(format!("snapshots have format {} (this app reads {STORAGE_FORMAT})", s.format));
    }
    Ok(s.snapshots)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compose::reference_profile;

    #[test]
    fn drafts_and_snapshots_round_trip_and_bad_data_is_refused() {
        let p = reference_profile();
        assert_eq!(decode_draft(&encode_draft(&p)).unwrap(), p);
        assert!(decode_draft("{not json").unwrap_err().contains("unreadable"));
        assert!(decode_draft(r#"{"format":0,"query":"v=1"}"#).unwrap_err().contains("format 0"));
        assert!(decode_draft(r#"{"format":1,"query":"max-model-len=lots"}"#).unwrap_err().contains("max-model-len"));
        let list = vec![Snapshot { name: "v4".into(), query: link::encode(&p) }];
        assert_eq!(decode_snapshots(&encode_snapshots(&list)).unwrap(), list);
        assert!(decode_snapshots("[]").is_err());
    }
}
