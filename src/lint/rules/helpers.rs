//! Logic the rules share: each statement compiled once per document, and
//! the questions the permission rules put to the evaluation engine with
//! probe requests ("does this statement let its holder assume a role in an
//! account it never names?"), plus wildcard containment for the redundancy
//! rules.
//!
//! A probe is a request built so that a grant reaching it reaches a whole
//! family of requests: two account ids with no digit in common, two names
//! with no character in common. A wildcard pattern that matches both holds
//! no literal character where they differ, so it matches every member of
//! the family (`*`, `?`-only patterns of the right length aside, which
//! the second name's length rules out).
//!
//! Conditions are asked only about the keys that describe the target of a
//! grant (its account, organization, tags; the service a role is passed
//! to): whoever holds a policy can meet conditions on the caller (MFA,
//! source IP, time), so those never close a hole.

pub mod entries;
pub mod setup;
pub mod trust;

use std::cell::OnceCell;

use crate::catalog::{self, Coverage, covers};
use crate::eval::compile::CompiledStatement;
use crate::eval::{PolicyType, Request, RequestContext, RequestInput};
use crate::lint::DocumentContext;
use crate::policy::arn::ArnParts;
use crate::policy::wildcard::{has_wildcard, matches};
use crate::policy::{
    ConditionEntry, Effect, ItemList, OperatorBlock, PolicyKind, PrincipalBlock, PrincipalSpec,
    Statement,
};

/// Per-document data the rules share, filled on first use.
#[derive(Default)]
pub struct DocumentCache {
    statements: OnceCell<Vec<OnceCell<Option<CompiledStatement>>>>,
    entries: entries::EntryCache,
}

impl DocumentContext<'_> {
    /// Whether `statement` is this document's own (what the per-statement
    /// caches are indexed by).
    fn is_own(&self, statement: &Statement) -> bool {
        self.doc
            .parsed
            .policy
            .statements
            .get(statement.index)
            .is_some_and(|s| s.span == statement.span)
    }

    /// The statement compiled for the engine, as the document's kind uses
    /// it; `None` when it cannot be evaluated on its own (a grammar problem,
    /// a value unknown until deployment). Compiled once, whichever rule asks.
    pub fn compiled(&self, statement: &Statement) -> Option<&CompiledStatement> {
        let statements = &self.doc.parsed.policy.statements;
        let cells = self
            .cache
            .statements
            .get_or_init(|| statements.iter().map(|_| OnceCell::new()).collect());
        if !self.is_own(statement) {
            return None;
        }
        cells
            .get(statement.index)?
            .get_or_init(|| {
                CompiledStatement::compile_alone(
                    statement,
                    policy_type(self.kind),
                    self.doc.parsed.policy.supports_variables(),
                )
                .ok()
            })
            .as_ref()
    }

    /// Whether a `Deny` statement of the document surely applies to the
    /// request: its elements match and its condition tests only `pins`
    /// keys, which hold. (A `Deny` gated on anything else may be avoided.)
    pub fn surely_denied(&self, request: &Request, pins: &dyn Fn(&str) -> bool) -> bool {
        self.doc
            .parsed
            .policy
            .statements
            .iter()
            .filter(|s| s.effect() == Some(Effect::Deny))
            .filter_map(|s| self.compiled(s))
            .any(|s| surely_denies(s, request, pins))
    }

    /// Whether `statement` grants the request and no `Deny` of the same
    /// document surely takes it away.
    pub fn grants(
        &self,
        statement: &Statement,
        request: &Request,
        pins: &dyn Fn(&str) -> bool,
    ) -> bool {
        self.compiled(statement)
            .is_some_and(|s| allows(s, request, pins))
            && !self.surely_denied(request, pins)
    }
}

/// The engine's policy type for a document kind.
pub fn policy_type(kind: PolicyKind) -> PolicyType {
    match kind {
        PolicyKind::Identity => PolicyType::Identity,
        PolicyKind::Resource | PolicyKind::Trust => PolicyType::Resource,
        PolicyKind::PermissionBoundary => PolicyType::Boundary,
        PolicyKind::ServiceControl => PolicyType::Scp,
        PolicyKind::ResourceControl => PolicyType::Rcp,
        PolicyKind::Session => PolicyType::Session,
    }
}

