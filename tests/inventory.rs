//! Loading real-shaped inputs into the inventory: every loader, bad input,
//! and spans that point at the right line of the original file.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use std::path::{Path, PathBuf};

use rolecall::inventory::{
    Entity, InputSpec, LoadIssue, LoadOptions, LoadOutcome, OrgPolicyType, PolicyOwner,
    ProviderKind, Severity, load,
};
use rolecall::policy::{ItemKind, PolicyDocument, PolicyKind, PrincipalSpec};
use rolecall::source::Span;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventory")
        .join(name)
}

fn load_paths(paths: &[PathBuf], options: &LoadOptions) -> LoadOutcome {
    let inputs: Vec<InputSpec> = paths.iter().cloned().map(InputSpec::Path).collect();
    load(&inputs, options)
}

/// The 1-based line where a document span starts, in the file findings name.
fn line_in_file(doc: &PolicyDocument, span: Span) -> usize {
    let file_span = doc.origin.file_span(span);
    doc.origin.file.line_col(file_span.start).line
}

/// The first principal value of the first statement.
fn first_principal(doc: &PolicyDocument) -> &rolecall::policy::Item {
    let statement = &doc.parsed.policy.statements[0];
    match &statement.principal.as_ref().unwrap().spec {
        PrincipalSpec::Map(entries) => &entries[0].items[0],
        PrincipalSpec::Wildcard => panic!("wildcard principal"),
    }
}

#[test]
fn snapshot_directory_loads_accounts_principals_and_organization() {
    let outcome = load_paths(&[fixture("snapshot")], &LoadOptions::default());
    assert!(outcome.problems.is_empty(), "{:#?}", outcome.problems);
    let inv = &outcome.inventory;
    assert_eq!(inv.users().len(), 1);
    assert_eq!(inv.groups().len(), 1);
    assert_eq!(inv.roles().len(), 4);
    assert_eq!(inv.managed_policies().len(), 3);
    assert_eq!(inv.instance_profiles().len(), 1);

    let engine = inv
        .role("arn:aws:iam::111111111111:role/xsoar-engine")
        .unwrap();
    assert_eq!(engine.max_session_duration, None, "not in the dump");
    assert_eq!(engine.max_session_duration_or_default(), 3600);
    assert_eq!(
        engine.instance_profiles,
        ["arn:aws:iam::111111111111:instance-profile/xsoar-engine"]
    );
    assert_eq!(engine.tags[0].value, "secops");
    let attached = &engine.common.attached_policies[0];
    let policy = attached
        .policy
        .as_ref()
        .expect("linked to the managed policy");
    assert_eq!(policy.default_version.as_deref(), Some("v2"));
    // The default version, not v1: its only statement names one role.
    let doc = policy.document.as_ref().unwrap();
    assert_eq!(
        doc.parsed.policy.statements[0]
            .resource
            .as_ref()
            .unwrap()
            .items[0]
            .text,
        "arn:aws:iam::222222222222:role/xsoar-target"
    );
    // Spans of a policy printed as an object point into the dump itself.
    let trust = engine.trust_policy.as_ref().unwrap();
    assert!(trust.origin.embedded.is_none());
    assert_eq!(line_in_file(trust, trust.parsed.policy.span), 67);
    assert_eq!(line_in_file(trust, first_principal(trust).span), 73);

    let deploy = inv
        .role("arn:aws:iam::111111111111:role/ci/github-deploy")
        .unwrap();
    assert_eq!(deploy.max_session_duration, Some(7200));
    assert_eq!(deploy.common.path, "/ci/");
    let provider = inv
        .provider("arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com")
        .expect("inferred from the trust policy");
    assert!(provider.inferred);
    assert_eq!(provider.kind, ProviderKind::Oidc);

    let user = inv
        .user("arn:aws:iam::111111111111:user/xsoar-integration")
        .unwrap();
    assert_eq!(user.access_keys.as_ref().unwrap().len(), 1);
    assert!(user.has_active_access_key());
    assert_eq!(
        user.permissions_boundary.as_deref(),
        Some("arn:aws:iam::111111111111:policy/integration-boundary")
    );
    let groups: Vec<_> = inv
        .user_groups(user)
        .map(|g| g.common.name.as_str())
        .collect();
    assert_eq!(groups, ["integrations"]);

    let boundary = inv
        .managed_policy("arn:aws:iam::111111111111:policy/integration-boundary")
        .unwrap();
    assert_eq!(boundary.usage.boundaries, 2);
    assert_eq!(
        boundary.document.as_ref().unwrap().kind,
        Some(PolicyKind::PermissionBoundary)
    );

    // URL-encoded documents (the raw API form), pages merged.
    let target = inv
        .role("arn:aws:iam::222222222222:role/xsoar-target")
        .unwrap();
    let trust = target.trust_policy.as_ref().unwrap();
    assert!(trust.origin.embedded.is_some());
    assert_eq!(
        first_principal(trust).text,
        "arn:aws:iam::111111111111:role/xsoar-engine"
    );
    assert_eq!(line_in_file(trust, first_principal(trust).span), 12);
    assert_eq!(target.common.inline_policies[0].name, "ec2-actions");
    assert!(matches!(
        inv.get("arn:aws:iam::222222222222:role/xsoar-integration"),
        Some(Entity::Role(_))
    ));

    // The organization: OU paths, root first, and SCPs level by level.
    let prod = inv.account("222222222222").unwrap();
    assert_eq!(prod.name.as_deref(), Some("prod"));
    assert_eq!(
        prod.org_path,
        ["r-ab12", "ou-ab12-22222222", "ou-ab12-33333333"]
    );
    let levels = inv.org_policy_levels("222222222222", OrgPolicyType::ServiceControl);
    let names: Vec<(&str, Vec<&str>)> = levels
        .iter()
        .map(|(node, policies)| (*node, policies.iter().map(|p| p.name.as_str()).collect()))
        .collect();
    assert_eq!(
        names,
        [
            ("r-ab12", vec!["FullAWSAccess"]),
            ("ou-ab12-22222222", vec!["FullAWSAccess", "deny-leave-org"]),
            ("ou-ab12-33333333", vec!["FullAWSAccess"]),
            ("222222222222", vec!["FullAWSAccess"]),
        ]
    );
    let rcps = inv.org_policy_levels("111111111111", OrgPolicyType::ResourceControl);
    assert_eq!(rcps[0].1.len(), 1);
    assert_eq!(
        inv.organization().unwrap().policies.len(),
        3,
        "tag policy left out"
    );
}

