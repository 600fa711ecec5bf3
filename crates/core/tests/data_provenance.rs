//! `data/` holds verbatim copies of `shared/reference` (the facts and their sources); this keeps
//! them identical so the app never drifts from the reference. The one file of our own,
//! `pypi-releases.txt`, names its source in its header.
use std::path::Path;

#[test]
fn data_files_are_verbatim_copies_of_the_reference() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reference = root.join("../../../shared/reference");
    assert!(
        reference.exists(),
        "../shared/reference is missing beside the repository"
    );
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("data")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if name == "pypi-releases.txt" {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.lines().any(|l| l.starts_with("# Source: PyPI")),
                "{name:?} names its source"
            );
            continue;
        }
        let theirs = std::fs::read(reference.join(name))
            .unwrap_or_else(|_| panic!("{name:?} is not in shared/reference"));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            theirs,
            "data/{name:?} differs from shared/reference"
        );
        checked += 1;
    }
    assert_eq!(checked, 6);
}
