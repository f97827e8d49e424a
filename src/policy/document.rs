//! A policy document together with what it is and where it came from.

use std::fmt;
use std::sync::Arc;

use super::build::{Parsed, build_policy};
use crate::source::{SourceFile, Span};
use crate::value::{JsonSyntaxError, parse_json};

/// What role a policy document plays; decides which elements it must and
/// must not have and how evaluation uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Attached to a user, group or role (inline or managed).
    Identity,
    /// Attached to a resource (bucket, key, queue, …): has a `Principal`.
    Resource,
    /// A role's trust policy: a resource policy on `sts:AssumeRole*`.
    Trust,
    /// A permissions boundary on a user or role.
    PermissionBoundary,
    /// An AWS Organizations service control policy.
    ServiceControl,
    /// An AWS Organizations resource control policy.
    ResourceControl,
    /// A session policy passed to AssumeRole / GetFederationToken.
    Session,
}

impl PolicyKind {
    /// Every kind, for `--kind` and docs.
    pub const ALL: [PolicyKind; 7] = [
        Self::Identity,
        Self::Resource,
        Self::Trust,
        Self::PermissionBoundary,
        Self::ServiceControl,
        Self::ResourceControl,
        Self::Session,
    ];

    /// The kebab-case name used on the command line and in output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Resource => "resource",
            Self::Trust => "trust",
            Self::PermissionBoundary => "boundary",
            Self::ServiceControl => "scp",
            Self::ResourceControl => "rcp",
            Self::Session => "session",
        }
    }

    /// What the kind is called in messages, with its article: `an identity
    /// policy`, `a role trust policy`, …
    pub fn description(self) -> &'static str {
        match self {
            Self::Identity => "an identity policy",
            Self::Resource => "a resource-based policy",
            Self::Trust => "a role trust policy",
            Self::PermissionBoundary => "a permissions boundary",
            Self::ServiceControl => "a service control policy",
            Self::ResourceControl => "a resource control policy",
            Self::Session => "a session policy",
        }
    }

    /// Parses [`PolicyKind::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether statements of this kind must carry `Principal`/`NotPrincipal`
    /// (resource and trust policies; RCPs require `"Principal": "*"`).
    pub fn requires_principal(self) -> bool {
        matches!(self, Self::Resource | Self::Trust | Self::ResourceControl)
    }
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a document's spans point.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The file the user gave (what findings name).
    pub file: Arc<SourceFile>,
    /// Set when the document was decoded out of a string inside `file` (an
    /// URL-encoded policy in an authorization-details dump, a policy held as
    /// a JSON string in a Terraform plan): the decoded text, which the
    /// document's spans index, and the span of the string literal in `file`.
    pub embedded: Option<(Arc<SourceFile>, Span)>,
}

impl Origin {
    /// A document whose spans index `file` directly.
    pub fn direct(file: Arc<SourceFile>) -> Self {
        Self {
            file,
            embedded: None,
        }
    }

    /// The span in [`Origin::file`] for a span of the document: the same
    /// span, or for an embedded document the string literal holding it.
    pub fn file_span(&self, span: Span) -> Span {
        match &self.embedded {
            Some((_, literal)) => *literal,
            None => span,
        }
    }

    /// The text the document's spans index.
    pub fn document_source(&self) -> &Arc<SourceFile> {
        match &self.embedded {
            Some((decoded, _)) => decoded,
            None => &self.file,
        }
    }
}

/// A parsed policy document with its kind, name and origin.
#[derive(Debug, Clone)]
pub struct PolicyDocument {
    /// How the document is named in messages and traces: a file name, a
    /// managed policy ARN, `role/Name inline policy X`, …
    pub name: String,
    /// The kind, when known from context (`None`: a bare file of unknown kind).
    pub kind: Option<PolicyKind>,
    /// Where its spans point.
    pub origin: Origin,
    /// The model and the grammar problems.
    pub parsed: Parsed,
}

impl PolicyDocument {
    /// Parses a whole file as one policy document.
    pub fn from_file(
        file: Arc<SourceFile>,
        kind: Option<PolicyKind>,
    ) -> Result<Self, JsonSyntaxError> {
        let parsed = build_policy(&parse_json(file.text())?);
        Ok(Self {
            name: file.name().to_owned(),
            kind,
            origin: Origin::direct(file),
            parsed,
        })
    }

    /// Parses a policy held as a (decoded) string inside `file` at `literal`.
    pub fn from_embedded_text(
        name: impl Into<String>,
        kind: Option<PolicyKind>,
        file: Arc<SourceFile>,
        literal: Span,
        text: String,
    ) -> Result<Self, JsonSyntaxError> {
        let name = name.into();
        let decoded = SourceFile::new(format!("{} ({name})", file.name()), text);
        let parsed = build_policy(&parse_json(decoded.text())?);
        Ok(Self {
            name,
            kind,
            origin: Origin {
                file,
                embedded: Some((decoded, literal)),
            },
            parsed,
        })
    }

    /// The kind from context, or else inferred from content: a document
    /// whose statements carry `Principal`/`NotPrincipal` is a trust policy
    /// when every action is an `sts:AssumeRole*`/`sts:TagSession`/
    /// `sts:SetSourceIdentity`-style STS action, otherwise a resource policy;
    /// a document without principals is an identity policy.
    pub fn effective_kind(&self) -> PolicyKind {
        if let Some(kind) = self.kind {
            return kind;
        }
        let statements = &self.parsed.policy.statements;
        if !statements.iter().any(|s| s.principal.is_some()) {
            return PolicyKind::Identity;
        }
        let all_sts = statements.iter().all(|s| {
            s.action.as_ref().is_some_and(|a| {
                !a.negated
                    && a.items
                        .iter()
                        .all(|i| i.text.to_ascii_lowercase().starts_with("sts:"))
            })
        });
        if all_sts {
            PolicyKind::Trust
        } else {
            PolicyKind::Resource
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_is_inferred_from_content() {
        let trust = SourceFile::new(
            "t.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        );
        let doc = PolicyDocument::from_file(trust, None).unwrap();
        assert_eq!(doc.effective_kind(), PolicyKind::Trust);
        let bucket = SourceFile::new(
            "b.json",
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
        );
        let doc = PolicyDocument::from_file(bucket, None).unwrap();
        assert_eq!(doc.effective_kind(), PolicyKind::Resource);
        let identity = SourceFile::new(
            "i.json",
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        let doc =
            PolicyDocument::from_file(identity, Some(PolicyKind::PermissionBoundary)).unwrap();
        assert_eq!(doc.effective_kind(), PolicyKind::PermissionBoundary);
    }

    #[test]
    fn embedded_documents_map_to_their_literal() {
        let file = SourceFile::new("auth.json", r#"{"Doc": "%7B%7D"}"#);
        let doc = PolicyDocument::from_embedded_text(
            "role/x",
            Some(PolicyKind::Trust),
            file,
            Span::new(8, 16),
            r#"{"Statement":[]}"#.into(),
        )
        .unwrap();
        assert_eq!(doc.origin.file_span(Span::new(1, 3)), Span::new(8, 16));
        assert_eq!(doc.origin.document_source().text(), r#"{"Statement":[]}"#);
    }
}
