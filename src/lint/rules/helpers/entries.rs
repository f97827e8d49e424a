//! What several rules ask about the same entries, worked out once: the ARN
//! problems of a `Resource` / `NotResource` entry per document
//! (`invalid-arn`, `action-resource-mismatch`), and per thread the actions
//! an `Action` / `NotAction` entry matches (`invalid-action`,
//! `action-resource-mismatch`, `unknown-condition-key`) and the catalog's
//! condition key a `Condition` entry names (`condition-type-mismatch`,
//! `unknown-condition-key`).

use std::borrow::{Borrow, Cow};
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::hash::Hash;
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
    resources: Cells<Vec<ArnError>>,
}

impl DocumentContext<'_> {
    /// Every action entry `item` of `statement`'s `Action` / `NotAction`
    /// matches, in catalog order; empty when it matches none, there is no
    /// such entry or the catalog is unavailable.
    pub fn expansion(&self, statement: &Statement, item: usize) -> Rc<[Action<'static>]> {
        match statement.action.as_ref().and_then(|a| a.items.get(item)) {
            Some(entry) => expand(&entry.text),
            None => Rc::new([]),
        }
    }

    /// The problems of entry `item` of `statement`'s `Resource` /
    /// `NotResource` as an ARN ([`arn::validate`]); empty when valid.
    pub fn resource_problems(&self, statement: &Statement, item: usize) -> Cow<'_, [ArnError]> {
        let Some(entry) = statement.resource.as_ref().and_then(|r| r.items.get(item)) else {
            return Cow::Borrowed(&[]);
        };
        let validate = || arn::validate(&entry.text, ArnContext::Resource);
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
        if !self.is_own(statement) {
            return None;
        }
        let statements = &self.doc.parsed.policy.statements;
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

/// Answers kept per thread for its lifetime, by the question's text: what
/// the catalog rules ask again and again across a directory of policies.
/// Bounded by the distinct questions in the input.
pub struct Memo<K, V>(RefCell<HashMap<K, V>>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self(RefCell::new(HashMap::new()))
    }
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// The answer for `key`, worked out by `answer` the first time.
    pub fn get<Q>(&self, key: &Q, answer: impl FnOnce() -> V) -> V
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if let Some(v) = self.0.borrow().get(key) {
            return v.clone();
        }
        let v = answer();
        self.0.borrow_mut().insert(key.to_owned(), v.clone());
        v
    }
}

/// The actions `pattern` matches, remembered per thread: policies across a
/// directory name the same actions over and over, and each expansion costs
/// catalog binary searches.
fn expand(pattern: &str) -> Rc<[Action<'static>]> {
    thread_local! {
        static EXPANSIONS: Memo<String, Rc<[Action<'static>]>> = Memo::default();
    }
    EXPANSIONS.with(|memo| {
        memo.get(pattern, || match catalog::embedded() {
            Ok(catalog) => catalog.expand(pattern).into(),
            Err(_) => Rc::new([]),
        })
    })
}

/// The catalog's condition key `name` names (global keys first; see
/// [`catalog::Catalog::condition_key`]), remembered per thread as
/// [`expand`] does: the same few keys recur in every policy.
pub fn condition_key(name: &str) -> Option<ConditionKey> {
    thread_local! {
        static KEYS: Memo<String, Option<ConditionKey>> = Memo::default();
    }
    KEYS.with(|memo| {
        memo.get(name, || {
            catalog::embedded()
                .ok()
                .and_then(|catalog| catalog.condition_key(name))
        })
    })
}
