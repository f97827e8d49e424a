//! Trust-policy probes: could someone the role's owner did not mean to trust
//! assume the role?
//!
//! A trust rule describes an adversary as the requests it can make — a
//! principal in another account, with or without an organization, a service
//! acting for another account, a token from another tenant of a shared
//! identity provider — and asks the evaluation engine whether the trust
//! policy allows any of them. The engine decides principal matching (`"*"`,
//! `{"AWS": "*"}`, an account id or its root ARN), action matching
//! (`sts:*`, `sts:Assume*`, `NotAction`) and every condition operator
//! (case of keys, `StringLike`, `ForAnyValue:`, `...IfExists`, `Null`,
//! negated operators, policy variables), so a rule never compares key names
//! as strings.
//!
//! Each rule names the condition keys it *models*: keys whose values are
//! fixed by who the adversary is (its account, organization, source
//! resource, the claims of its token). Entries on every other key are
//! assumed satisfiable — the caller chooses them (an external id it was
//! told, a session name, a source IP) — so they are dropped from `Allow`
//! statements, and a `Deny` statement holding any of them is assumed
//! escapable. Values of modelled keys are probed with a sentinel the
//! adversary owns (an account id, organization id or name that appears
//! nowhere in the document) and with each wildcard pattern of the policy
//! filled in, because AWS calls wildcards in these keys a risk in every case
//! ("Sensitive condition keys",
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sensitive>).

use crate::eval::compile::CompiledStatement;
use crate::eval::principal::PrincipalValue;
use crate::eval::{
    CompiledPolicy, ContextValue, PolicyType, Request, RequestContext, RequestInput,
};
use crate::lint::DocumentContext;
use crate::policy::wildcard::{has_wildcard, matches};
use crate::policy::{
    Effect, ItemKind, Policy, PolicyKind, PrincipalBlock, PrincipalEntry, PrincipalSpec,
    PrincipalType, Statement,
};
use crate::source::Span;

/// At most this many requests are tried per question; real policies need a
/// handful.
const MAX_PROBES: usize = 4096;

/// What an unknown-until-deployment condition value is probed as: one
/// literal value (a template parameter holds one value, not a pattern).
const DEPLOY_TIME_VALUE: &str = "rolecall-deploy-time-value";

/// Account ids, organization id and names that stand for parties the
/// document does not mention.
#[derive(Debug, Clone)]
pub struct Sentinels {
    /// An account of the adversary.
    pub account: String,
    /// The role's own account, when the document does not say.
    pub victim: String,
    /// The adversary's organization.
    pub org: String,
    /// A name the adversary picks (a role, a repository, a bucket).
    pub name: &'static str,
}

impl Sentinels {
    /// Sentinels that appear nowhere in `text` (the document's source).
    pub fn new(text: &str) -> Self {
        const ACCOUNTS: [&str; 4] = [
            "010203040506",
            "605040302010",
            "909090909091",
            "808080808082",
        ];
        let mut free = ACCOUNTS.iter().copied().filter(|a| !text.contains(a));
        let account = free.next().unwrap_or(ACCOUNTS[0]).to_owned();
        let victim = free.next().unwrap_or(ACCOUNTS[1]).to_owned();
        Self {
            account,
            victim,
            org: "o-rolecall0probe".to_owned(),
            name: "rolecall-probe",
        }
    }

    /// Sentinels for a document: they avoid its own text (not the whole
    /// file around it, which may be a large dump).
    pub fn for_document(doc: &crate::policy::PolicyDocument) -> Self {
        Self::new(doc.origin.document_source().slice(doc.parsed.policy.span))
    }

    /// The organization path of an account in the adversary's organization.
    pub fn org_path(&self) -> String {
        format!("{}/r-0000/ou-0000-00000000/", self.org)
    }

    /// A role ARN in `account`.
    pub fn role_in(&self, account: &str) -> String {
        format!("arn:aws:iam::{account}:role/{}", self.name)
    }

    /// The role the probes ask about: one in the victim's account.
    pub fn victim_role(&self) -> String {
        self.role_in(&self.victim)
    }
}

/// A trust policy prepared for probing: every statement compiled with only
/// the condition entries on modelled keys.
pub struct TrustProbe {
    /// `Allow` statements by statement index (`None`: a `Deny`, or a
    /// statement the engine cannot evaluate).
    allows: Vec<Option<CompiledStatement>>,
    /// `Deny` statements the adversary cannot escape.
    denies: Vec<CompiledStatement>,
}