/// Whether `statement` allows the request: an `Allow` whose elements match
/// and whose condition holds on the `pins` keys (the others are the
/// caller's to meet).
pub fn allows(
    statement: &CompiledStatement,
    request: &Request,
    pins: &dyn Fn(&str) -> bool,
) -> bool {
    statement.effect == Effect::Allow
        && statement.matches_elements(request)
        && statement
            .condition()
            .is_none_or(|c| c.evaluate_keys(&request.context, pins).holds)
}

/// Whether `statement` is a `Deny` that surely applies to the request.
pub fn surely_denies(
    statement: &CompiledStatement,
    request: &Request,
    pins: &dyn Fn(&str) -> bool,
) -> bool {
    statement.effect == Effect::Deny
        && statement.matches_elements(request)
        && statement.condition().is_none_or(|c| {
            let outcome = c.evaluate_keys(&request.context, pins);
            outcome.holds && !outcome.other_keys
        })
}

// ---------------------------------------------------------------- probes

/// Two account ids with no digit in common that no policy names: a grant
/// that reaches both reaches every account.
pub const PROBE_ACCOUNTS: [&str; 2] = ["135791357913", "864208642086"];

/// Two names with no character in common (and of different lengths): a
/// grant that reaches both reaches every name.
pub const PROBE_NAMES: [&str; 2] = ["q", "zzzzzzzzzzzz-9"];

/// The name of the probe caller (`aws:username`).
pub const PROBE_CALLER: &str = "rolecall-probe";

/// The probe caller, an IAM user of `account`.
pub fn caller(account: &str) -> String {
    format!("arn:aws:iam::{account}:user/{PROBE_CALLER}")
}

/// A request from the probe caller of `account`, with extra context keys;
/// `None` if the parts do not make a valid request.
pub fn probe(
    account: &str,
    action: &str,
    resource: &str,
    context: &[(&str, &str)],
) -> Option<Request> {
    let mut ctx = RequestContext::new();
    for (key, value) in context {
        ctx.insert(*key, crate::eval::ContextValue::Single((*value).to_owned()));
    }
    Request::new(
        RequestInput {
            principal: &caller(account),
            action,
            resource,
            resource_account: None,
        },
        ctx,
    )
    .ok()
}

/// A request from any principal (a resource or trust policy's view).
pub fn probe_from(principal: &str, action: &str, resource: &str) -> Option<Request> {
    Request::without_context(principal, action, resource).ok()
}

/// An ARN of a catalog resource type's format with the partition `aws`,
/// `region`, `account` and every other field set to `name`:
/// `arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}` →
/// `arn:aws:iam::135791357913:role/q`.
pub fn arn_of_format(format: &str, region: &str, account: &str, name: &str) -> String {
    let mut out = String::with_capacity(format.len() + name.len());
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(match &rest[start + 2..start + len] {
            "Partition" => "aws",
            "Region" => region,
            "Account" => account,
            _ => name,
        });
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// Resources of a catalog ARN format in `account` and `region` that the
/// patterns of a `Resource` element name: the resources a grant scoped to
/// some of them reaches. Each ARN pattern gets the format's partition,
/// service, region and account (the scope's) where its own match them,
/// and its other wildcards filled with
/// each probe name (a `*` also with `name/name`, for formats whose
/// resource part holds two fields); an instance is kept when the pattern
/// matches it and it is of the format. `NotResource`, patterns that are
/// not ARNs (`*`) and patterns with policy variables give none: the
/// every-resource probes stand for them.
pub fn named_resources(list: &ItemList, format: &str, account: &str, region: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    if list.negated {
        return found;
    }
    let shape = arn_of_format(format, region, account, "*");
    let fields: Vec<&str> = shape.splitn(6, ':').collect();
    for item in list.items.iter().filter(|i| !i.is_unknown()) {
        let pattern = item.text.as_str();
        let parts: Vec<&str> = pattern.splitn(6, ':').collect();
        let [.., resource] = parts[..] else {
            continue;
        };
        if parts.len() != 6 || fields.len() != 6 || pattern.contains("${") {
            continue;
        }
        // `arn`, partition, service, region, account: the format's own
        // where the pattern's matches it (an empty account for images).
        let head: Vec<&str> = parts
            .iter()
            .zip(&fields)
            .take(5)
            .map(|(part, field)| if matches(part, field) { *field } else { *part })
            .collect();
        let head = head.join(":");
        for name in PROBE_NAMES {
            let first = name.get(..1).unwrap_or(name);
            let fills = [name.to_owned(), format!("{name}/{name}")];
            let instance = fills
                .iter()
                .map(|fill| format!("{head}:{}", resource.replace('*', fill).replace('?', first)))
                .find(|arn| matches(&shape, arn) && matches(pattern, arn));
            if let Some(instance) = instance
                && !found.contains(&instance)
            {
                found.push(instance);
            }
        }
    }
    found
}

/// The literal account ids (twelve digits) and regions the ARNs of an
/// element name: where a grant scoped to one account may reach every name.
pub fn literal_scopes(list: &ItemList) -> (Vec<&str>, Vec<&str>) {
    let mut accounts = Vec::new();
    let mut regions = Vec::new();
    for item in list.items.iter().filter(|i| !i.is_unknown()) {
        let Some(ArnParts {
            region, account, ..
        }) = ArnParts::split(&item.text)
        else {
            continue;
        };
        if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) {
            accounts.push(account);
        }
        if !region.is_empty() && !has_wildcard(region) {
            regions.push(region);
        }
    }
    accounts.sort_unstable();
    accounts.dedup();
    regions.sort_unstable();
    regions.dedup();
    (accounts, regions)
}

