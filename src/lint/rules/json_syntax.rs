//! `json-syntax`: the file is not valid JSON.

use std::sync::Arc;

use crate::declare_rule;
use crate::lint::{FindingBuilder, Rule, RuleMeta, Sink};
use crate::source::SourceFile;
use crate::value::JsonSyntaxError;

declare_rule! {
    /// Reports a syntax error at its exact line and column.
    JsonSyntax {
        id: "json-syntax",
        finding_type: Error,
        category: Validity,
        summary: "the document is not valid JSON",
    }
}

impl Rule for JsonSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_unparsable(&self, file: &Arc<SourceFile>, error: &JsonSyntaxError, out: &mut Sink) {
        FindingBuilder::for_file(&Self::META, file, format!("invalid JSON: {}", error.message))
            .at(error.span, "", error.message.clone())
            .help("IAM accepts strict JSON only: no comments, no trailing commas, double-quoted keys and strings")
            .emit(out);
    }
}