impl TrustProbe {
    /// Prepares `policy`; `modelled` gets lowercase condition keys.
    pub fn new(policy: &Policy, modelled: &dyn Fn(&str) -> bool) -> Self {
        let mut allows = Vec::with_capacity(policy.statements.len());
        let mut denies = Vec::new();
        for statement in &policy.statements {
            let compiled = sanitize(statement, modelled).and_then(|s| compile(policy, s));
            match compiled {
                Some(c) if c.effect == Effect::Deny => {
                    denies.push(c);
                    allows.push(None);
                }
                other => allows.push(other),
            }
        }
        Self { allows, denies }
    }

    /// Whether statement `index` allows `request` and no `Deny` stops it.
    pub fn admits(&self, index: usize, request: &Request) -> bool {
        self.allows
            .get(index)
            .and_then(Option::as_ref)
            .is_some_and(|s| s.applies(request, false).is_some())
            && !self
                .denies
                .iter()
                .any(|d| d.applies(request, false).is_some())
    }

    /// Whether statement `index` can be asked at all.
    pub fn can_ask(&self, index: usize) -> bool {
        self.allows.get(index).is_some_and(Option::is_some)
    }

    /// Whether some request of `search` (by `caller` unless a choice names
    /// another, for `action` on `role`) passes statement `index`; `false`
    /// when the statement cannot be asked.
    pub fn admits_some(
        &self,
        index: usize,
        search: &Search,
        caller: &str,
        action: &str,
        role: &str,
    ) -> bool {
        self.can_ask(index) && search.any(caller, action, role, |r| self.admits(index, r))
    }
}

/// The statement as the probe evaluates it, or `None` for a `Deny` the
/// adversary escapes: values unknown until deployment are dropped from the
/// principal and action and stand for one literal value in conditions;
/// `AWS` principals the engine rejects (a partial wildcard) are dropped.
fn sanitize(statement: &Statement, modelled: &dyn Fn(&str) -> bool) -> Option<Statement> {
    let deny = statement.effect() == Some(Effect::Deny);
    let mut s = statement.clone();
    if let Some(block) = &mut s.principal
        && let PrincipalSpec::Map(entries) = &mut block.spec
    {
        for entry in entries {
            let aws = entry.principal_type == PrincipalType::Aws;
            entry
                .items
                .retain(|i| !i.is_unknown() && (!aws || PrincipalValue::aws(&i.text).is_ok()));
        }
    }
    if let Some(action) = &mut s.action {
        action.items.retain(|i| !i.is_unknown());
    }
    if let Some(resource) = &mut s.resource {
        resource.items.retain(|i| !i.is_unknown());
    }
    if let Some(condition) = &mut s.condition {
        for block in &mut condition.operators {
            let before = block.entries.len();
            block
                .entries
                .retain(|e| modelled(&e.key.value.to_ascii_lowercase()));
            if deny && block.entries.len() != before {
                return None;
            }
            for value in block.entries.iter_mut().flat_map(|e| e.values.iter_mut()) {
                if value.is_unknown() {
                    value.text = DEPLOY_TIME_VALUE.to_owned();
                    value.kind = ItemKind::String;
                }
            }
        }
        condition.operators.retain(|b| !b.entries.is_empty());
        if condition.operators.is_empty() {
            s.condition = None;
        }
    }
    Some(s)
}

/// Compiles one statement as part of a role trust policy (a resource-based
/// policy for `sts:AssumeRole*`).
fn compile(policy: &Policy, statement: Statement) -> Option<CompiledStatement> {
    let single = Policy {
        span: policy.span,
        version: policy.version.clone(),
        id: None,
        statement_key: Some(policy.span),
        statements: vec![statement],
    };
    CompiledPolicy::compile(&single, "trust probe", PolicyType::Resource, None)
        .ok()?
        .statements()
        .first()
        .cloned()
}

/// One way an adversary fills part of a request: the principal it is (if
/// this choice decides it) and context keys it sets; keys it does not set
/// are absent.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    principal: Option<String>,
    keys: Vec<(String, ContextValue)>,
}

