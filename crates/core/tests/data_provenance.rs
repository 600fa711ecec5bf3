//! `data/` holds verbatim copies of `shared/reference` (the facts and their sources); this keeps
//! them identical so the app never drifts from the reference.
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