/// Whether an `Action`/`NotAction` element surely covers `action`
/// (through wildcards, `NotAction`, case).
pub fn covers_action(list: &ItemList, action: &str) -> bool {
    covers(list, action) == Coverage::Covered
}

// ------------------------------------------------------- condition keys

fn key_is(key: &str, name: &str) -> bool {
    key.eq_ignore_ascii_case(name)
}

fn key_starts(key: &str, prefix: &str) -> bool {
    key.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// Keys that describe the resource a request acts on: its account,
/// organization and tags ("AWS global condition context keys",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>;
/// `iam:ResourceTag` for IAM roles and users).
pub fn is_resource_key(key: &str) -> bool {
    [
        "aws:ResourceAccount",
        "aws:ResourceOrgID",
        "aws:ResourceOrgPaths",
    ]
    .iter()
    .any(|k| key_is(key, k))
        || key_starts(key, "aws:ResourceTag/")
        || key_starts(key, "iam:ResourceTag/")
}

/// `iam:PassedToService`: the service a role is passed to.
pub fn is_passed_to_service_key(key: &str) -> bool {
    key_is(key, "iam:PassedToService")
}

/// Keys that name or place the caller: who it is, its account and
/// organization, the resource or account a service acts for.
pub fn is_principal_key(key: &str) -> bool {
    [
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:PrincipalServiceName",
        "aws:PrincipalServiceNamesList",
        "aws:PrincipalType",
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
        "aws:userid",
        "aws:username",
    ]
    .iter()
    .any(|k| key_is(key, k))
}

/// `aws:MultiFactorAuthPresent`.
pub fn is_mfa_present_key(key: &str) -> bool {
    key_is(key, "aws:MultiFactorAuthPresent")
}

// ------------------------------------------------------------- admin

/// Two action names with no character in common: an `Action` covering both
/// covers every action, today's and those AWS adds later.
const PROBE_ACTIONS: [&str; 2] = ["qqqq:Qq", "zz-z9:Zzzzzzzzzzzz"];

/// Three ARNs in different services with no character in common where
/// they differ, one of a global service (no region, no account).
const PROBE_RESOURCES: [&str; 3] = [
    "arn:aws:qqqq:qq-qqqq-1:135791357913:qqqq/qqqq",
    "arn:aws:zz:zz-zzzz-9:864208642086:zz",
    "arn:aws:zzzz:::zzzz",
];

/// Whether an `Action`/`NotAction` element covers every action: `*`,
/// `*:*`, a list holding one of them, or a `NotAction` none of whose
/// entries matches an action of the catalog.
pub fn covers_every_action(list: &ItemList) -> bool {
    if list.items.iter().any(|i| i.is_unknown()) {
        return false;
    }
    if list.negated {
        let Ok(catalog) = catalog::embedded() else {
            return false;
        };
        return list.items.iter().all(|i| !catalog.matches_any(&i.text));
    }
    PROBE_ACTIONS.iter().all(|a| covers_action(list, a))
}

/// Whether a statement of an identity-side document allows every action on
/// every resource, whatever its condition: what `admin-access` flags, and
/// what the narrower rules leave to it.
pub fn grants_everything(doc: &DocumentContext<'_>, statement: &Statement) -> bool {
    if doc.kind != PolicyKind::Identity || statement.effect() != Some(Effect::Allow) {
        return false;
    }
    if !statement.action.as_ref().is_some_and(covers_every_action) {
        return false;
    }
    let Some(compiled) = doc.compiled(statement) else {
        return false;
    };
    PROBE_RESOURCES.iter().all(|resource| {
        probe(PROBE_ACCOUNTS[0], PROBE_ACTIONS[0], resource, &[])
            .is_some_and(|r| compiled.matches_elements(&r))
    })
}

/// Whether one resource pattern matches every resource (`*`,
/// `arn:*:*:*:*:*`, `arn:aws:*:*:*:*`, …).
pub fn covers_every_resource(pattern: &str) -> bool {
    PROBE_RESOURCES.iter().all(|r| arn_covers(pattern, r))
}

/// Whether some statement of the document is [`grants_everything`].
pub fn document_grants_everything(doc: &DocumentContext<'_>) -> bool {
    doc.doc
        .parsed
        .policy
        .statements
        .iter()
        .any(|s| grants_everything(doc, s))
}

// ------------------------------------------------------ sample requests

/// An action the element covers, for a request that exercises a
/// statement: its first entry naming one action, else the first catalog
/// action it covers (for wildcards and `NotAction`).
pub fn sample_action(list: &ItemList) -> Option<String> {
    if list.items.iter().any(|i| i.is_unknown()) {
        return None;
    }
    if !list.negated
        && let Some(item) = list.items.iter().find(|i| !has_wildcard(&i.text))
    {
        return Some(item.text.clone());
    }
    let catalog = catalog::embedded().ok()?;
    catalog
        .actions()
        .map(|a| a.to_string())
        .find(|a| covers_action(list, a))
}

/// A resource for `action` in `account`, named `name`: an ARN of the first
/// resource type the action requires (or lists), `*` for an action
/// without resource types.
pub fn sample_resource(action: &str, account: &str, name: &str) -> Option<String> {
    let catalog = catalog::embedded().ok()?;
    let action = catalog.action(action)?;
    let format = action
        .resource_types()
        .find(|r| r.required)
        .or_else(|| action.resource_types().next())
        .map(|r| r.resource_type.arn_format());
    Some(match format {
        Some(format) => arn_of_format(format, "us-east-1", account, name),
        None => "*".to_owned(),
    })
}

/// The entries of an element as a phrase: "`a`", "`a` and `b`",
/// "`a`, `b` and `c`".
pub fn quoted_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|i| format!("`{i}`")).collect();
            format!("{} and `{last}`", init.join(", "))
        }
    }
}

