//! Test support for the graph and the layers that use it (verify, live):
//! inventories from authorization-details dumps written inline.

use serde_json::Value;

use crate::inventory::{InputSpec, Inventory, LoadOptions, load};

/// The inventory of one account's authorization-details dump, loaded as
/// `ACCOUNT.authorization-details.json` from its pretty-printed text (so
/// spans point at its lines); fails the test on any load problem.
pub(crate) fn dump_inventory(account: &str, dump: &Value) -> Inventory {
    let outcome = load(
        &[InputSpec::Text {
            name: format!("{account}.authorization-details.json"),
            text: serde_json::to_string_pretty(dump).unwrap(),
        }],
        &LoadOptions::default(),
    );
    assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
    outcome.inventory
}
