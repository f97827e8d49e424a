//! What several rules ask about the same entries of a document, worked out
//! once whichever rule asks first: the actions an `Action` / `NotAction`
//! entry matches (`invalid-action`, `action-resource-mismatch`,
//! `unknown-condition-key`) and the ARN problems of a `Resource` /
//! `NotResource` entry (`invalid-arn`, `action-resource-mismatch`).

use std::borrow::Cow;
use std::cell::OnceCell;

use crate::catalog::{self, Action};
use crate::lint::DocumentContext;
use crate::policy::arn::{self, ArnContext, ArnError};
use crate::policy::{ItemList, Statement};

/// One lazily filled cell per entry of one element, per statement.
type Cells<T> = OnceCell<Vec<Vec<OnceCell<T>>>>;

/// The entries' answers of one document.
#[derive(Default)]
pub struct EntryCache {
    actions: Cells<Vec<Action<'static>>>,
    resources: Cells<Vec<ArnError>>,
}

impl DocumentContext<'_> {
    /// Every action entry `item` of `statement`'s `Action` / `NotAction`
    /// matches, in catalog order; empty when it matches none or the
    /// catalog is unavailable.
    pub fn expansion(&self, statement: &Statement, item: usize) -> Cow<'_, [Action<'static>]> {
        let Some(element) = &statement.action else {
            return Cow::Borrowed(&[]);
        };
        let expand = || match catalog::embedded() {
            Ok(catalog) => catalog.expand(&element.items[item].text),
            Err(_) => Vec::new(),
        };
        match self.entry_cell(&self.cache.entries.actions, statement, item, |s| {
            s.action.as_ref()
        }) {
            Some(cell) => Cow::Borrowed(cell.get_or_init(expand)),
            // Not one of this document's statements: nothing to share.
            None => Cow::Owned(expand()),
        }
    }

    /// The problems of entry `item` of `statement`'s `Resource` /
    /// `NotResource` as an ARN ([`arn::validate`]); empty when valid.
    pub fn resource_problems(&self, statement: &Statement, item: usize) -> Cow<'_, [ArnError]> {
        let Some(element) = &statement.resource else {
            return Cow::Borrowed(&[]);
        };
        let validate = || arn::validate(&element.items[item].text, ArnContext::Resource);
        match self.entry_cell(&self.cache.entries.resources, statement, item, |s| {
            s.resource.as_ref()
        }) {
            Some(cell) => Cow::Borrowed(cell.get_or_init(validate)),
            None => Cow::Owned(validate()),
        }
    }

    /// The cell of entry `item` of the element `element_of` picks, when
    /// `statement` is this document's and has that entry.
    fn entry_cell<'c, T>(
        &self,
        cells: &'c Cells<T>,
        statement: &Statement,
        item: usize,
        element_of: impl Fn(&Statement) -> Option<&ItemList>,
    ) -> Option<&'c OnceCell<T>> {
        let statements = &self.doc.parsed.policy.statements;
        let same = statements
            .get(statement.index)
            .is_some_and(|s| s.span == statement.span);
        if !same {
            return None;
        }
        let cells = cells.get_or_init(|| {
            statements
                .iter()
                .map(|s| {
                    let len = element_of(s).map_or(0, |e| e.items.len());
                    (0..len).map(|_| OnceCell::new()).collect()
                })
                .collect()
        });
        cells.get(statement.index)?.get(item)
    }
}