/// Words joined as a phrase: "a", "a and b", "a, b and c".
pub fn phrase(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A pattern with its wildcards filled in (`*` → `x`, `?` → `x`).
pub fn instantiate(pattern: &str) -> String {
    pattern.replace(['*', '?'], "x")
}

// ----------------------------------------------------------- iam:PassRole

/// `iam:PassRole`.
pub const PASS_ROLE: &str = "iam:PassRole";

/// The `Resource` (or `NotResource`) of a statement that may pass roles:
/// an identity policy `Allow` whose actions cover `iam:PassRole` and that
/// `admin-access` does not already report.
pub fn passable_roles<'s>(
    doc: &DocumentContext<'_>,
    statement: &'s Statement,
) -> Option<&'s ItemList> {
    let resources = statement.resource.as_ref()?;
    let may_pass = doc.kind == PolicyKind::Identity
        && statement.effect() == Some(Effect::Allow)
        && statement
            .action
            .as_ref()
            .is_some_and(|a| covers_action(a, PASS_ROLE))
        && !grants_everything(doc, statement);
    may_pass.then_some(resources)
}

/// The statement's first condition entry on `iam:PassedToService`, with
/// its operator block.
pub fn passed_to_service_entry(statement: &Statement) -> Option<(&OperatorBlock, &ConditionEntry)> {
    statement
        .condition
        .as_ref()?
        .operators
        .iter()
        .find_map(|block| {
            block
                .entries
                .iter()
                .find(|e| is_passed_to_service_key(&e.key.value))
                .map(|e| (block, e))
        })
}