#[test]
fn every_document_is_walked_once_with_its_kind() {
    let outcome = load_paths(&[fixture("snapshot")], &LoadOptions::default());
    let inv = &outcome.inventory;
    let mut kinds: Vec<PolicyKind> = inv.policies().map(|p| p.kind).collect();
    kinds.sort_by_key(|k| k.name());
    let count = |k: PolicyKind| kinds.iter().filter(|x| **x == k).count();
    assert_eq!(count(PolicyKind::Trust), 4);
    // user inline, role inline, two attached managed policies
    assert_eq!(count(PolicyKind::Identity), 4);
    assert_eq!(count(PolicyKind::PermissionBoundary), 1);
    assert_eq!(count(PolicyKind::ServiceControl), 2);
    assert_eq!(count(PolicyKind::ResourceControl), 1);
    assert!(inv.policies().all(|p| p.document.kind == Some(p.kind)));
    let trust_owner = inv
        .policies()
        .find(|p| p.kind == PolicyKind::Trust)
        .unwrap()
        .owner;
    assert!(matches!(trust_owner, PolicyOwner::Role(_)));
}

#[test]
fn bad_snapshot_reports_each_problem_and_keeps_the_rest() {
    let outcome = load_paths(&[fixture("bad-snapshot")], &LoadOptions::default());
    let problems = &outcome.problems;
    let find = |pred: &dyn Fn(&LoadIssue) -> bool| {
        problems
            .iter()
            .find(|p| pred(&p.issue))
            .unwrap_or_else(|| panic!("{problems:#?}"))
    };
    let mismatch = find(&|i| matches!(i, LoadIssue::AccountMismatch { .. }));
    assert!(
        mismatch
            .file
            .ends_with("333333333333.authorization-details.json")
    );
    assert_eq!(
        mismatch.issue,
        LoadIssue::AccountMismatch {
            named: "333333333333".into(),
            found: "444444444444".into()
        }
    );
    let truncated = find(&|i| matches!(i, LoadIssue::TruncatedSnapshot(_)));
    assert_eq!(truncated.element.as_deref(), Some("IsTruncated"));
    assert!(truncated.line().is_some());
    let cut = find(&|i| matches!(i, LoadIssue::TruncatedFile(_)));
    assert!(
        cut.file
            .ends_with("555555555555.authorization-details.json")
    );
    assert_eq!(cut.severity(), Severity::Fatal);
    assert!(
        problems
            .iter()
            .any(|p| p.issue == LoadIssue::MissingAccountFile("777777777777".into()))
    );
    assert!(
        !problems
            .iter()
            .any(|p| p.issue == LoadIssue::MissingAccountFile("333333333333".into()))
    );
    assert!(!problems.iter().any(|p| p.file.ends_with("notes.txt")));
    // The mismatched file still loads, under the account of its content.
    assert!(
        outcome
            .inventory
            .role("arn:aws:iam::444444444444:role/xsoar-target")
            .is_some()
    );
}

