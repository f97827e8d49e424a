//! `principal-misplaced`: `Principal`/`NotPrincipal` where the document's
//! kind forbids it, or missing where the kind requires it.

use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{PolicyKind, PrincipalBlock, PrincipalSpec, Statement};

declare_rule! {
    /// Checks the principal element of each statement against the kind of
    /// the document it is in.
    PrincipalMisplaced {
        id: "principal-misplaced",
        finding_type: Error,
        category: Validity,
        summary: "`Principal` or `NotPrincipal` where the policy kind forbids it, or no `Principal` where it is required",
    }
}

impl Rule for PrincipalMisplaced {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        match (&statement.principal, doc.kind) {
            (
                Some(block),
                PolicyKind::Identity
                | PolicyKind::PermissionBoundary
                | PolicyKind::Session
                | PolicyKind::ServiceControl,
            ) => forbidden(doc, statement, block, out),
            (Some(block), PolicyKind::Trust | PolicyKind::ResourceControl) if block.negated => {
                not_principal_unsupported(doc, statement, block, out);
            }
            (Some(block), PolicyKind::ResourceControl) => {
                if block.spec != PrincipalSpec::Wildcard {
                    rcp_principal_not_wildcard(doc, statement, block, out);
                }
            }
            (Some(_), PolicyKind::Trust | PolicyKind::Resource) => {}
            (None, PolicyKind::Resource | PolicyKind::Trust | PolicyKind::ResourceControl) => {
                if !principal_was_malformed(doc, statement) {
                    missing(doc, statement, out);
                }
            }
            (
                None,
                PolicyKind::Identity
                | PolicyKind::PermissionBoundary
                | PolicyKind::Session
                | PolicyKind::ServiceControl,
            ) => {}
        }
    }
}

/// `Principal` in a policy that applies to whoever it is attached to: AWS
/// rejects it ("Has prohibited field Principal"; the grammar page: "It must
/// not be included in identity-based policies"; Access Analyzer's
/// "Unsupported principal" and "SCP syntax error principal").
fn forbidden(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    block: &PrincipalBlock,
    out: &mut Sink,
) {
    let applies_to = match doc.kind {
        PolicyKind::Identity => "the users, groups and roles it is attached to",
        PolicyKind::PermissionBoundary => "the user or role whose boundary it is",
        PolicyKind::Session => "the session it is passed to",
        _ => "every principal in the accounts it is attached to",
    };
    let narrow = match doc.kind {
        PolicyKind::ServiceControl => {
            "; to exempt or target principals, test `aws:PrincipalArn` in a `Condition`"
        }
        _ => {
            "; to grant access to other principals, put this statement in a resource-based policy (or a role's trust policy) instead"
        }
    };
    doc.finding(
        &PrincipalMisplaced::META,
        format!(
            "`{}` is not allowed in {}: AWS rejects the policy",
            block.key(),
            doc.kind.description()
        ),
    )
    .at(block.key_span, block.path(statement), "not allowed here")
    .help(format!(
        "remove `{}`: {} applies to {applies_to}{narrow}",
        block.key(),
        doc.kind.description(),
    ))
    .statement(statement)
    .emit(out);
}

/// `NotPrincipal` in a role trust policy or an RCP: neither supports it
/// (reference_policies_elements_notprincipal.html: "You cannot use the
/// NotPrincipal element in ... an IAM role trust policy", "SCPs and RCPs do
/// not support the NotPrincipal element").
fn not_principal_unsupported(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    block: &PrincipalBlock,
    out: &mut Sink,
) {
    let help = match doc.kind {
        PolicyKind::ResourceControl => {
            "write \"Principal\": \"*\" and name the principals to exempt in a `Condition` on `aws:PrincipalArn` (e.g. `ArnNotLike`)"
        }
        _ => {
            "name who may assume the role under `Principal`; to deny everyone but some principals, write a `Deny` statement with \"Principal\": {\"AWS\": \"*\"} and an `ArnNotLike` condition on `aws:PrincipalArn` listing the principals to keep"
        }
    };
    doc.finding(
        &PrincipalMisplaced::META,
        format!(
            "`NotPrincipal` is not supported in {}",
            doc.kind.description()
        ),
    )
    .at(block.key_span, block.path(statement), "not supported here")
    .help(help)
    .statement(statement)
    .emit(out);
}

/// An RCP statement whose `Principal` is not `"*"`: RCPs apply to every
/// principal and narrow them with conditions (orgs_manage_policies_rcps_syntax.html).
fn rcp_principal_not_wildcard(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    block: &PrincipalBlock,
    out: &mut Sink,
) {
    doc.finding(
        &PrincipalMisplaced::META,
        "a resource control policy only accepts \"Principal\": \"*\"",
    )
    .at(block.span, block.path(statement), "expected \"*\"")
    .help("write \"Principal\": \"*\" and narrow the principals with a `Condition` (e.g. on `aws:PrincipalArn` or `aws:PrincipalAccount`)")
    .statement(statement)
    .emit(out);
}

/// A statement without `Principal` in a document that applies to a
/// resource: AWS rejects it (the grammar page: "The principal_block element
/// is required in resource-based policies ... and in trust policies";
/// Access Analyzer's "Missing principal").
fn missing(doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
    let help = match doc.kind {
        PolicyKind::Trust => {
            "add `Principal` naming who may assume the role, e.g. \"Principal\": {\"Service\": \"ec2.amazonaws.com\"} or {\"AWS\": \"arn:aws:iam::111122223333:role/deployer\"}"
        }
        PolicyKind::ResourceControl => "add \"Principal\": \"*\"",
        _ => {
            "add `Principal` naming who the statement applies to, e.g. \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}; if this is an identity policy, lint it with `--kind identity`"
        }
    };
    doc.finding(
        &PrincipalMisplaced::META,
        format!(
            "statement {} has no `Principal`, which {} requires",
            match &statement.sid {
                Some(sid) if !sid.value.is_empty() => format!("`{}`", sid.value),
                _ => statement.label(),
            },
            doc.kind.description()
        ),
    )
    .at(
        statement.span,
        statement.path.clone(),
        "no `Principal` in this statement",
    )
    .help(help)
    .statement(statement)
    .emit(out);
}

/// Whether the statement has a `Principal`/`NotPrincipal` that the grammar
/// already reported as malformed (so it is not also reported as missing).
fn principal_was_malformed(doc: &DocumentContext<'_>, statement: &Statement) -> bool {
    ["Principal", "NotPrincipal"].iter().any(|key| {
        doc.doc
            .parsed
            .has_problem_within(&format!("{}/{key}", statement.path))
    })
}
