//! Telling formats apart by content, then handing the parsed tree to the
//! loader of that format.

use std::sync::Arc;

use super::{
    FileLoad, LoadIssue, auth_details, cloudformation, credential_report, organization, terraform,
    yaml,
};
use crate::policy::{Origin, PolicyDocument, build_policy, did_you_mean};
use crate::source::Span;
use crate::value::{Value, parse_json};

/// The formats rolecall reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `aws iam get-account-authorization-details` output, or several.
    AuthorizationDetails,
    /// An `organization.json` of a snapshot.
    Organization,
    /// A `manifest.json` of a snapshot.
    Manifest,
    /// `aws iam list-roles` output (a snapshot's role durations).
    ListRoles,
    /// A CloudFormation template.
    CloudFormation,
    /// `terraform show -json` of a plan or state.
    Terraform,
    /// One IAM policy document.
    Policy,
}

/// Parses the file (JSON, or YAML when it does not start like JSON),
/// recognises its format and loads it.
pub(crate) fn load_file(load: &mut FileLoad<'_>) {
    let file = load.file.clone();
    let text = file.text();
    if credential_report::is_credential_report(text) {
        credential_report::load(load);
        return;
    }
    if auth_details::load_list_roles_fast(load) {
        return;
    }
    let first = text.trim_start().chars().next();
    // A `.json` file is JSON whatever it starts with (a leading comment is
    // a JSON syntax error to report, not YAML).
    let named_json = load.name().to_ascii_lowercase().ends_with(".json");
    let root = if matches!(first, Some('{' | '[')) || first.is_none() || named_json {
        match parse_json(text) {
            Ok(root) => root,
            Err(e) => {
                let issue = if json_ends_early(text) {
                    LoadIssue::TruncatedFile(e.message)
                } else {
                    LoadIssue::InvalidJson(e.message)
                };
                load.problem(Some(e.span), "", issue);
                return;
            }
        }
    } else {
        match yaml::parse_yaml(text) {
            Ok(root) => root,
            Err(e) => {
                let issue = if e.span.start >= text.trim_end().len() {
                    LoadIssue::TruncatedFile(e.message)
                } else {
                    LoadIssue::InvalidYaml(e.message)
                };
                load.problem(Some(e.span), "", issue);
                return;
            }
        }
    };
    match detect(load.name(), &root) {
        Some(Format::AuthorizationDetails) => auth_details::load(load, &root),
        Some(Format::Organization) => organization::load(load, &root),
        Some(Format::Manifest) => organization::load_manifest(load, &root),
        Some(Format::ListRoles) => auth_details::load_list_roles(load, &root),
        Some(Format::CloudFormation) => cloudformation::load(load, &root),
        Some(Format::Terraform) => terraform::load(load, &root),
        // A file read with `--kind`, or a named file whose keys look like a
        // misspelled policy's (`Statment`, `version`), is a policy document,
        // so a broken policy gets grammar findings, not "unknown format".
        None if load.options.kind.is_some() || (load.named && looks_like_policy(&root)) => {
            push_policy(load, &file, &root);
        }
        Some(Format::Policy) => push_policy(load, &file, &root),
        None => {
            let what = format!(
                "{} that is no policy, authorization-details output, template or plan",
                root.type_name()
            );
            let issue = if load.named {
                LoadIssue::UnknownFormat(what)
            } else {
                LoadIssue::Skipped(what)
            };
            load.problem(Some(Span::new(root.span.start, root.span.start)), "", issue);
        }
    }
}

fn looks_like_policy(root: &Value) -> bool {
    root.as_object().is_some_and(|members| {
        members
            .iter()
            .any(|m| !did_you_mean(&m.key, &["Statement", "Version"]).is_empty())
    })
}

fn push_policy(load: &mut FileLoad<'_>, file: &Arc<crate::source::SourceFile>, root: &Value) {
    let document = PolicyDocument {
        name: load.name().to_owned(),
        kind: load.options.kind,
        origin: Origin::direct(file.clone()),
        parsed: build_policy(root),
    };
    load.inventory.push_document(Arc::new(document));
}

/// Whether JSON text stops inside a string or with brackets still open:
/// the mark of a file cut short (an interrupted download or copy).
fn json_ends_early(text: &str) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    in_string || depth > 0
}

/// The format of a parsed file, from its keys (and, for a snapshot's
/// manifest, its name).
pub(crate) fn detect(name: &str, root: &Value) -> Option<Format> {
    let has = |key: &str| root.get(key).is_some();
    if root.as_object().is_some() {
        if auth_details::is_auth_details(root) {
            return Some(Format::AuthorizationDetails);
        }
        if has("AWSTemplateFormatVersion")
            || root.get("Resources").is_some_and(|r| {
                r.as_object()
                    .is_some_and(|m| m.iter().any(|m| m.value.get("Type").is_some()))
            })
        {
            return Some(Format::CloudFormation);
        }
        if has("format_version")
            && (has("resource_changes")
                || has("planned_values")
                || has("values")
                || has("terraform_version"))
        {
            return Some(Format::Terraform);
        }
        if auth_details::is_list_roles(root) {
            return Some(Format::ListRoles);
        }
        if organization::is_organization(root) {
            return Some(Format::Organization);
        }
        if has("Statement") {
            return Some(Format::Policy);
        }
        let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
        if file_name == "manifest.json"
            || (has("accounts") && (has("fetched_by") || has("tool") || has("created")))
        {
            return Some(Format::Manifest);
        }
        if auth_details::is_multi_account(root) {
            return Some(Format::AuthorizationDetails);
        }
    }
    if let Some(elements) = root.as_array()
        && !elements.is_empty()
        && elements.iter().all(auth_details::is_auth_details)
    {
        return Some(Format::AuthorizationDetails);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_json_is_told_from_invalid_json() {
        assert!(json_ends_early(r#"{"a": [1, 2"#));
        assert!(json_ends_early(r#"{"a": "x\"}"#));
        assert!(!json_ends_early(r#"{"a": [1,, 2]}"#));
        assert!(!json_ends_early(r#"{"a": "[{"}"#));
    }
}