impl Choice {
    /// A choice that sets nothing (the keys absent).
    pub fn absent() -> Self {
        Self::default()
    }

    /// A choice of principal (as `Request` parses it: an ARN, an account
    /// id, `service:NAME`, `federated:PROVIDER`).
    pub fn principal(principal: impl Into<String>) -> Self {
        Self {
            principal: Some(principal.into()),
            keys: Vec::new(),
        }
    }

    /// Sets a context key.
    pub fn key(mut self, key: &str, value: impl Into<ContextValue>) -> Self {
        self.keys.push((key.to_owned(), value.into()));
        self
    }
}

/// The requests an adversary can make: one choice from every dimension.
#[derive(Debug, Clone, Default)]
pub struct Search {
    dimensions: Vec<Vec<Choice>>,
}

impl Search {
    /// No choices yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a dimension (ignored when empty).
    pub fn with(mut self, choices: Vec<Choice>) -> Self {
        if !choices.is_empty() {
            self.dimensions.push(choices);
        }
        self
    }

    /// Whether some request passes `test`. `principal` is the caller unless
    /// a choice names one; `resource` is the role.
    pub fn any(
        &self,
        principal: &str,
        action: &str,
        resource: &str,
        test: impl Fn(&Request) -> bool,
    ) -> bool {
        let mut at = vec![0usize; self.dimensions.len()];
        for _ in 0..MAX_PROBES {
            let mut caller = principal;
            let mut context = RequestContext::new();
            for (dimension, &i) in self.dimensions.iter().zip(&at) {
                let choice = &dimension[i];
                if let Some(p) = &choice.principal {
                    caller = p;
                }
                for (key, value) in &choice.keys {
                    context.insert(key.clone(), value.clone());
                }
            }
            let input = RequestInput {
                principal: caller,
                action,
                resource,
                resource_account: None,
            };
            if Request::new(input, context).is_ok_and(|r| test(&r)) {
                return true;
            }
            if !advance(&mut at, &self.dimensions) {
                return false;
            }
        }
        false
    }
}

/// Moves an odometer over the dimensions; `false` once every combination
/// was visited.
fn advance(at: &mut [usize], dimensions: &[Vec<Choice>]) -> bool {
    for (i, dimension) in at.iter_mut().zip(dimensions) {
        *i += 1;
        if *i < dimension.len() {
            return true;
        }
        *i = 0;
    }
    false
}

/// Every value the document's conditions compare `key` with (known values
/// only), whatever the operator.
pub fn values_for<'p>(policy: &'p Policy, key: &str) -> Vec<&'p str> {
    let mut found: Vec<&str> = policy
        .statements
        .iter()
        .filter_map(|s| s.condition.as_ref())
        .flat_map(|c| &c.operators)
        .flat_map(|b| &b.entries)
        .filter(|e| e.key.value.eq_ignore_ascii_case(key))
        .flat_map(|e| &e.values)
        .filter(|v| !v.is_unknown())
        .map(|v| v.text.as_str())
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// Whether some condition of the document tests `key`.
pub fn mentions(policy: &Policy, key: &str) -> bool {
    policy
        .statements
        .iter()
        .filter_map(|s| s.condition.as_ref())
        .flat_map(|c| &c.operators)
        .flat_map(|b| &b.entries)
        .any(|e| e.key.value.eq_ignore_ascii_case(key))
}

/// A value matching `pattern`: each wildcard filled with one character.
pub fn fill(pattern: &str) -> String {
    pattern.replace(['*', '?'], "0")
}

/// An account id matching `pattern` (`1111*` → `111100000000`), or the plain
/// [`fill`] when no twelve-digit id matches.
pub fn fill_account(pattern: &str) -> String {
    let fixed = pattern.chars().filter(|&c| c != '*').count();
    let stars = pattern.matches('*').count();
    if stars == 0 || fixed > 12 {
        return fill(pattern);
    }
    let per_star = (12 - fixed) / stars;
    let mut extra = (12 - fixed) % stars;
    let mut out = String::with_capacity(12);
    for c in pattern.chars() {
        match c {
            '*' => {
                let n = per_star + usize::from(extra > 0);
                extra = extra.saturating_sub(1);
                out.extend(std::iter::repeat_n('0', n));
            }
            '?' => out.push('0'),
            c => out.push(c),
        }
    }
    out
}

