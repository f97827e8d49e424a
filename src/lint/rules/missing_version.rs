//! `missing-version`: a policy without `"Version": "2012-10-17"`.

use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::VERSION_2012;

declare_rule! {
    /// Flags documents with no `Version` element.
    MissingVersion {
        id: "missing-version",
        finding_type: Warning,
        category: Validity,
        summary: "the policy has no `Version`, so AWS treats it as 2008-10-17 and policy variables stay literal",
    }
}

impl Rule for MissingVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, doc: &DocumentContext<'_>, out: &mut Sink) {
        let policy = &doc.doc.parsed.policy;
        if policy.version.is_some() || policy.statement_key.is_none() {
            return;
        }
        let span = policy.statement_key.unwrap_or(policy.span);
        doc.finding(&Self::META, "the policy has no `Version` element")
            .at(span, "", "add `\"Version\": \"2012-10-17\"` before this")
            .help(format!(
                "add \"Version\": \"{VERSION_2012}\" as the document's first element; without it AWS applies the 2008-10-17 language, in which `${{...}}` policy variables are literal text"
            ))
            .emit(out);
    }
}
