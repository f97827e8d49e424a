//! Wildcard expansion of action patterns (`iam:Pass*` → `iam:PassRole`) and
//! the inverse question: does an `Action` / `NotAction` element cover an
//! action.
//!
//! Semantics from "IAM JSON policy elements: Action" and "NotAction"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html>):
//! action names are case-insensitive, `*` and `?` are wildcards over the
//! whole `prefix:Name` text, and `NotAction` covers every action that none
//! of its entries matches.

use std::ops::ControlFlow;

use super::model::{Action, Catalog, starts_with_ignore_case};
use crate::policy::ItemList;
use crate::policy::wildcard::matches_ignore_case;

impl Catalog {
    /// Every action the pattern matches, ignoring case: `iam:Pass*` →
    /// `[iam:PassRole]`, `*` → all, `s3:*Object*` → `s3:GetObject`, … In
    /// catalog order (by service, then name).
    pub fn expand(&self, pattern: &str) -> Vec<Action<'_>> {
        let mut found = Vec::new();
        let _ = self.visit_matches(pattern, |action| {
            found.push(action);
            ControlFlow::Continue(())
        });
        found
    }

    /// Whether the pattern matches at least one action.
    pub fn matches_any(&self, pattern: &str) -> bool {
        self.visit_matches(pattern, |_| ControlFlow::Break(()))
            .is_break()
    }

    /// Calls `visit` on each action the pattern matches until it breaks.
    /// A pattern whose text before the first wildcard names a service
    /// (`s3:Get*`) only looks at that service's actions starting with the
    /// literal part, found by binary search.
    fn visit_matches<'c>(
        &'c self,
        pattern: &str,
        mut visit: impl FnMut(Action<'c>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        // A name without wildcards is one lookup: names are unique ignoring
        // case (the parser checks they sort strictly).
        if !pattern.contains(['*', '?']) {
            return match self.action(pattern) {
                Some(action) => visit(action),
                None => ControlFlow::Continue(()),
            };
        }
        let literal = &pattern[..pattern.find(['*', '?']).unwrap_or(pattern.len())];
        if let Some((prefix, name_start)) = literal.split_once(':') {
            let Some(service) = self.service(prefix) else {
                return ControlFlow::Continue(());
            };
            let name_pattern = &pattern[prefix.len() + 1..];
            let every_name = !name_pattern.is_empty() && name_pattern.bytes().all(|c| c == b'*');
            for action in service.actions_starting_with(name_start) {
                if every_name || matches_ignore_case(name_pattern, action.name()) {
                    visit(action)?;
                }
            }
            return ControlFlow::Continue(());
        }
        // A wildcard before the colon: the pattern may span services whose
        // prefix starts with the literal part (`*`, `s3*`, `*:Get*`).
        let match_all = !pattern.is_empty() && pattern.bytes().all(|c| c == b'*');
        let mut text = String::new();
        for service in self.services() {
            if !starts_with_ignore_case(service.prefix(), literal) {
                continue;
            }
            for action in service.actions() {
                if !match_all {
                    text.clear();
                    text.push_str(service.prefix());
                    text.push(':');
                    text.push_str(action.name());
                    if !matches_ignore_case(pattern, &text) {
                        continue;
                    }
                }
                visit(action)?;
            }
        }
        ControlFlow::Continue(())
    }

    /// Every catalog action an `Action` or `NotAction` element covers, in
    /// catalog order. Entries whose value is unknown until deployment
    /// neither add nor remove actions (see [`covers`] for a tri-state
    /// answer about one action).
    pub fn covered_actions(&self, element: &ItemList) -> Vec<Action<'_>> {
        let mut matched = vec![false; self.actions.len()];
        for item in element.items.iter().filter(|i| !i.is_unknown()) {
            let _ = self.visit_matches(&item.text, |action| {
                if let Some(slot) = matched.get_mut(action.id as usize) {
                    *slot = true;
                }
                ControlFlow::Continue(())
            });
        }
        self.actions()
            .filter(|a| matched.get(a.id as usize).copied().unwrap_or(false) != element.negated)
            .collect()
    }
}

/// Whether an element covers an action, when some entries are unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coverage {
    /// The element grants (or, in a `Deny`, denies) the action.
    Covered,
    /// It does not.
    NotCovered,
    /// It depends on an entry whose value is unknown until deployment.
    Unknown,
}