/// Account ids an adversary can present for an account key: its own
/// `sentinel`, and each wildcard pattern filled with digits.
pub fn account_candidates(patterns: &[&str], sentinel: &str) -> Vec<String> {
    let mut out = vec![sentinel.to_owned()];
    out.extend(
        patterns
            .iter()
            .filter(|p| has_wildcard(p))
            .map(|p| fill_account(p)),
    );
    out.dedup();
    out
}

/// Values an adversary can present for a key it cannot choose (an account
/// id, an organization id): its own `sentinel`, and each wildcard pattern
/// filled in.
pub fn whole_candidates(patterns: &[&str], sentinel: &str) -> Vec<String> {
    let mut out = vec![sentinel.to_owned()];
    out.extend(patterns.iter().filter(|p| has_wildcard(p)).map(|p| fill(p)));
    out.dedup();
    out
}

/// ARNs an adversary in `account` can present for an ARN key whose policy
/// values are `patterns`, after `default`: each pattern with its account
/// part replaced by `account` (the adversary chooses names, not account
/// ids) unless that part is a wildcard, and the rest filled in; for an ARN
/// without account (an S3 bucket, whose name is global) the resource is
/// replaced instead, unless it is a wildcard.
pub fn arn_candidates(
    patterns: &[&str],
    account: &str,
    name: &str,
    default: String,
) -> Vec<String> {
    let mut out = vec![default];
    for pattern in patterns {
        let parts: Vec<&str> = pattern.splitn(6, ':').collect();
        let [prefix, partition, service, region, acct, resource] = parts[..] else {
            if has_wildcard(pattern) {
                out.push(fill(pattern));
            }
            continue;
        };
        let acct = if acct.is_empty() {
            String::new()
        } else if has_wildcard(acct) && !matches(acct, account) {
            fill_account(acct)
        } else {
            account.to_owned()
        };
        let resource = if acct.is_empty() && !has_wildcard(resource) {
            name.to_owned()
        } else {
            fill(resource)
        };
        out.push(format!(
            "{}:{}:{}:{}:{acct}:{resource}",
            fill(prefix),
            fill(partition),
            fill(service),
            fill(region)
        ));
    }
    out.dedup();
    out
}

/// Organization paths an adversary in organization `org` can present for
/// `patterns` (`o-…/r-…/ou-…/`), after its own `default` path: each
/// pattern with its organization replaced unless that is a wildcard.
pub fn org_path_candidates(patterns: &[&str], org: &str, default: String) -> Vec<String> {
    let mut out = vec![default];
    for pattern in patterns {
        match pattern.split_once('/') {
            Some((first, rest)) if !has_wildcard(first) => {
                out.push(format!("{org}/{}", fill(rest)))
            }
            _ if has_wildcard(pattern) => out.push(fill(pattern)),
            _ => {}
        }
    }
    out.dedup();
    out
}

/// One value of a statement's `Principal` element, with where it is.
#[derive(Debug, Clone)]
pub struct PrincipalItem<'s> {
    /// The type (`None` for `"Principal": "*"`).
    pub principal_type: Option<PrincipalType>,
    /// The value as written.
    pub text: &'s str,
    /// Where.
    pub span: Span,
    statement: &'s Statement,
    block: &'s PrincipalBlock,
    entry: Option<(&'s PrincipalEntry, usize)>,
}

impl PrincipalItem<'_> {
    /// Its path in the document (built when a finding needs it).
    pub fn path(&self) -> String {
        match self.entry {
            Some((entry, i)) => entry.item_path(self.block, self.statement, i),
            None => self.block.path(self.statement),
        }
    }
}

/// The values of a statement's `Principal` (not `NotPrincipal`), known
/// before deployment.
pub fn principal_items(statement: &Statement) -> Vec<PrincipalItem<'_>> {
    let Some(block) = statement.principal.as_ref().filter(|b| !b.negated) else {
        return Vec::new();
    };
    match &block.spec {
        PrincipalSpec::Wildcard => vec![PrincipalItem {
            principal_type: None,
            text: "*",
            span: block.span,
            statement,
            block,
            entry: None,
        }],
        PrincipalSpec::Map(entries) => entries
            .iter()
            .flat_map(|entry| {
                entry
                    .items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| !item.is_unknown())
                    .map(move |(i, item)| PrincipalItem {
                        principal_type: Some(entry.principal_type),
                        text: &item.text,
                        span: item.span,
                        statement,
                        block,
                        entry: Some((entry, i)),
                    })
            })
            .collect(),
    }
}