/// Role ARNs a statement's `Resource` names, wildcards filled in (an
/// account wildcard with a probe account), then a role no policy names:
/// the roles to ask the engine about.
pub fn role_candidates(list: &ItemList) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    if !list.negated {
        for item in list.items.iter().filter(|i| !i.is_unknown()) {
            let parts: Vec<&str> = item.text.splitn(6, ':').collect();
            let [_, _, service, _, account, resource] = parts[..] else {
                continue;
            };
            if !matches_ignore_case_glob(service, "iam") || resource.contains("${") {
                continue;
            }
            let account = if has_wildcard(account) {
                PROBE_ACCOUNTS[0]
            } else {
                account
            };
            found.push(format!("arn:aws:iam::{account}:{}", instantiate(resource)));
        }
    }
    found.push(format!(
        "arn:aws:iam::{}:role/{}",
        PROBE_ACCOUNTS[0], PROBE_NAMES[0]
    ));
    found
}

fn matches_ignore_case_glob(pattern: &str, text: &str) -> bool {
    crate::policy::wildcard::matches_ignore_case(pattern, text)
}

// ------------------------------------------------- wildcard containment

/// Whether every text `inner` matches is matched by `outer` (both IAM
/// wildcard patterns). Sound: `true` only when containment holds; an
/// `inner` wildcard can only be absorbed by an `outer` `*` (or `?` by `?`).
pub fn glob_covers(outer: &str, inner: &str, ignore_case: bool) -> bool {
    if !has_wildcard(inner) {
        return if ignore_case {
            crate::policy::wildcard::matches_ignore_case(outer, inner)
        } else {
            matches(outer, inner)
        };
    }
    let (o, i) = (outer.as_bytes(), inner.as_bytes());
    let eq = |a: u8, b: u8| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    // reach[j]: the outer pattern read so far can absorb inner[..j].
    let mut reach = vec![false; i.len() + 1];
    let mut next = vec![false; i.len() + 1];
    reach[0] = true;
    for &oc in o {
        next[0] = oc == b'*' && reach[0];
        match oc {
            b'*' => {
                for j in 1..=i.len() {
                    next[j] = next[j - 1] || reach[j];
                }
            }
            b'?' => {
                for j in 0..i.len() {
                    next[j + 1] = reach[j] && i[j] != b'*';
                }
            }
            c => {
                for j in 0..i.len() {
                    next[j + 1] = reach[j] && i[j] != b'*' && i[j] != b'?' && eq(c, i[j]);
                }
            }
        }
        std::mem::swap(&mut reach, &mut next);
    }
    reach[i.len()]
}

/// Whether resource pattern `outer` covers resource pattern `inner`,
/// segment by segment as the engine matches ARNs (wildcards stay within
/// a segment; the resource part, after the fifth colon, is one segment).
pub fn arn_covers(outer: &str, inner: &str) -> bool {
    if outer == "*" {
        return true;
    }
    let (mut o, mut i) = (outer.splitn(6, ':'), inner.splitn(6, ':'));
    let mut segments = 0;
    loop {
        match (o.next(), i.next()) {
            (Some(a), Some(b)) if glob_covers(a, b, false) => segments += 1,
            (None, None) => return segments == 6,
            _ => return false,
        }
    }
}

/// Whether every action `inner` covers, `outer` covers too. Wildcard
/// entries of `inner` are expanded through the catalog (the actions of
/// today); a `NotAction` is compared with a `NotAction` entry by entry.
pub fn actions_cover(outer: &ItemList, inner: &ItemList) -> bool {
    if outer
        .items
        .iter()
        .chain(&inner.items)
        .any(|i| i.is_unknown())
    {
        return false;
    }
    if covers_every_action(outer) {
        return true;
    }
    match (outer.negated, inner.negated) {
        // Everything `outer` leaves out, `inner` leaves out too.
        (true, true) => outer.items.iter().all(|o| excluded_by(&o.text, inner)),
        (false, true) => false,
        (_, false) => inner.items.iter().all(|item| {
            if !has_wildcard(&item.text) {
                return covers_action(outer, &item.text);
            }
            if !outer.negated
                && outer
                    .items
                    .iter()
                    .any(|o| glob_covers(&o.text, &item.text, true))
            {
                return true;
            }
            let Ok(catalog) = catalog::embedded() else {
                return false;
            };
            let expanded = catalog.expand(&item.text);
            !expanded.is_empty()
                && expanded
                    .iter()
                    .all(|a| covers_action(outer, &a.to_string()))
        }),
    }
}

