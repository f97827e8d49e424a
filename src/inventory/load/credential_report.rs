//! The IAM credential report (`aws iam get-credential-report`, decoded CSV):
//! which users have active access keys and MFA
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html).

use super::{FileLoad, LoadIssue};
use crate::inventory::index::CredentialFacts;
use crate::inventory::model::AccessKey;
use crate::source::Span;

/// Whether the text is a credential report: its header starts `user,arn,`.
pub(crate) fn is_credential_report(text: &str) -> bool {
    text.trim_start().starts_with("user,arn,")
}

pub(crate) fn load(load: &mut FileLoad<'_>) {
    let file = load.file.clone();
    let text = file.text();
    let mut lines = text.split_inclusive('\n');
    let Some(header) = lines.next() else { return };
    let columns: Vec<&str> = header.trim_end().split(',').collect();
    let column = |name: &str| columns.iter().position(|c| *c == name);
    let (Some(arn_at), Some(mfa_at)) = (column("arn"), column("mfa_active")) else {
        load.problem(
            Some(Span::new(0, header.len())),
            "",
            LoadIssue::Shape("the credential report has no `arn` or `mfa_active` column".into()),
        );
        return;
    };
    let key_columns: Vec<(Option<usize>, Option<usize>)> = (1..=2)
        .map(|n| {
            (
                column(&format!("access_key_{n}_active")),
                column(&format!("access_key_{n}_last_rotated")),
            )
        })
        .collect();
    let mut offset = header.len();
    for line in lines {
        let start = offset;
        offset += line.len();
        let row = line.trim_end();
        if row.is_empty() {
            continue;
        }
        let fields: Vec<&str> = row.split(',').collect();
        let Some(arn) = fields.get(arn_at).filter(|a| a.contains(":user/")) else {
            continue;
        };
        let flag = |i: Option<usize>| i.and_then(|i| fields.get(i)).map(|v| *v == "true");
        let access_keys = key_columns
            .iter()
            .filter_map(|(active, rotated)| {
                let active = flag(*active)?;
                let exists = active
                    || rotated
                        .and_then(|i| fields.get(i))
                        .is_some_and(|r| *r != "N/A");
                exists.then(|| AccessKey {
                    id: None,
                    status: Some(if active { "Active" } else { "Inactive" }.into()),
                })
            })
            .collect();
        if fields.len() != columns.len() {
            load.problem(
                Some(Span::new(start, offset)),
                (*arn).to_owned(),
                LoadIssue::Shape(format!(
                    "a row of {} fields under a header of {}",
                    fields.len(),
                    columns.len()
                )),
            );
        }
        load.inventory.credential_facts.push(CredentialFacts {
            arn: (*arn).to_owned(),
            access_keys,
            mfa_active: flag(Some(mfa_at)),
        });
    }
}