/// Whether the statement is an `Allow`.
pub fn is_allow(statement: &Statement) -> bool {
    statement.effect() == Some(Effect::Allow)
}

/// The `Principal` values of the `Allow` statements that `pick` selects,
/// each with its statement and what `pick` made of it.
pub fn allowed_principals<'p, T>(
    policy: &'p Policy,
    pick: impl Fn(&PrincipalItem<'p>) -> Option<T>,
) -> Vec<(&'p Statement, PrincipalItem<'p>, T)> {
    policy
        .statements
        .iter()
        .filter(|s| is_allow(s))
        .flat_map(|s| principal_items(s).into_iter().map(move |item| (s, item)))
        .filter_map(|(s, item)| {
            let picked = pick(&item)?;
            Some((s, item, picked))
        })
        .collect()
}

/// [`allowed_principals`] of a document linted as a trust policy (none for
/// other kinds).
pub fn trust_principals<'d, T>(
    doc: &DocumentContext<'d>,
    pick: impl Fn(&PrincipalItem<'d>) -> Option<T>,
) -> Vec<(&'d Statement, PrincipalItem<'d>, T)> {
    if doc.kind != PolicyKind::Trust {
        return Vec::new();
    }
    allowed_principals(&doc.doc.parsed.policy, pick)
}

/// Where a missing condition belongs, as a finding location: the
/// statement's `Condition` (its span and path) labelled `label` when it has
/// one, else the statement, labelled as having no `Condition`.
pub fn condition_place<'l>(statement: &Statement, label: &'l str) -> (Span, String, &'l str) {
    match &statement.condition {
        Some(c) => (c.key_span, format!("{}/Condition", statement.path), label),
        None => (
            statement.span,
            statement.path.clone(),
            "no `Condition` in this statement",
        ),
    }
}

/// `"Condition": {"OP": {"KEY": VALUE}}` for help texts; `value` is JSON.
pub fn condition_json(entries: &[(&str, &str, String)]) -> String {
    let mut blocks: Vec<(&str, Vec<String>)> = Vec::new();
    for (operator, key, value) in entries {
        let entry = format!("\"{key}\": {value}");
        match blocks.iter_mut().find(|(op, _)| op == operator) {
            Some((_, list)) => list.push(entry),
            None => blocks.push((operator, vec![entry])),
        }
    }
    let body: Vec<String> = blocks
        .iter()
        .map(|(op, list)| format!("\"{op}\": {{{}}}", list.join(", ")))
        .collect();
    format!("\"Condition\": {{{}}}", body.join(", "))
}

/// A JSON string literal.
pub fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// Lints `text` as a role trust policy with one rule (tests of the trust
/// rules).
#[cfg(test)]
pub(crate) fn lint_trust(
    rule: &dyn crate::lint::Rule,
    settings: &crate::lint::RuleSettings,
    text: &str,
) -> Vec<crate::lint::Finding> {
    use crate::lint::{DocumentContext, Sink};
    use crate::policy::{PolicyDocument, PolicyKind};
    let file = crate::source::SourceFile::new("trust.json", text);
    let Ok(doc) = PolicyDocument::from_file(file, Some(PolicyKind::Trust)) else {
        return Vec::new();
    };
    let mut sink = Sink::default();
    let ctx = DocumentContext::new(&doc, PolicyKind::Trust, settings);
    rule.check_document(&ctx, &mut sink);
    for statement in &doc.parsed.policy.statements {
        rule.check_statement(&ctx, statement, &mut sink);
    }
    sink.into_findings()
}

