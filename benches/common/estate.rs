//! A generator of synthetic AWS estates: a snapshot directory as `rolecall
//! fetch` writes it (`policies/README.md`: per account
//! `<account-id>.authorization-details.json`, `<account-id>.list-roles.json`
//! and `<account-id>.credential-report.csv`; `organization.json`,
//! `manifest.json`), with the trust shapes
//! real estates have: an engine role with an instance profile assuming a
//! same-named role in every account (some with an external id), EC2 and
//! Lambda service roles, GitHub OIDC roles, integration users with access
//! keys and the roles that trust them, third-party roles with external ids.
//!
//! Deterministic for a seed; used by the inventory bench, the
//! `gen_estate` example (`scripts/gen-estate`) and later by the graph,
//! verify and report benches (include it with `#[path]`).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde_json::{Value, json};

#[path = "rng.rs"]
mod rng;

use rng::Rng;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct EstateParams {
    /// Number of accounts (the first is the security/tooling account).
    pub accounts: usize,
    /// Users plus roles, over all accounts.
    pub principals: usize,
    /// The seed: the same parameters give the same bytes.
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default)]
pub struct EstateSummary {
    /// Roles written.
    pub roles: usize,
    /// Users written.
    pub users: usize,
    /// Bytes written.
    pub bytes: u64,
}

impl Rng {
    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

fn account_id(index: usize) -> String {
    format!("{:012}", 100_000_000_000u64 + index as u64 * 7_919)
}

/// The columns of an IAM credential report.
const CREDENTIAL_REPORT_HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n";

/// RFC 3986 percent-encoding, as the IAM API returns policy documents.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "ec2:DescribeInstances",
    "ec2:StartInstances",
    "ec2:StopInstances",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "kms:Decrypt",
    "ssm:GetParameter",
    "secretsmanager:GetSecretValue",
    "cloudwatch:PutMetricData",
];

fn statement(
    effect: &str,
    principal: Option<Value>,
    action: Value,
    condition: Option<Value>,
) -> Value {
    let mut s = json!({"Effect": effect, "Action": action});
    if let Some(p) = principal {
        s["Principal"] = p;
    }
    if let Some(c) = condition {
        s["Condition"] = c;
    }
    s
}

