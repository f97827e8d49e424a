//! What several rules ask about the same entries of a document, worked out
//! once whichever rule asks first: the actions an `Action` / `NotAction`
//! entry matches (`invalid-action`, `action-resource-mismatch`,
//! `unknown-condition-key`), the ARN problems of a `Resource` /
//! `NotResource` entry (`invalid-arn`, `action-resource-mismatch`) and the
//! catalog's condition key a `Condition` entry names
//! (`condition-type-mismatch`, `unknown-condition-key`).

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use crate::catalog::{self, Action, ConditionKey};
use crate::lint::DocumentContext;
use crate::policy::arn::{self, ArnContext, ArnError};
use crate::policy::{ItemList, Statement};

/// One lazily filled cell per entry of one element, per statement.
type Cells<T> = OnceCell<Vec<Vec<OnceCell<T>>>>;

/// The entries' answers of one document.
#[derive(Default)]
pub struct EntryCache {
    actions: Cells<Rc<[Action<'static>]>>,
    resources: Cells<Vec<ArnError>>,
}

impl DocumentContext<'_> {
    /// Every action entry `item` of `statement`'s `Action` / `NotAction`
    /// matches, in catalog order; empty when it matches none or the
    /// catalog is unavailable.
    pub fn expansion(&self, statement: &Statement, item: usize) -> Rc<[Action<'static>]> {
        let Some(element) = &statement.action else {
            return Rc::new([]);
        };
        let expand = || expand(&element.items[item].text);
        match self.entry_cell(&self.cache.entries.actions, statement, item, |s| {
            s.action.as_ref()
        }) {
            Some(cell) => Rc::clone(cell.get_or_init(expand)),
            // Not one of this document's statements: nothing to share.
            None => expand(),
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

/// The actions `pattern` matches, remembered per thread: policies across a
/// directory name the same actions over and over, and each expansion costs
/// catalog binary searches.
fn expand(pattern: &str) -> Rc<[Action<'static>]> {
    thread_local! {
        static EXPANSIONS: RefCell<HashMap<Box<str>, Rc<[Action<'static>]>>> =
            RefCell::new(HashMap::new());
    }
    EXPANSIONS.with_borrow_mut(|known| {
        if let Some(actions) = known.get(pattern) {
            return Rc::clone(actions);
        }
        let actions: Rc<[Action<'static>]> = match catalog::embedded() {
            Ok(catalog) => catalog.expand(pattern).into(),
            Err(_) => Rc::new([]),
        };
        known.insert(pattern.into(), Rc::clone(&actions));
        actions
    })
}

/// The catalog's condition key `name` names (global keys first; see
/// [`catalog::Catalog::condition_key`]), remembered per thread as
/// [`expand`] does: the same few keys recur in every policy.
pub fn condition_key(name: &str) -> Option<ConditionKey> {
    thread_local! {
        static KEYS: RefCell<HashMap<Box<str>, Option<ConditionKey>>> =
            RefCell::new(HashMap::new());
    }
    KEYS.with_borrow_mut(|known| {
        if let Some(&key) = known.get(name) {
            return key;
        }
        let key = catalog::embedded()
            .ok()
            .and_then(|catalog| catalog.condition_key(name));
        known.insert(name.into(), key);
        key
    })
}
