//! The estate the graph, inventory and verify benches measure (include it
//! with `#[path]` beside `estate.rs`): 10 accounts, 10,000 principals, seed 7.

use rolecall::inventory::InputSpec;

use crate::estate::{EstateParams, write_estate};

/// Writes the bench estate to a fresh temporary directory: the directory
/// (removed when dropped) and the input naming it.
pub fn write() -> (tempfile::TempDir, InputSpec) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("tempdir: {e}"));
    let params = EstateParams {
        accounts: 10,
        principals: 10_000,
        seed: 7,
    };
    write_estate(dir.path(), &params).unwrap_or_else(|e| unreachable!("generate: {e}"));
    let input = InputSpec::Path(dir.path().to_path_buf());
    (dir, input)
}