/// Whether every action `pattern` matches is one a `NotAction` element
/// leaves out.
fn excluded_by(pattern: &str, not_action: &ItemList) -> bool {
    if not_action
        .items
        .iter()
        .any(|i| glob_covers(&i.text, pattern, true))
    {
        return true;
    }
    let Ok(catalog) = catalog::embedded() else {
        return false;
    };
    let expanded = catalog.expand(pattern);
    expanded
        .iter()
        .all(|a| !covers_action(not_action, &a.to_string()))
}

/// Whether every resource `inner` names, `outer` names too (a missing
/// element, in a trust policy, is every resource).
pub fn resources_cover(outer: Option<&ItemList>, inner: Option<&ItemList>) -> bool {
    match (outer, inner) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(o), Some(i)) => {
            if o.items.iter().chain(&i.items).any(|x| x.is_unknown()) {
                return false;
            }
            match (o.negated, i.negated) {
                (false, false) => i
                    .items
                    .iter()
                    .all(|ii| o.items.iter().any(|oo| arn_covers(&oo.text, &ii.text))),
                // Everything `outer` leaves out, `inner` leaves out too.
                (true, true) => o
                    .items
                    .iter()
                    .all(|oo| i.items.iter().any(|ii| arn_covers(&ii.text, &oo.text))),
                (false, true) => o.items.iter().any(|oo| oo.text == "*"),
                // `inner` names only ARNs none of `outer`'s exclusions matches.
                (true, false) => i.items.iter().all(|ii| {
                    !has_wildcard(&ii.text) && o.items.iter().all(|oo| !matches(&oo.text, &ii.text))
                }),
            }
        }
    }
}

/// Whether `outer` names every principal `inner` names (`None`: the
/// statement has no principal element, as in identity policies).
pub fn principals_cover(outer: Option<&PrincipalBlock>, inner: Option<&PrincipalBlock>) -> bool {
    match (outer, inner) {
        (None, None) => true,
        (Some(o), Some(i)) if o.negated || i.negated => {
            o.negated == i.negated && principal_values(o) == principal_values(i)
        }
        (Some(o), Some(i)) => {
            if principal_values(o)
                .iter()
                .any(|(t, v)| *t == "AWS" && v == "*")
                || matches!(o.spec, PrincipalSpec::Wildcard)
            {
                return true;
            }
            let outer = principal_values(o);
            principal_values(i).iter().all(|v| outer.contains(v))
        }
        _ => false,
    }
}

/// A principal element's values as `(type, value)`, account ids written
/// as their root ARN, sorted; `("*", "*")` for `"Principal": "*"`.
fn principal_values(block: &PrincipalBlock) -> Vec<(&'static str, String)> {
    let mut values = match &block.spec {
        PrincipalSpec::Wildcard => vec![("*", "*".to_owned())],
        PrincipalSpec::Map(entries) => entries
            .iter()
            .flat_map(|e| {
                e.items.iter().map(move |item| {
                    let text = &item.text;
                    let value = if item.is_unknown() {
                        format!("\u{0}{text}")
                    } else if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
                        format!("arn:aws:iam::{text}:root")
                    } else {
                        text.clone()
                    };
                    (e.principal_type.key(), value)
                })
            })
            .collect(),
    };
    values.sort();
    values.dedup();
    values
}