/// A one-statement trust policy allowing `principal` (JSON) to call
/// `sts:AssumeRole`, with `condition` (JSON) unless it is empty (tests of
/// the trust rules).
#[cfg(test)]
pub(crate) fn trust_text(principal: &str, condition: &str) -> String {
    let condition = if condition.is_empty() {
        String::new()
    } else {
        format!(r#", "Condition": {condition}"#)
    };
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": "sts:AssumeRole"{condition}}}]}}"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy;

    fn policy(text: &str) -> Policy {
        parse_policy(text).unwrap().policy
    }

    #[test]
    fn sentinels_avoid_the_document() {
        let s = Sentinels::new("arn:aws:iam::010203040506:root");
        assert_eq!(s.account, "605040302010");
        assert_eq!(s.victim, "909090909091");
    }

    #[test]
    fn arn_candidates_keep_names_and_replace_accounts() {
        let c = arn_candidates(
            &[
                "arn:aws:iam::111122223333:role/ci-*",
                "arn:aws:iam::*:role/Admin",
                "arn:aws:s3:::logs",
                "arn:aws:s3:::logs-*",
                "*",
            ],
            "010203040506",
            "rolecall-probe",
            "default".into(),
        );
        assert_eq!(
            c,
            [
                "default",
                "arn:aws:iam::010203040506:role/ci-0",
                "arn:aws:iam::010203040506:role/Admin",
                "arn:aws:s3:::rolecall-probe",
                "arn:aws:s3:::logs-0",
                "0",
            ]
        );
    }

    #[test]
    fn account_fills_are_account_ids() {
        assert_eq!(fill_account("1111*"), "111100000000");
        assert_eq!(fill_account("*"), "000000000000");
        assert_eq!(fill_account("1*2*3"), "100000200003");
        assert_eq!(fill_account("11112222333?"), "111122223330");
        assert_eq!(
            account_candidates(&["111122223333", "4444*"], "010203040506"),
            ["010203040506", "444400000000"]
        );
    }

    #[test]
    fn org_paths_replace_the_organization() {
        let c = org_path_candidates(
            &["o-a1b2c3d4e5/r-ab12/*", "o-*/r-ab12/", "*"],
            "o-x",
            "o-x/r-0/".into(),
        );
        assert_eq!(c, ["o-x/r-0/", "o-x/r-ab12/0", "o-0/r-ab12/", "0"]);
    }

    #[test]
    fn values_are_collected_whatever_the_key_case() {
        let p = policy(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole",
            "Condition":{"StringEquals":{"AWS:PrincipalOrgID":"o-1"},"StringLike":{"aws:principalorgid":["o-2*","o-1"]}}}]}"#,
        );
        assert_eq!(values_for(&p, "aws:PrincipalOrgID"), ["o-1", "o-2*"]);
        assert!(mentions(&p, "AWS:PRINCIPALORGID"));
    }

    #[test]
    fn denies_with_caller_chosen_keys_are_escapable() {
        // The Deny tests sts:ExternalId, which the probe does not model: the
        // caller sends another value and the Deny does not apply.
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},
            {"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringNotEquals":{"sts:ExternalId":"x"}}},
            {"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}]}"#,
        );
        let modelled = |k: &str| k == "aws:principalaccount";
        let probe = TrustProbe::new(&p, &modelled);
        let ask = |principal: &str| {
            Search::new().any(
                principal,
                "sts:AssumeRole",
                "arn:aws:iam::111122223333:role/r",
                |r| probe.admits(0, r),
            )
        };
        assert!(!ask("arn:aws:iam::444455556666:role/x"));
        assert!(ask("arn:aws:iam::111122223333:role/x"));
        assert!(!probe.can_ask(1));
    }

    #[test]
    fn search_tries_every_combination() {
        let search = Search::new()
            .with(vec![Choice::absent(), Choice::absent().key("k:a", "1")])
            .with(vec![
                Choice::absent().key("k:b", "1"),
                Choice::absent().key("k:b", "2"),
            ]);
        let seen = std::cell::RefCell::new(Vec::new());
        search.any("111122223333", "sts:AssumeRole", "*", |r| {
            seen.borrow_mut().push((
                r.context.get("k:a").map(ToString::to_string),
                r.context.get("k:b").map(ToString::to_string),
            ));
            false
        });
        assert_eq!(seen.borrow().len(), 4);
    }

    #[test]
    fn help_json_groups_operators() {
        assert_eq!(
            condition_json(&[
                ("StringEquals", "a:x", json_string("1")),
                ("ArnLike", "a:y", json_string("arn")),
                ("StringEquals", "a:z", json_string("2")),
            ]),
            r#""Condition": {"StringEquals": {"a:x": "1", "a:z": "2"}, "ArnLike": {"a:y": "arn"}}"#
        );
    }
}