/// Whether an `Action` / `NotAction` element covers `action`
/// (`prefix:Name`, any case), through wildcards and negation. Needs no
/// catalog: it works for actions the catalog does not know yet.
pub fn covers(element: &ItemList, action: &str) -> Coverage {
    let matched = element
        .items
        .iter()
        .any(|item| !item.is_unknown() && matches_ignore_case(&item.text, action));
    let unknown = element.items.iter().any(|item| item.is_unknown());
    match (matched != element.negated, unknown && !matched) {
        (_, true) => Coverage::Unknown,
        (true, false) => Coverage::Covered,
        (false, false) => Coverage::NotCovered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Item, ItemKind};
    use crate::source::Span;

    fn demo() -> Catalog {
        Catalog::parse(
            "# format\t1\n# source\tpkg\n# version\t1\n# licence\tMIT\n\
             S\tiam\tIAM\nA\tGetRole\tR\t\t\nA\tPassRole\tW\t\t\nA\tPutRolePolicy\tP\t\t\n\
             S\ts3\tS3\nA\tGetObject\tR\t\t\nA\tGetObjectAcl\tR\t\t\nA\tListBucket\tL\t\t\nA\tPutObject\tW\t\t\n\
             S\ts3express\tS3 Express\nA\tCreateSession\tW\t\t\n",
        )
        .unwrap()
    }

    fn names(actions: Vec<Action<'_>>) -> Vec<String> {
        actions.iter().map(ToString::to_string).collect()
    }

    fn element(negated: bool, items: &[(&str, ItemKind)]) -> ItemList {
        ItemList {
            negated,
            key: if negated { "NotAction" } else { "Action" },
            key_span: Span::new(0, 0),
            span: Span::new(0, 0),
            is_array: true,
            items: items
                .iter()
                .map(|&(text, kind)| Item {
                    text: text.into(),
                    span: Span::new(0, 0),
                    kind,
                })
                .collect(),
        }
    }

    #[test]
    fn expansion() {
        let c = demo();
        assert_eq!(names(c.expand("iam:Pass*")), ["iam:PassRole"]);
        assert_eq!(names(c.expand("IAM:pass*")), ["iam:PassRole"]);
        assert_eq!(
            names(c.expand("s3:*Object*")),
            ["s3:GetObject", "s3:GetObjectAcl", "s3:PutObject"]
        );
        assert_eq!(names(c.expand("s3:Get?bject")), ["s3:GetObject"]);
        assert_eq!(c.expand("*").len(), 8);
        assert_eq!(c.expand("**").len(), 8);
        assert_eq!(names(c.expand("iam:GetRole")), ["iam:GetRole"]);
        assert_eq!(
            names(c.expand("s3*")),
            [
                "s3:GetObject",
                "s3:GetObjectAcl",
                "s3:ListBucket",
                "s3:PutObject",
                "s3express:CreateSession"
            ]
        );
        assert_eq!(
            names(c.expand("*:Get*")),
            ["iam:GetRole", "s3:GetObject", "s3:GetObjectAcl"]
        );
        assert_eq!(names(c.expand("s3:*")).len(), 4);
        assert!(c.expand("s3:Nope*").is_empty());
        assert!(c.expand("nope:*").is_empty());
        assert!(c.expand("GetObject").is_empty());
        assert!(c.expand("").is_empty());
        assert!(c.matches_any("iam:*Policy"));
        assert!(!c.matches_any("iam:*Policies"));
    }

    #[test]
    fn covered_actions_through_action_and_not_action() {
        let c = demo();
        let allow = element(
            false,
            &[
                ("s3:Get*", ItemKind::String),
                ("iam:PassRole", ItemKind::String),
            ],
        );
        assert_eq!(
            names(c.covered_actions(&allow)),
            ["iam:PassRole", "s3:GetObject", "s3:GetObjectAcl"]
        );
        let not = element(
            true,
            &[("s3:*", ItemKind::String), ("iam:Get*", ItemKind::String)],
        );
        assert_eq!(
            names(c.covered_actions(&not)),
            [
                "iam:PassRole",
                "iam:PutRolePolicy",
                "s3express:CreateSession"
            ]
        );
    }

    #[test]
    fn coverage_of_one_action() {
        let allow = element(false, &[("iam:Pass*", ItemKind::String)]);
        assert_eq!(covers(&allow, "iam:PassRole"), Coverage::Covered);
        assert_eq!(covers(&allow, "IAM:passrole"), Coverage::Covered);
        assert_eq!(covers(&allow, "iam:GetRole"), Coverage::NotCovered);
        let not = element(true, &[("iam:*", ItemKind::String)]);
        assert_eq!(covers(&not, "iam:PassRole"), Coverage::NotCovered);
        assert_eq!(covers(&not, "s3:GetObject"), Coverage::Covered);
        let star = element(false, &[("*", ItemKind::String)]);
        assert_eq!(covers(&star, "anything:AtAll"), Coverage::Covered);

        let partly_unknown = element(
            false,
            &[
                ("s3:*", ItemKind::String),
                ("Ref(Action)", ItemKind::Unknown),
            ],
        );
        assert_eq!(covers(&partly_unknown, "s3:GetObject"), Coverage::Covered);
        assert_eq!(covers(&partly_unknown, "iam:PassRole"), Coverage::Unknown);
        let not_unknown = element(
            true,
            &[
                ("s3:*", ItemKind::String),
                ("Ref(Action)", ItemKind::Unknown),
            ],
        );
        assert_eq!(covers(&not_unknown, "s3:GetObject"), Coverage::NotCovered);
        assert_eq!(covers(&not_unknown, "iam:PassRole"), Coverage::Unknown);
    }
}
