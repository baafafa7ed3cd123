//! Locating the shared test data (conformance suites and corpus) for tests in any crate.

use std::path::PathBuf;

/// The shared data directory (`../shared` next to the workspace, or `$PALISADE_SHARED`).
///
/// `Ok(None)` means it is missing and tests should skip; `Err` means it is missing but required
/// (`PALISADE_REQUIRE_SHARED=1`) or `PALISADE_SHARED` names a directory that does not exist.
pub fn shared_dir() -> Result<Option<PathBuf>, String> {
    if let Some(dir) = std::env::var_os("PALISADE_SHARED").filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        return if dir.is_dir() {
            Ok(Some(dir))
        } else {
            Err(format!("PALISADE_SHARED={} is not a directory", dir.display()))
        };
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.is_dir() {
        return Ok(Some(dir.canonicalize().unwrap_or(dir)));
    }
    if std::env::var("PALISADE_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        return Err(format!(
            "shared test data not found at {} and PALISADE_REQUIRE_SHARED=1: check out the shared data next to the \
             workspace (../shared) or set PALISADE_SHARED=/path/to/shared",
            dir.display()
        ));
    }
    Ok(None)
}

/// [`shared_dir`] for tests: the directory, or `None` after printing why the test is skipped; panics when
/// the data is required but missing.
#[allow(clippy::panic)]
pub fn shared_dir_or_skip() -> Option<PathBuf> {
    match shared_dir() {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            eprintln!("skipping: ../shared not found (set PALISADE_SHARED=...)");
            None
        }
        Err(e) => panic!("{e}"),
    }
}