fn document(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

struct Writer {
    encoded: bool,
}

impl Writer {
    /// A document as this account's dump holds it: an object (as the AWS CLI
    /// prints it) or a URL-encoded string (as the raw API returns it).
    fn doc(&self, value: Value) -> Value {
        if self.encoded {
            Value::String(percent_encode(&value.to_string()))
        } else {
            value
        }
    }
}

fn identity_policy(rng: &mut Rng, account: &str) -> Value {
    let n = 1 + rng.below(3);
    let statements = (0..n)
        .map(|_| {
            let actions: Vec<&str> = (0..2 + rng.below(5))
                .map(|_| ACTIONS[rng.below(ACTIONS.len())])
                .collect();
            let mut s = statement("Allow", None, json!(actions), None);
            s["Resource"] = json!(format!("arn:aws:s3:::bucket-{account}-{}/*", rng.below(50)));
            s
        })
        .collect();
    document(statements)
}

/// Writes the estate into `dir` (created if needed).
pub fn write_estate(dir: &Path, params: &EstateParams) -> io::Result<EstateSummary> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng(params.seed);
    let mut summary = EstateSummary::default();
    let accounts: Vec<String> = (0..params.accounts.max(1)).map(account_id).collect();
    let tooling = accounts[0].clone();
    let per_account = params.principals / accounts.len();
    let engine_arn = format!("arn:aws:iam::{tooling}:role/xsoar-engine");
    let aws_managed = [
        (
            "ReadOnlyAccess",
            vec![
                "ec2:Describe*",
                "s3:Get*",
                "s3:List*",
                "iam:Get*",
                "iam:List*",
            ],
        ),
        (
            "AmazonSSMManagedInstanceCore",
            vec![
                "ssm:UpdateInstanceInformation",
                "ssmmessages:*",
                "ec2messages:*",
            ],
        ),
        (
            "AWSLambdaBasicExecutionRole",
            vec![
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ],
        ),
    ];
    for (index, account) in accounts.iter().enumerate() {
        let w = Writer {
            encoded: index % 2 == 1,
        };
        let mut roles = Vec::new();
        let mut listed = Vec::new();
        let mut users = Vec::new();
        let mut policies = Vec::new();
        for (name, actions) in &aws_managed {
            policies.push(json!({
                "PolicyName": name, "Arn": format!("arn:aws:iam::aws:policy/{name}"), "Path": "/",
                "DefaultVersionId": "v1", "AttachmentCount": 1, "IsAttachable": true,
                "PolicyVersionList": [{"Document": w.doc(document(vec![{
                    let mut s = statement("Allow", None, json!(actions), None);
                    s["Resource"] = json!("*"); s
                }])), "VersionId": "v1", "IsDefaultVersion": true}]
            }));
        }
        let customer: Vec<String> = (0..10)
            .map(|i| format!("arn:aws:iam::{account}:policy/app-{i}"))
            .collect();
        for (i, arn) in customer.iter().enumerate() {
            policies.push(json!({
                "PolicyName": format!("app-{i}"), "Arn": arn, "Path": "/", "DefaultVersionId": "v1",
                "PolicyVersionList": [{"Document": w.doc(identity_policy(&mut rng, account)), "VersionId": "v1", "IsDefaultVersion": true}]
            }));
        }
        let user_count = per_account * 3 / 10;
        let role_count = per_account - user_count;
        let groups: Vec<Value> = (0..5)
            .map(|g| json!({
                "Path": "/", "GroupName": format!("team-{g}"), "GroupId": format!("AGPA{index:08}{g:04}"),
                "Arn": format!("arn:aws:iam::{account}:group/team-{g}"),
                "GroupPolicyList": [], "AttachedManagedPolicies": [{"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]
            }))
            .collect();
        let mut report = String::from(CREDENTIAL_REPORT_HEADER);
        for u in 0..user_count {
            let name = format!("svc-user-{u}");
            let key = match rng.below(10) {
                0..=4 => "true,2024-01-02T00:00:00+00:00",
                5 => "false,2024-01-02T00:00:00+00:00",
                _ => "false,N/A",
            };
            let mfa = rng.chance(30);
            report.push_str(&format!(
                "{name},arn:aws:iam::{account}:user/{name},2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,{mfa},{key},N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
            ));
            let target = &accounts[rng.below(accounts.len())];
            users.push(json!({
                "Path": "/", "UserName": name, "UserId": format!("AIDA{index:06}{u:010}"),
                "Arn": format!("arn:aws:iam::{account}:user/{name}"),
                "UserPolicyList": [{"PolicyName": "assume-integration", "PolicyDocument": w.doc(document(vec![{
                    let mut s = statement("Allow", None, json!("sts:AssumeRole"), None);
                    s["Resource"] = json!(format!("arn:aws:iam::{target}:role/integration-{}", rng.below(role_count.max(1)))); s
                }]))}],
                "GroupList": [format!("team-{}", rng.below(5))],
                "AttachedManagedPolicies": [],
                "Tags": []
            }));
        }
        summary.users += user_count;
        for r in 0..role_count {
            let (name, trust, profile) = if r == 0 && index == 0 {
                let trust = statement(
                    "Allow",
                    Some(json!({"Service": "ec2.amazonaws.com"})),
                    json!("sts:AssumeRole"),
                    None,
                );
                ("xsoar-engine".to_owned(), trust, true)
            } else if r == 0 {
                let condition = rng
                    .chance(50)
                    .then(|| json!({"StringEquals": {"sts:ExternalId": format!("xsoar-{index}")}}));
                let trust = statement(
                    "Allow",
                    Some(json!({"AWS": engine_arn})),
                    json!("sts:AssumeRole"),
                    condition,
                );
                ("xsoar-target".to_owned(), trust, false)
            } else {
                match rng.below(10) {
                    0..=2 => {
                        let trust = statement(
                            "Allow",
                            Some(json!({"Service": "ec2.amazonaws.com"})),
                            json!("sts:AssumeRole"),
                            None,
                        );
                        (format!("ec2-app-{r}"), trust, true)
                    }
                    3 | 4 => {
                        let trust = statement(
                            "Allow",
                            Some(json!({"Service": "lambda.amazonaws.com"})),
                            json!("sts:AssumeRole"),
                            None,
                        );
                        (format!("lambda-{r}"), trust, false)
                    }
                    5 => {
                        let provider = format!(
                            "arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com"
                        );
                        let condition = json!({
                            "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                            "StringLike": {"token.actions.githubusercontent.com:sub": format!("repo:example/app-{}:*", rng.below(40))}
                        });
                        let trust = statement(
                            "Allow",
                            Some(json!({"Federated": provider})),
                            json!("sts:AssumeRoleWithWebIdentity"),
                            Some(condition),
                        );
                        (format!("github-{r}"), trust, false)
                    }
                    6 | 7 => {
                        let user_account = &accounts[rng.below(accounts.len())];
                        let user = format!(
                            "arn:aws:iam::{user_account}:user/svc-user-{}",
                            rng.below(user_count.max(1))
                        );
                        let trust = statement(
                            "Allow",
                            Some(json!({"AWS": user})),
                            json!(["sts:AssumeRole", "sts:TagSession"]),
                            None,
                        );
                        (format!("integration-{r}"), trust, false)
                    }
                    _ => {
                        let vendor = format!("{:012}", 900_000_000_000u64 + rng.below(20) as u64);
                        let condition = json!({"StringEquals": {"sts:ExternalId": format!("ext-{}", rng.next() % 1_000_000)}});
                        let trust = statement(
                            "Allow",
                            Some(json!({"AWS": format!("arn:aws:iam::{vendor}:root")})),
                            json!("sts:AssumeRole"),
                            Some(condition),
                        );
                        (format!("vendor-{r}"), trust, false)
                    }
                }
            };
            let arn = format!("arn:aws:iam::{account}:role/{name}");
            let profiles = if profile {
                vec![json!({
                    "Path": "/", "InstanceProfileName": name, "InstanceProfileId": format!("AIPA{index:06}{r:010}"),
                    "Arn": format!("arn:aws:iam::{account}:instance-profile/{name}"),
                    "Roles": [{"Path": "/", "RoleName": name, "Arn": arn, "AssumeRolePolicyDocument": w.doc(document(vec![trust.clone()]))}]
                })]
            } else {
                Vec::new()
            };
            let mut attached = vec![
                json!({"PolicyName": "app", "PolicyArn": customer[rng.below(customer.len())]}),
            ];
            if profile {
                attached.push(json!({"PolicyName": "AmazonSSMManagedInstanceCore", "PolicyArn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}));
            }
            let inline = if name == "xsoar-engine" {
                let mut s = statement("Allow", None, json!("sts:AssumeRole"), None);
                s["Resource"] = json!("arn:aws:iam::*:role/xsoar-target");
                vec![
                    json!({"PolicyName": "assume-targets", "PolicyDocument": w.doc(document(vec![s]))}),
                ]
            } else if rng.chance(50) {
                vec![
                    json!({"PolicyName": "inline", "PolicyDocument": w.doc(identity_policy(&mut rng, account))}),
                ]
            } else {
                Vec::new()
            };
            let role = json!({
                "Path": "/", "RoleName": name, "RoleId": format!("AROA{index:06}{r:010}"), "Arn": arn,
                "CreateDate": "2024-01-01T00:00:00Z",
                "AssumeRolePolicyDocument": w.doc(document(vec![trust])),
                "InstanceProfileList": profiles, "RolePolicyList": inline,
                "AttachedManagedPolicies": attached,
                "Tags": [{"Key": "owner", "Value": format!("team-{}", rng.below(5))}],
                "RoleLastUsed": {}
            });
            let duration = if rng.chance(20) {
                7200 * (1 + rng.below(6))
            } else {
                3600
            };
            listed.push(json!({
                "Path": "/", "RoleName": role["RoleName"], "RoleId": role["RoleId"], "Arn": role["Arn"],
                "CreateDate": "2024-01-01T00:00:00+00:00",
                "AssumeRolePolicyDocument": role["AssumeRolePolicyDocument"],
                "MaxSessionDuration": duration
            }));
            roles.push(role);
        }
        summary.roles += role_count;
        let dump = json!({
            "UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles,
            "Policies": policies, "IsTruncated": false
        });
        let path = dir.join(format!("{account}.authorization-details.json"));
        let mut out = BufWriter::new(File::create(&path)?);
        serde_json::to_writer_pretty(&mut out, &dump)?;
        out.write_all(b"\n")?;
        out.flush()?;
        summary.bytes += std::fs::metadata(&path)?.len();
        let path = dir.join(format!("{account}.list-roles.json"));
        let mut out = BufWriter::new(File::create(&path)?);
        serde_json::to_writer_pretty(&mut out, &json!({"Roles": listed}))?;
        out.flush()?;
        summary.bytes += std::fs::metadata(&path)?.len();
        let path = dir.join(format!("{account}.credential-report.csv"));
        std::fs::write(&path, report)?;
        summary.bytes += std::fs::metadata(&path)?.len();
    }
    let ous = ["Security", "Workloads", "Sandbox"];
    let allow_all = document(vec![{
        let mut s = statement("Allow", None, json!("*"), None);
        s["Resource"] = json!("*");
        s
    }]);
    let region_lock = document(vec![{
        let condition =
            json!({"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}});
        let mut s = statement("Deny", None, json!("*"), Some(condition));
        s["Resource"] = json!("*");
        s
    }]);
    let everywhere: Vec<String> = std::iter::once("r-gen0".to_owned())
        .chain((0..ous.len()).map(|i| format!("ou-gen0-{i:08}")))
        .chain(accounts.iter().cloned())
        .collect();
    let org = json!({
        "id": "o-generated",
        "management_account_id": tooling,
        "roots": [{"id": "r-gen0", "name": "Root"}],
        "organizational_units": ous.iter().enumerate().map(|(i, n)| json!({"id": format!("ou-gen0-{i:08}"), "name": n, "parent_id": "r-gen0"})).collect::<Vec<_>>(),
        "accounts": accounts.iter().enumerate().map(|(i, a)| json!({"id": a, "name": format!("account-{i}"), "ou_path": ["r-gen0", format!("ou-gen0-{:08}", i % ous.len())]})).collect::<Vec<_>>(),
        "policies": [
            {"id": "p-FullAWSAccess", "name": "FullAWSAccess", "type": "SERVICE_CONTROL_POLICY", "aws_managed": true,
             "targets": everywhere, "content": allow_all},
            {"id": "p-denyregions", "name": "deny-regions", "type": "SERVICE_CONTROL_POLICY",
             "targets": ["ou-gen0-00000001"], "content": region_lock}
        ]
    });
    std::fs::write(
        dir.join("organization.json"),
        serde_json::to_vec_pretty(&org)?,
    )?;
    let manifest = json!({
        "version": 1,
        "created": "2024-06-01T00:00:00Z",
        "tool": format!("rolecall gen-estate (seed {})", params.seed),
        "accounts": accounts.iter().map(|a| json!({
            "id": a, "status": "complete",
            "files": {
                "authorization_details": format!("{a}.authorization-details.json"),
                "list_roles": format!("{a}.list-roles.json"),
                "credential_report": format!("{a}.credential-report.csv")
            }
        })).collect::<Vec<_>>(),
        "organization": "organization.json"
    });
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest)?,
    )?;
    Ok(summary)
}