#[test]
fn binary_invalid_utf8_and_unknown_files_are_fatal_for_themselves_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-binary.json"), b"\x7fELF\x00\x00\x01").unwrap();
    std::fs::write(
        dir.path().join("b-latin1.json"),
        b"{\"Statement\": \"caf\xe9\"}",
    )
    .unwrap();
    std::fs::write(dir.path().join("c-unknown.json"), b"{\"hello\": 1}").unwrap();
    std::fs::write(dir.path().join("d-invalid.json"), b"{\"Statement\": [,]}").unwrap();
    std::fs::write(
        dir.path().join("e-policy.json"),
        br#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}"#,
    )
    .unwrap();
    let outcome = load_paths(&[dir.path().to_path_buf()], &LoadOptions::default());
    let fatal: Vec<(&str, &LoadIssue)> = outcome
        .problems
        .iter()
        .map(|p| (p.file.rsplit('/').next().unwrap(), &p.issue))
        .collect();
    assert_eq!(fatal.len(), 4, "{fatal:#?}");
    assert!(matches!(
        outcome
            .problems
            .iter()
            .find(|p| p.file.ends_with("c-unknown.json"))
            .unwrap()
            .issue,
        LoadIssue::Skipped(_)
    ));
    assert_eq!(fatal[0], ("a-binary.json", &LoadIssue::Binary));
    assert_eq!(fatal[1], ("b-latin1.json", &LoadIssue::InvalidUtf8(18)));
    assert!(
        matches!(fatal[2].1, LoadIssue::Skipped(_)),
        "met in a directory"
    );
    assert_eq!(fatal[2].1.severity(), Severity::Warning);
    assert!(matches!(fatal[3].1, LoadIssue::InvalidJson(_)));
    assert_eq!(outcome.inventory.documents().len(), 1);
    assert_eq!(
        outcome.inventory.documents()[0].effective_kind(),
        PolicyKind::Identity
    );
    let named = load_paths(
        &[dir.path().join("c-unknown.json")],
        &LoadOptions::default(),
    );
    assert!(matches!(
        named.problems[0].issue,
        LoadIssue::UnknownFormat(_)
    ));
    assert_eq!(named.problems[0].severity(), Severity::Fatal);
    let missing = load_paths(&[dir.path().join("nope.json")], &LoadOptions::default());
    assert!(matches!(
        missing.problems[0].issue,
        LoadIssue::Unreadable(_)
    ));
}

