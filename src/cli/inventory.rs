//! Loading the INPUTs of the graph commands into an inventory.

use crate::inventory::{InputSpec, Inventory, LoadOptions, load};
use crate::render;

/// Loads the inputs, reporting problems on standard error; an input that
/// cannot be loaded at all is an input error.
pub(crate) fn load_inventory(inputs: &[String]) -> miette::Result<Inventory> {
    let specs: Vec<InputSpec> = inputs.iter().map(|i| InputSpec::from_arg(i)).collect();
    let outcome = load(&specs, &LoadOptions::default());
    render::inventory::problems(&outcome.problems);
    if outcome.has_fatal() {
        return Err(miette::miette!("some inputs could not be loaded"));
    }
    Ok(outcome.inventory)
}