/// Whether two conditions are the same (operators and keys compared
/// ignoring case and order, values as sets).
pub fn same_condition(a: &[OperatorBlock], b: &[OperatorBlock]) -> bool {
    fn canonical(blocks: &[OperatorBlock]) -> Vec<(String, String, Vec<String>)> {
        let mut entries: Vec<_> = blocks
            .iter()
            .flat_map(|block| {
                block.entries.iter().map(move |e| {
                    let mut values: Vec<String> = e
                        .values
                        .iter()
                        .map(|v| {
                            if v.is_unknown() {
                                format!("\u{0}{}", v.text)
                            } else {
                                v.text.clone()
                            }
                        })
                        .collect();
                    values.sort();
                    values.dedup();
                    (
                        block.name.value.to_ascii_lowercase(),
                        e.key.value.to_ascii_lowercase(),
                        values,
                    )
                })
            })
            .collect();
        entries.sort();
        entries
    }
    let unknown = |blocks: &[OperatorBlock]| {
        blocks
            .iter()
            .flat_map(|b| &b.entries)
            .flat_map(|e| &e.values)
            .any(|v| v.is_unknown())
    };
    !unknown(a) && !unknown(b) && canonical(a) == canonical(b)
}

/// Whether statement `outer` applies to every request `inner` applies to:
/// its actions, resources and principals cover `inner`'s, and its
/// condition is absent or the same as `inner`'s. Effects are not compared.
pub fn statement_covers(outer: &Statement, inner: &Statement) -> bool {
    let (Some(oa), Some(ia)) = (&outer.action, &inner.action) else {
        return false;
    };
    let condition = match (&outer.condition, &inner.condition) {
        (None, _) => true,
        (Some(o), Some(i)) => same_condition(&o.operators, &i.operators),
        (Some(_), None) => false,
    };
    condition
        && principals_cover(outer.principal.as_ref(), inner.principal.as_ref())
        && resources_cover(outer.resource.as_ref(), inner.resource.as_ref())
        && actions_cover(oa, ia)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{PolicyDocument, parse_policy};
    use crate::source::SourceFile;

    fn statement(json: &str) -> Statement {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{json}]}}"#);
        parse_policy(&text).unwrap().policy.statements.remove(0)
    }

    #[test]
    fn glob_containment() {
        assert!(glob_covers("*", "s3:Get*", true));
        assert!(glob_covers("s3:*", "S3:get*", true));
        assert!(glob_covers("s3:Get*", "s3:GetObject", true));
        assert!(glob_covers("s3:*Object*", "s3:Get*Object", true));
        assert!(!glob_covers("s3:Get*", "s3:*", true));
        assert!(!glob_covers("s3:Get?", "s3:Get*", true));
        assert!(glob_covers("s3:Get?", "s3:Get?", true));
        assert!(!glob_covers("role/A*", "role/a*", false));
        assert!(arn_covers(
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:role/x"
        ));
        assert!(!arn_covers(
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:user/x"
        ));
        // Wildcards stay within a segment.
        assert!(!arn_covers("arn:aws:s3:::*", "arn:aws:s3:us-east-1::b"));
        assert!(arn_covers("*", "arn:aws:s3:::b"));
    }

    #[test]
    fn action_containment_through_the_catalog() {
        let list = |json: &str| statement(json).action.unwrap();
        let outer = list(r#"{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}"#);
        let inner =
            list(r#"{"Effect":"Allow","Action":["S3:GetObject","s3:ListB*"],"Resource":"*"}"#);
        assert!(actions_cover(&outer, &inner));
        assert!(!actions_cover(&inner, &outer));
        let everything = list(r#"{"Effect":"Allow","NotAction":[],"Resource":"*"}"#);
        assert!(covers_every_action(&everything));
        assert!(actions_cover(&everything, &outer));
        let not_iam = list(r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#);
        let not_iam_s3 = list(r#"{"Effect":"Allow","NotAction":["iam:*","s3:*"],"Resource":"*"}"#);
        assert!(actions_cover(&not_iam, &not_iam_s3));
        assert!(!actions_cover(&not_iam_s3, &not_iam));
        assert!(actions_cover(&not_iam, &outer));
        assert!(!covers_every_action(&not_iam));
        let bogus = list(r#"{"Effect":"Allow","NotAction":"nosuchservice:*","Resource":"*"}"#);
        assert!(covers_every_action(&bogus));
    }

    #[test]
    fn arns_of_catalog_formats() {
        assert_eq!(
            arn_of_format(
                "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
                "us-east-1",
                "135791357913",
                "q"
            ),
            "arn:aws:lambda:us-east-1:135791357913:function:q"
        );
    }

    #[test]
    fn resources_the_patterns_name() {
        let resources = |json: &str| statement(json).resource.unwrap();
        let function = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}";
        let list = resources(
            r#"{"Effect":"Allow","Action":"lambda:*","Resource":[
                "arn:aws:lambda:*:*:function:app-*",
                "arn:aws:lambda:eu-west-1:111122223333:function:?x",
                "arn:aws:lambda:us-east-1:111122223333:layer:*",
                "arn:aws:lambda:us-east-1:${aws:PrincipalAccount}:function:*",
                "*"]}"#,
        );
        assert_eq!(
            named_resources(&list, function, "111122223333", "us-east-1"),
            [
                "arn:aws:lambda:us-east-1:111122223333:function:app-q",
                "arn:aws:lambda:us-east-1:111122223333:function:app-zzzzzzzzzzzz-9",
            ]
        );
        assert_eq!(
            named_resources(&list, function, "111122223333", "eu-west-1"),
            [
                "arn:aws:lambda:eu-west-1:111122223333:function:app-q",
                "arn:aws:lambda:eu-west-1:111122223333:function:app-zzzzzzzzzzzz-9",
                "arn:aws:lambda:eu-west-1:111122223333:function:qx",
                "arn:aws:lambda:eu-west-1:111122223333:function:zx",
            ]
        );
        // A format without an account.
        let image = "arn:${Partition}:ec2:${Region}::image/${ImageId}";
        let list = resources(
            r#"{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:image/ami-*"}"#,
        );
        assert_eq!(
            named_resources(&list, image, "111122223333", "us-east-1")[0],
            "arn:aws:ec2:us-east-1::image/ami-q"
        );
        // A format whose resource part holds two fields.
        let stack = "arn:${Partition}:cloudformation:${Region}:${Account}:stack/${StackName}/${Id}";
        let list = resources(
            r#"{"Effect":"Allow","Action":"cloudformation:*","Resource":"arn:aws:cloudformation:*:111122223333:stack/app-*"}"#,
        );
        assert_eq!(
            named_resources(&list, stack, "111122223333", "us-east-1")[0],
            "arn:aws:cloudformation:us-east-1:111122223333:stack/app-q/q"
        );
        assert!(named_resources(&list, stack, "444455556666", "us-east-1").is_empty());
        let not = resources(
            r#"{"Effect":"Allow","Action":"lambda:*","NotResource":"arn:aws:lambda:*:*:function:app-*"}"#,
        );
        assert!(named_resources(&not, function, "111122223333", "us-east-1").is_empty());
    }

    #[test]
    fn statements_compile_once_and_answer_probes() {
        let file = SourceFile::new(
            "p.json",
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"*:*","Resource":"*"},
                {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Condition":{"StringEquals":{"aws:ResourceAccount":"111122223333"}}},
                {"Effect":"Deny","Action":"sts:AssumeRole","NotResource":"arn:aws:iam::*:role/ok"}
            ]}"#,
        );
        let doc = PolicyDocument::from_file(file, None).unwrap();
        let settings = crate::lint::RuleSettings::default();
        let ctx = DocumentContext::new(&doc, PolicyKind::Identity, &settings);
        let statements = &doc.parsed.policy.statements;
        assert!(grants_everything(&ctx, &statements[0]));
        assert!(!grants_everything(&ctx, &statements[1]));
        let foreign = probe(
            PROBE_ACCOUNTS[0],
            "sts:AssumeRole",
            "arn:aws:iam::864208642086:role/ok",
            &[],
        )
        .unwrap();
        let pins: &dyn Fn(&str) -> bool = &is_resource_key;
        assert!(!ctx.grants(&statements[1], &foreign, pins));
        assert!(ctx.grants(&statements[0], &foreign, pins));
        let denied = probe(
            PROBE_ACCOUNTS[0],
            "sts:AssumeRole",
            "arn:aws:iam::864208642086:role/other",
            &[],
        )
        .unwrap();
        assert!(!ctx.grants(&statements[0], &denied, pins));
        assert!(std::ptr::eq(
            ctx.compiled(&statements[0]).unwrap(),
            ctx.compiled(&statements[0]).unwrap()
        ));
    }
}