#[test]
fn a_large_directory_keeps_going_past_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..1000 {
        let text = if i % 10 == 3 {
            "{\"Statement\": [".to_owned()
        } else {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b{i}/*"}}]}}"#
            )
        };
        std::fs::write(dir.path().join(format!("p{i:04}.json")), text).unwrap();
    }
    let outcome = load_paths(&[dir.path().to_path_buf()], &LoadOptions::default());
    assert_eq!(outcome.problems.len(), 100);
    assert_eq!(outcome.inventory.documents().len(), 900);
    // Input order is kept whatever thread read the file.
    assert!(
        outcome.inventory.documents()[0]
            .name
            .ends_with("p0000.json")
    );
    assert!(outcome.problems[0].file.ends_with("p0003.json"));
}

#[test]
fn cloudformation_yaml_resolves_references_and_points_at_template_lines() {
    let path = fixture("cloudformation/xsoar-engine.yaml");
    let outcome = load_paths(&[path], &LoadOptions::default());
    assert!(outcome.problems.is_empty(), "{:#?}", outcome.problems);
    let inv = &outcome.inventory;
    let engine = inv
        .role("arn:aws:iam::000000000000:role/ops/xsoar-engine")
        .expect("named role with path, placeholder account");
    assert_eq!(engine.max_session_duration, Some(7200));
    let trust = engine.trust_policy.as_ref().unwrap();
    assert!(trust.origin.embedded.is_none());
    assert_eq!(line_in_file(trust, trust.parsed.policy.span), 16);
    assert_eq!(line_in_file(trust, first_principal(trust).span), 20);
    // The inline policy names the target role, whose name is generated.
    let inline = &engine.common.inline_policies[0].document;
    let resource = &inline.parsed.policy.statements[0]
        .resource
        .as_ref()
        .unwrap()
        .items[0];
    assert_eq!(resource.kind, ItemKind::Unknown);
    assert_eq!(resource.text, "arn:aws:iam::000000000000:role/TargetRole");
    let target = inv
        .role(&resource.text)
        .expect("unknown ARN names the entity");
    assert!(target.common.generated_name);
    assert_eq!(line_in_file(inline, resource.span), 29);
    // Its trust names the engine by ARN, and the external id stays unknown.
    let target_trust = target.trust_policy.as_ref().unwrap();
    let principal = first_principal(target_trust);
    assert_eq!(principal.kind, ItemKind::String);
    assert_eq!(principal.text, engine.common.arn);
    let condition = &target_trust.parsed.policy.statements[0]
        .condition
        .as_ref()
        .unwrap();
    let value = &condition.operators[0].entries[0].values[0];
    assert_eq!(value.kind, ItemKind::Unknown);
    assert_eq!(value.text, "parameter `ExternalId`");
    assert_eq!(line_in_file(target_trust, value.span), 53);
    // RolePolicy attached through `!Ref TargetRole`.
    assert_eq!(target.common.inline_policies[0].name, "ec2-stop");
    let attached: Vec<&str> = engine
        .common
        .attached_policies
        .iter()
        .map(|a| &*a.arn)
        .collect();
    assert_eq!(
        attached,
        [
            "arn:aws:iam::000000000000:policy/read-targets",
            "arn:aws:iam::aws:policy/ReadOnlyAccess"
        ]
    );
    assert!(engine.common.attached_policies[0].policy.is_some());
    assert_eq!(engine.instance_profiles.len(), 1);
    let profile = inv.instance_profile(&engine.instance_profiles[0]).unwrap();
    assert_eq!(profile.name, "EngineProfile");
    let user = inv
        .user("arn:aws:iam::000000000000:user/xsoar-integration")
        .unwrap();
    assert_eq!(user.groups, ["integrations"]);
    assert!(user.has_active_access_key());
    let types: Vec<&str> = inv
        .resource_policies()
        .iter()
        .map(|p| p.resource_type.as_str())
        .collect();
    assert_eq!(
        types,
        [
            "AWS::S3::BucketPolicy",
            "AWS::KMS::Key",
            "AWS::Lambda::Permission",
            "AWS::SNS::TopicPolicy",
            "AWS::SQS::QueuePolicy"
        ]
    );
    let bucket = &inv.resource_policies()[0];
    assert_eq!(bucket.resource, "arn:aws:s3:::xsoar-artifacts");
    let item = &bucket.document.parsed.policy.statements[0]
        .resource
        .as_ref()
        .unwrap()
        .items[0];
    assert_eq!(item.text, "arn:aws:s3:::xsoar-artifacts/*");
    let lambda = &inv.resource_policies()[2].document;
    assert!(
        lambda.parsed.problems.is_empty(),
        "{:?}",
        lambda.parsed.problems
    );
    assert_eq!(lambda.effective_kind(), PolicyKind::Resource);
    let lambda_principal = first_principal(lambda);
    assert_eq!(lambda_principal.text, "sns.amazonaws.com");
    assert_eq!(line_in_file(lambda, lambda_principal.span), 122);
}

#[test]
fn cloudformation_account_id_option_fills_the_account() {
    let options = LoadOptions {
        account_id: Some("123456789012".into()),
        region: Some("eu-west-1".into()),
        ..LoadOptions::default()
    };
    let outcome = load_paths(&[fixture("cloudformation/xsoar-engine.yaml")], &options);
    let inv = &outcome.inventory;
    assert!(
        inv.role("arn:aws:iam::123456789012:role/ops/xsoar-engine")
            .is_some()
    );
    let target = inv
        .role("arn:aws:iam::123456789012:role/TargetRole")
        .unwrap();
    let stop = &target.common.inline_policies[0].document;
    let resource = &stop.parsed.policy.statements[0]
        .resource
        .as_ref()
        .unwrap()
        .items[0];
    assert_eq!(resource.kind, ItemKind::String);
    assert_eq!(
        resource.text,
        "arn:aws:ec2:eu-west-1:123456789012:instance/*"
    );
}

#[test]
fn cloudformation_bad_references_are_warnings_with_lines() {
    let outcome = load_paths(
        &[fixture("cloudformation/bad-references.yaml")],
        &LoadOptions::default(),
    );
    let problems = &outcome.problems;
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(
        problems[0].issue,
        LoadIssue::MissingReference("GhostRole".into())
    );
    assert_eq!(problems[0].line(), Some(11));
    assert_eq!(
        problems[0].element.as_deref(),
        Some(
            "Resources/Engine/Properties/AssumeRolePolicyDocument/Statement/0/Principal/AWS/Fn::GetAtt"
        )
    );
    assert_eq!(
        problems[1].issue,
        LoadIssue::UnsupportedIntrinsic("Fn::Magic".into())
    );
    assert_eq!(problems[1].line(), Some(20));
    assert!(problems.iter().all(|p| p.severity() == Severity::Warning));
    let role = &outcome.inventory.roles()[0];
    assert_eq!(role.common.inline_policies.len(), 2);
    let import = &role.common.inline_policies[1]
        .document
        .parsed
        .policy
        .statements[0];
    let item = &import.resource.as_ref().unwrap().items[0];
    assert_eq!(item.kind, ItemKind::Unknown);
    assert_eq!(item.text, "Fn::ImportValue `shared-bucket-arn`");
}

#[test]
fn cloudformation_json_keeps_unresolved_parts_unknown() {
    let outcome = load_paths(
        &[fixture("cloudformation/splunk-role.json")],
        &LoadOptions::default(),
    );
    assert!(outcome.problems.is_empty(), "{:#?}", outcome.problems);
    let role = &outcome.inventory.roles()[0];
    assert!(role.common.generated_name, "the name depends on the region");
    assert_eq!(role.common.name, "SplunkRole");
    let trust = role.trust_policy.as_ref().unwrap();
    let principal = first_principal(trust);
    assert_eq!(principal.kind, ItemKind::Unknown);
    assert_eq!(
        principal.text,
        "arn:aws:iam::${parameter `SplunkAccount`}:root"
    );
    assert_eq!(line_in_file(trust, principal.span), 16);
    assert_eq!(
        &*role.common.attached_policies[0].arn,
        "arn:aws:iam::aws:policy/SecurityAudit"
    );
}

#[test]
fn terraform_plan_loads_resources_and_follows_references() {
    let outcome = load_paths(&[fixture("terraform/plan.json")], &LoadOptions::default());
    let inv = &outcome.inventory;
    let names: Vec<&str> = inv.roles().iter().map(|r| r.common.name.as_str()).collect();
    assert_eq!(
        names,
        ["engine", "target", "aws_iam_role.generated"],
        "deleted role left out"
    );
    let engine = inv.role("arn:aws:iam::000000000000:role/engine").unwrap();
    let trust = engine.trust_policy.as_ref().unwrap();
    assert!(trust.origin.embedded.is_some(), "a JSON string in the plan");
    // The string in `resource_changes[0].change.after`.
    assert_eq!(line_in_file(trust, first_principal(trust).span), 208);
    assert_eq!(engine.common.inline_policies[0].name, "assume-target");
    let attached = &engine.common.attached_policies[0];
    assert_eq!(&*attached.arn, "arn:aws:iam::000000000000:policy/read");
    assert!(attached.policy.is_some());
    assert_eq!(
        engine.instance_profiles,
        ["arn:aws:iam::000000000000:instance-profile/engine"]
    );
    assert_eq!(
        inv.role("arn:aws:iam::000000000000:role/target")
            .unwrap()
            .max_session_duration,
        Some(7200)
    );
    let generated = &inv.roles()[2];
    assert!(generated.common.generated_name);
    assert!(generated.trust_policy.is_none());
    let user = inv
        .user("arn:aws:iam::000000000000:user/integration")
        .unwrap();
    assert!(user.has_active_access_key());
    assert_eq!(user.groups, ["integrations"]);
    assert_eq!(inv.resource_policies().len(), 1);
    assert_eq!(
        inv.resource_policies()[0].resource,
        "arn:aws:s3:::artifacts"
    );

    let problems: Vec<(&str, &LoadIssue)> = outcome
        .problems
        .iter()
        .map(|p| (p.element.as_deref().unwrap_or(""), &p.issue))
        .collect();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(matches!(
        problems[0],
        (
            "aws_kms_key.main.schema_version",
            LoadIssue::UnknownVersion(_)
        )
    ));
    assert!(matches!(
        problems[1],
        (
            "aws_iam_role.generated.assume_role_policy",
            LoadIssue::KnownAfterDeploy(_)
        )
    ));
    assert!(matches!(
        problems[2],
        ("aws_kms_key.main.policy", LoadIssue::KnownAfterDeploy(_))
    ));
}

#[test]
fn terraform_plan_of_an_unknown_format_version_warns_and_loads() {
    let text = std::fs::read_to_string(fixture("terraform/plan.json"))
        .unwrap()
        .replacen(
            "\"format_version\": \"1.2\"",
            "\"format_version\": \"2.0\"",
            1,
        );
    let outcome = load(
        &[InputSpec::Text {
            name: "plan2.json".into(),
            text,
        }],
        &LoadOptions::default(),
    );
    assert_eq!(
        outcome.problems[0].issue,
        LoadIssue::UnknownVersion("plan format version `2.0`".into())
    );
    assert_eq!(outcome.problems[0].line(), Some(2));
    assert_eq!(outcome.inventory.roles().len(), 3);
}

#[test]
fn multi_account_dumps_and_plain_documents() {
    let one = std::fs::read_to_string(fixture("snapshot/222222222222.authorization-details.json"))
        .unwrap();
    let text = format!("{{\"222222222222\": {}}}", {
        let pages: serde_json::Value = serde_json::from_str(&one).unwrap();
        pages[1].to_string()
    });
    let outcome = load(
        &[
            InputSpec::Text { name: "multi.json".into(), text },
            InputSpec::Text {
                name: "trust.json".into(),
                text: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into(),
            },
        ],
        &LoadOptions {
            kind: Some(PolicyKind::Trust),
            ..LoadOptions::default()
        },
    );
    assert!(outcome.problems.is_empty(), "{:#?}", outcome.problems);
    assert_eq!(outcome.inventory.roles().len(), 1);
    let file = outcome
        .inventory
        .policies()
        .find(|p| matches!(p.owner, PolicyOwner::File))
        .unwrap();
    assert_eq!(file.kind, PolicyKind::Trust);
}

#[test]
fn the_same_dump_twice_reports_duplicates() {
    let path = fixture("snapshot/111111111111.authorization-details.json");
    let outcome = load_paths(&[path.clone(), path], &LoadOptions::default());
    assert_eq!(outcome.inventory.roles().len(), 2);
    assert!(
        outcome
            .problems
            .iter()
            .all(|p| matches!(p.issue, LoadIssue::Duplicate(_)))
    );
    assert_eq!(outcome.problems.len(), 4, "user, group, two roles");
}

/// Every whole setup under `policies/` (written on its own branch) loads
/// without a fatal problem; snapshots get durations from `list-roles` and
/// keys from the credential report. Skipped while `policies/` has no setups.
#[test]
fn policies_scenarios_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let Ok(scenarios) = std::fs::read_dir(&root) else {
        return;
    };
    let mut loaded = 0;
    for scenario in scenarios.flatten() {
        for part in ["snapshot", "cloudformation", "terraform"] {
            let dir = scenario.path().join(part);
            if !dir.is_dir() {
                continue;
            }
            let outcome = load_paths(std::slice::from_ref(&dir), &LoadOptions::default());
            assert!(
                !outcome.has_fatal(),
                "{}: {:#?}",
                dir.display(),
                outcome.problems
            );
            assert!(!outcome.inventory.roles().is_empty(), "{}", dir.display());
            if part == "snapshot" {
                assert!(
                    outcome
                        .inventory
                        .roles()
                        .iter()
                        .all(|r| r.max_session_duration.is_some()),
                    "{}: list-roles gives every duration",
                    dir.display()
                );
            }
            loaded += 1;
        }
    }
    let splunk = root.join("splunk-sts/snapshot");
    if splunk.is_dir() {
        let outcome = load_paths(&[splunk], &LoadOptions::default());
        let user = outcome
            .inventory
            .user("arn:aws:iam::999999999999:user/test-user")
            .unwrap();
        assert!(user.has_active_access_key(), "from the credential report");
        assert_eq!(user.mfa_active, Some(false));
        let org = load_paths(
            &[root.join("xsoar-same-role-accounts/snapshot")],
            &LoadOptions::default(),
        );
        let account = &org
            .inventory
            .accounts()
            .iter()
            .find(|a| !a.org_path.is_empty());
        assert!(account.is_some(), "ou_path read from organization.json");
    }
    assert!(loaded == 0 || loaded >= 4);
}

#[path = "../benches/common/estate.rs"]
mod estate;

#[test]
fn generated_estate_loads_cleanly_and_deterministically() {
    let params = estate::EstateParams {
        accounts: 3,
        principals: 300,
        seed: 42,
    };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let summary = estate::write_estate(a.path(), &params).unwrap();
    estate::write_estate(b.path(), &params).unwrap();
    let name = "100000000000.authorization-details.json";
    assert_eq!(
        std::fs::read(a.path().join(name)).unwrap(),
        std::fs::read(b.path().join(name)).unwrap(),
        "same seed, same bytes"
    );
    let outcome = load_paths(&[a.path().to_path_buf()], &LoadOptions::default());
    assert!(outcome.problems.is_empty(), "{:#?}", outcome.problems);
    let inv = &outcome.inventory;
    assert_eq!(inv.roles().len() + inv.users().len(), 300);
    assert_eq!(inv.roles().len(), summary.roles);
    assert!(inv.roles().iter().all(|r| r.max_session_duration.is_some()));
    assert!(inv.users().iter().all(|u| u.access_keys.is_some()));
    assert!(inv.users().iter().any(|u| u.has_active_access_key()));
    assert!(inv.accounts().iter().all(|a| a.org_path.len() == 2));
    let engine = inv
        .role("arn:aws:iam::100000000000:role/xsoar-engine")
        .unwrap();
    assert_eq!(engine.instance_profiles.len(), 1);
    assert!(
        inv.role("arn:aws:iam::100000007919:role/xsoar-target")
            .is_some()
    );
}
