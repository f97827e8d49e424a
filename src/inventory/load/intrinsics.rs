//! Evaluating CloudFormation intrinsic functions where the template alone
//! determines the result; everything else becomes an explicit
//! [`ValueKind::Unknown`] carrying what it stands for, never a guess.
//!
//! Function semantics: the CloudFormation "Intrinsic function reference"
//! (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`,
//! `Fn::If`, `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Fn::FindInMap`,
//! `Fn::ImportValue`) and "Pseudo parameters reference"
//! (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html,
//! https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::{LoadIssue, LoadOptions};
use crate::source::Span;
use crate::value::{Member, Value, ValueKind};

/// Intrinsics whose result depends on the deployment: always unknown, no warning.
const DEPLOY_TIME: &[&str] = &[
    "Fn::ImportValue",
    "Fn::GetAZs",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::Length",
    "Fn::ToJsonString",
    "Fn::GetStackOutput",
];

/// A template entity's name and ARN as deployment will make them.
#[derive(Debug, Clone)]
pub(crate) struct Identity {
    /// The name, or the logical id when CloudFormation generates the name.
    pub name: String,
    /// The IAM path.
    pub path: String,
    /// Whether the name is generated at deployment.
    pub generated: bool,
    /// The ARN (with the logical id standing for a generated name).
    pub arn: String,
}

impl Identity {
    /// The ARN as a value: known, or unknown with the ARN as description
    /// when the name is generated.
    fn arn_value(&self, span: Span) -> Value {
        known_or_unknown(&self.arn, !self.generated, span)
    }

    fn name_value(&self, span: Span) -> Value {
        if self.generated {
            unknown(&self.arn, span)
        } else {
            string(&self.name, span)
        }
    }
}

fn string(text: &str, span: Span) -> Value {
    Value {
        span,
        kind: ValueKind::String(text.to_owned()),
    }
}

fn unknown(what: &str, span: Span) -> Value {
    Value {
        span,
        kind: ValueKind::Unknown(what.to_owned()),
    }
}

fn known_or_unknown(text: &str, known: bool, span: Span) -> Value {
    if known {
        string(text, span)
    } else {
        unknown(text, span)
    }
}

/// A problem met while resolving, for the caller to report.
pub(crate) struct ResolveProblem {
    pub span: Span,
    pub path: String,
    pub issue: LoadIssue,
}

/// Resolves intrinsics against one template.
pub(crate) struct Resolver<'t> {
    resources: HashMap<&'t str, &'t Value>,
    parameters: HashSet<&'t str>,
    mappings: Option<&'t Value>,
    conditions: Option<&'t Value>,
    partition: String,
    account: String,
    region: Option<String>,
    identities: RefCell<HashMap<String, Option<Identity>>>,
    problems: RefCell<Vec<ResolveProblem>>,
}

impl<'t> Resolver<'t> {
    pub(crate) fn new(root: &'t Value, options: &LoadOptions) -> Self {
        let resources = root
            .get("Resources")
            .and_then(Value::as_object)
            .unwrap_or_default()
            .iter()
            .map(|m| (m.key.as_str(), &m.value))
            .collect();
        let parameters = root
            .get("Parameters")
            .and_then(Value::as_object)
            .unwrap_or_default()
            .iter()
            .map(|m| m.key.as_str())
            .collect();
        Self {
            resources,
            parameters,
            mappings: root.get("Mappings"),
            conditions: root.get("Conditions"),
            partition: options.partition.clone(),
            account: options.account().to_owned(),
            region: options.region.clone(),
            identities: RefCell::new(HashMap::new()),
            problems: RefCell::new(Vec::new()),
        }
    }

    /// The account id entities of the template live in.
    pub(crate) fn account(&self) -> &str {
        &self.account
    }

    /// The partition.
    pub(crate) fn partition(&self) -> &str {
        &self.partition
    }

    /// The region, when known.
    pub(crate) fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Takes the problems recorded so far.
    pub(crate) fn take_problems(&self) -> Vec<ResolveProblem> {
        std::mem::take(&mut *self.problems.borrow_mut())
    }

    fn problem(&self, span: Span, path: &str, issue: LoadIssue) {
        self.problems.borrow_mut().push(ResolveProblem {
            span,
            path: path.to_owned(),
            issue,
        });
    }

    /// The resource's type.
    pub(crate) fn resource_type(&self, logical_id: &str) -> Option<&'t str> {
        self.resources.get(logical_id)?.get("Type")?.as_str()
    }

    /// Whether a resource's `Condition` is known to be false.
    pub(crate) fn condition_false(&self, resource: &Value) -> bool {
        let Some(name) = resource.get("Condition").and_then(Value::as_str) else {
            return false;
        };
        self.condition(name, &mut HashSet::new()) == Some(false)
    }

    /// The resolved value of `Properties/<key>` of a resource.
    pub(crate) fn property(&self, logical_id: &str, key: &str) -> Option<Value> {
        let resource = self.resources.get(logical_id)?;
        let value = resource.get("Properties")?.get(key)?;
        self.resolve(value, &format!("Resources/{logical_id}/Properties/{key}"))
    }

    /// Name and ARN of an IAM role, user, group, instance profile or managed
    /// policy of the template; `None` for other types.
    pub(crate) fn identity(&self, logical_id: &str) -> Option<Identity> {
        if let Some(known) = self.identities.borrow().get(logical_id) {
            return known.clone();
        }
        let (name_key, arn_word) = match self.resource_type(logical_id)? {
            "AWS::IAM::Role" => ("RoleName", "role"),
            "AWS::IAM::User" => ("UserName", "user"),
            "AWS::IAM::Group" => ("GroupName", "group"),
            "AWS::IAM::InstanceProfile" => ("InstanceProfileName", "instance-profile"),
            "AWS::IAM::ManagedPolicy" => ("ManagedPolicyName", "policy"),
            _ => return None,
        };
        // Guards against a name that refers back to itself.
        self.identities
            .borrow_mut()
            .insert(logical_id.to_owned(), None);
        let name = self.property(logical_id, name_key);
        let path = match self.property(logical_id, "Path").map(|v| v.kind) {
            Some(ValueKind::String(p)) => p,
            _ => "/".to_owned(),
        };
        let (name, generated) = match name.map(|v| v.kind) {
            Some(ValueKind::String(n)) => (n, false),
            _ => (logical_id.to_owned(), true),
        };
        let arn = format!(
            "arn:{}:iam::{}:{arn_word}{path}{name}",
            self.partition, self.account
        );
        let identity = Identity {
            name,
            path,
            generated,
            arn,
        };
        self.identities
            .borrow_mut()
            .insert(logical_id.to_owned(), Some(identity.clone()));
        Some(identity)
    }

    /// Resolves every intrinsic in `value`; `None` for `AWS::NoValue`.
    pub(crate) fn resolve(&self, value: &Value, path: &str) -> Option<Value> {
        match &value.kind {
            ValueKind::Object(members) => {
                if let [only] = members.as_slice()
                    && (only.key == "Ref" || only.key.starts_with("Fn::"))
                {
                    return self.intrinsic(&only.key, &only.value, value.span, path);
                }
                let members = members
                    .iter()
                    .filter_map(|m| {
                        let value = self.resolve(&m.value, &format!("{path}/{}", m.key))?;
                        Some(Member {
                            key: m.key.clone(),
                            key_span: m.key_span,
                            value,
                        })
                    })
                    .collect();
                Some(Value {
                    span: value.span,
                    kind: ValueKind::Object(members),
                })
            }
            ValueKind::Array(items) => Some(Value {
                span: value.span,
                kind: ValueKind::Array(
                    items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, v)| self.resolve(v, &format!("{path}/{i}")))
                        .collect(),
                ),
            }),
            _ => Some(value.clone()),
        }
    }

    fn intrinsic(&self, name: &str, arg: &Value, span: Span, path: &str) -> Option<Value> {
        let path = format!("{path}/{name}");
        let value = match name {
            "Ref" => {
                let Some(target) = arg.as_str() else {
                    return Some(self.malformed(name, span, &path));
                };
                if target == "AWS::NoValue" {
                    return None;
                }
                self.reference(target, span, &path)
            }
            "Fn::GetAtt" => self.get_att(arg, span, &path),
            "Fn::Sub" => self.sub(arg, span, &path),
            "Fn::Join" => self.join(arg, span, &path),
            "Fn::Select" => self.select(arg, span, &path),
            "Fn::Split" => self.split(arg, span, &path),
            "Fn::If" => return self.fn_if(arg, span, &path),
            "Fn::FindInMap" => self.find_in_map(arg, span, &path),
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                let mut single = Member {
                    key: name.to_owned(),
                    key_span: span,
                    value: arg.clone(),
                };
                single.value.span = arg.span;
                let holder = Value {
                    span,
                    kind: ValueKind::Object(vec![single]),
                };
                match self.truth(&holder, &mut HashSet::new()) {
                    Some(b) => Value {
                        span,
                        kind: ValueKind::Bool(b),
                    },
                    None => unknown(&format!("{name} (depends on deployment)"), span),
                }
            }
            _ if DEPLOY_TIME.contains(&name) => {
                let what = match arg.as_str() {
                    Some(s) => format!("{name} `{s}`"),
                    None => name.to_owned(),
                };
                unknown(&what, span)
            }
            _ => {
                self.problem(
                    span,
                    &path,
                    LoadIssue::UnsupportedIntrinsic(name.to_owned()),
                );
                unknown(name, span)
            }
        };
        Some(value)
    }

    fn malformed(&self, name: &str, span: Span, path: &str) -> Value {
        self.problem(
            span,
            path,
            LoadIssue::Shape(format!("malformed `{name}` arguments: kept as unknown")),
        );
        unknown(name, span)
    }

    fn reference(&self, target: &str, span: Span, path: &str) -> Value {
        match target {
            "AWS::AccountId" => return string(&self.account, span),
            "AWS::Partition" => return string(&self.partition, span),
            "AWS::URLSuffix" => {
                let suffix = if self.partition == "aws-cn" {
                    "amazonaws.com.cn"
                } else {
                    "amazonaws.com"
                };
                return string(suffix, span);
            }
            "AWS::Region" => {
                return match &self.region {
                    Some(r) => string(r, span),
                    None => unknown("AWS::Region", span),
                };
            }
            "AWS::StackName" | "AWS::StackId" | "AWS::NotificationARNs" => {
                return unknown(target, span);
            }
            _ => {}
        }
        if self.parameters.contains(target) {
            return unknown(&format!("parameter `{target}`"), span);
        }
        let Some(resource_type) = self.resource_type(target) else {
            self.problem(span, path, LoadIssue::MissingReference(target.to_owned()));
            return unknown(&format!("Ref `{target}`"), span);
        };
        if let Some(identity) = self.identity(target) {
            return if resource_type == "AWS::IAM::ManagedPolicy" {
                identity.arn_value(span)
            } else {
                identity.name_value(span)
            };
        }
        let named = |key: &str| match self.property(target, key).map(|v| v.kind) {
            Some(ValueKind::String(s)) => Some(s),
            _ => None,
        };
        let from_name = match resource_type {
            "AWS::S3::Bucket" => named("BucketName"),
            "AWS::Lambda::Function" => named("FunctionName"),
            "AWS::SNS::Topic" => named("TopicName").and_then(|n| self.regional_arn("sns", &n)),
            _ => None,
        };
        match from_name {
            Some(text) => string(&text, span),
            None => unknown(&format!("Ref `{target}`"), span),
        }
    }

    fn regional_arn(&self, service: &str, resource: &str) -> Option<String> {
        Some(format!(
            "arn:{}:{service}:{}:{}:{resource}",
            self.partition,
            self.region.as_deref()?,
            self.account
        ))
    }

    fn get_att(&self, arg: &Value, span: Span, path: &str) -> Value {
        let parts: Option<Vec<String>> = match &arg.kind {
            ValueKind::Array(items) if items.len() == 2 => items
                .iter()
                .map(|v| match self.resolve(v, path).map(|v| v.kind) {
                    Some(ValueKind::String(s)) => Some(s),
                    _ => None,
                })
                .collect(),
            ValueKind::String(s) => s
                .split_once('.')
                .map(|(a, b)| vec![a.to_owned(), b.to_owned()]),
            _ => None,
        };
        let Some([target, attribute]) = parts.as_deref() else {
            return self.malformed("Fn::GetAtt", span, path);
        };
        let Some(resource_type) = self.resource_type(target) else {
            self.problem(span, path, LoadIssue::MissingReference(target.clone()));
            return unknown(&format!("{target}.{attribute}"), span);
        };
        if let Some(identity) = self.identity(target)
            && (attribute == "Arn" || (attribute == "PolicyArn"))
        {
            return identity.arn_value(span);
        }
        let named = |key: &str| match self.property(target, key).map(|v| v.kind) {
            Some(ValueKind::String(s)) => Some(s),
            _ => None,
        };
        let known = match (resource_type, attribute.as_str()) {
            ("AWS::S3::Bucket", "Arn") => {
                named("BucketName").map(|n| format!("arn:{}:s3:::{n}", self.partition))
            }
            ("AWS::SQS::Queue", "Arn") => {
                named("QueueName").and_then(|n| self.regional_arn("sqs", &n))
            }
            ("AWS::SNS::Topic", "TopicArn") => {
                named("TopicName").and_then(|n| self.regional_arn("sns", &n))
            }
            ("AWS::Lambda::Function", "Arn") => named("FunctionName")
                .and_then(|n| self.regional_arn("lambda", &format!("function:{n}"))),
            _ => None,
        };
        match known {
            Some(text) => string(&text, span),
            None => unknown(&format!("{target}.{attribute}"), span),
        }
    }

    fn sub(&self, arg: &Value, span: Span, path: &str) -> Value {
        let (template, vars) = match &arg.kind {
            ValueKind::String(s) => (s.as_str(), None),
            ValueKind::Array(items) if items.len() == 2 => match items[0].as_str() {
                Some(s) => (s, items[1].as_object()),
                None => return self.malformed("Fn::Sub", span, path),
            },
            _ => return self.malformed("Fn::Sub", span, path),
        };
        let mut out = String::new();
        let mut known = true;
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let resolved = match vars.and_then(|v| v.iter().find(|m| m.key == name)) {
                Some(var) => self.resolve(&var.value, path),
                None => match name.split_once('.') {
                    Some((resource, attribute)) if !name.starts_with("AWS::") => {
                        Some(self.get_att(
                            &string(&format!("{resource}.{attribute}"), span),
                            span,
                            path,
                        ))
                    }
                    _ => Some(self.reference(name, span, path)),
                },
            };
            match resolved.map(|v| v.kind) {
                Some(ValueKind::String(s)) => out.push_str(&s),
                Some(ValueKind::Number(n)) => out.push_str(&n),
                _ => {
                    known = false;
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                }
            }
        }
        out.push_str(rest);
        known_or_unknown(&out, known, span)
    }

    fn strings(&self, value: &Value, path: &str) -> Option<Vec<Result<String, String>>> {
        let resolved = self.resolve(value, path)?;
        let items = resolved.as_array()?;
        Some(
            items
                .iter()
                .map(|v| match &v.kind {
                    ValueKind::String(s) | ValueKind::Number(s) => Ok(s.clone()),
                    ValueKind::Unknown(d) => Err(format!("${{{d}}}")),
                    _ => Err(format!("${{{}}}", v.type_name())),
                })
                .collect(),
        )
    }

    fn join(&self, arg: &Value, span: Span, path: &str) -> Value {
        let Some([delimiter, list]) = arg.as_array() else {
            return self.malformed("Fn::Join", span, path);
        };
        let Some(delimiter) = delimiter.as_str() else {
            return self.malformed("Fn::Join", span, path);
        };
        let Some(parts) = self.strings(list, path) else {
            return unknown("Fn::Join of a list known at deployment", span);
        };
        let known = parts.iter().all(Result::is_ok);
        let text = parts
            .into_iter()
            .map(|p| p.unwrap_or_else(|e| e))
            .collect::<Vec<_>>()
            .join(delimiter);
        known_or_unknown(&text, known, span)
    }

    fn select(&self, arg: &Value, span: Span, path: &str) -> Value {
        let Some([index, list]) = arg.as_array() else {
            return self.malformed("Fn::Select", span, path);
        };
        let index = match self.resolve(index, path).map(|v| v.kind) {
            Some(ValueKind::Number(n) | ValueKind::String(n)) => n.parse::<usize>().ok(),
            _ => None,
        };
        let list = self.resolve(list, path);
        match (index, list.as_ref().and_then(Value::as_array)) {
            (Some(i), Some(items)) => match items.get(i) {
                Some(item) => Value {
                    span,
                    kind: item.kind.clone(),
                },
                None => self.malformed("Fn::Select", span, path),
            },
            _ => unknown("Fn::Select", span),
        }
    }

    fn split(&self, arg: &Value, span: Span, path: &str) -> Value {
        let Some([delimiter, source]) = arg.as_array() else {
            return self.malformed("Fn::Split", span, path);
        };
        match (
            delimiter.as_str(),
            self.resolve(source, path).map(|v| v.kind),
        ) {
            (Some(d), Some(ValueKind::String(s))) if !d.is_empty() => Value {
                span,
                kind: ValueKind::Array(s.split(d).map(|p| string(p, span)).collect()),
            },
            _ => unknown("Fn::Split", span),
        }
    }

    fn fn_if(&self, arg: &Value, span: Span, path: &str) -> Option<Value> {
        let Some([condition, then, otherwise]) = arg.as_array() else {
            return Some(self.malformed("Fn::If", span, path));
        };
        let Some(name) = condition.as_str() else {
            return Some(self.malformed("Fn::If", span, path));
        };
        match self.condition(name, &mut HashSet::new()) {
            Some(true) => self.resolve(then, path),
            Some(false) => self.resolve(otherwise, path),
            None => Some(unknown(&format!("Fn::If `{name}`"), span)),
        }
    }

    fn find_in_map(&self, arg: &Value, span: Span, path: &str) -> Value {
        let Some([map, top, second]) = arg.as_array() else {
            return self.malformed("Fn::FindInMap", span, path);
        };
        let key = |v: &Value| match self.resolve(v, path).map(|v| v.kind) {
            Some(ValueKind::String(s)) => Some(s),
            _ => None,
        };
        let (Some(map), Some(top), Some(second)) = (key(map), key(top), key(second)) else {
            return unknown("Fn::FindInMap", span);
        };
        let found = self
            .mappings
            .and_then(|m| m.get(&map))
            .and_then(|m| m.get(&top))
            .and_then(|m| m.get(&second));
        match found {
            Some(value) => Value {
                span,
                kind: value.kind.clone(),
            },
            None => {
                self.problem(
                    span,
                    path,
                    LoadIssue::MissingReference(format!("Mappings/{map}/{top}/{second}")),
                );
                unknown("Fn::FindInMap", span)
            }
        }
    }

    /// The truth of a named condition, when the template determines it.
    fn condition(&self, name: &str, visiting: &mut HashSet<String>) -> Option<bool> {
        if !visiting.insert(name.to_owned()) {
            return None;
        }
        let definition = self.conditions?.get(name)?;
        let result = self.truth(definition, visiting);
        visiting.remove(name);
        result
    }

    fn truth(&self, value: &Value, visiting: &mut HashSet<String>) -> Option<bool> {
        let [only] = value.as_object()? else {
            return None;
        };
        let args = only.value.as_array();
        match only.key.as_str() {
            "Condition" => self.condition(only.value.as_str()?, visiting),
            "Fn::Not" => Some(!self.truth(args?.first()?, visiting)?),
            "Fn::And" => {
                let mut all = Some(true);
                for a in args? {
                    match self.truth(a, visiting) {
                        Some(false) => return Some(false),
                        None => all = None,
                        Some(true) => {}
                    }
                }
                all
            }
            "Fn::Or" => {
                let mut any = Some(false);
                for a in args? {
                    match self.truth(a, visiting) {
                        Some(true) => return Some(true),
                        None => any = None,
                        Some(false) => {}
                    }
                }
                any
            }
            "Fn::Equals" => {
                let [a, b] = args? else { return None };
                let a = self.resolve(a, "Conditions")?;
                let b = self.resolve(b, "Conditions")?;
                match (&a.kind, &b.kind) {
                    (ValueKind::Unknown(_), _) | (_, ValueKind::Unknown(_)) => None,
                    _ => Some(a.to_json() == b.to_json()),
                }
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::parse_json;

    fn resolver(template: &str) -> (Value, LoadOptions) {
        (parse_json(template).unwrap(), LoadOptions::default())
    }

    #[test]
    fn sub_resolves_pseudo_parameters_and_keeps_the_rest_unknown() {
        let (root, mut options) =
            resolver(r#"{"Parameters": {"Env": {"Type": "String"}}, "Resources": {}}"#);
        options.account_id = Some("111122223333".into());
        let r = Resolver::new(&root, &options);
        let v = parse_json(r#"{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}"#)
            .unwrap();
        assert_eq!(
            r.resolve(&v, "x").unwrap().kind,
            ValueKind::String("arn:aws:iam::111122223333:root".into())
        );
        let v = parse_json(r#"{"Fn::Sub": "role/${Env}-x-${!Literal}"}"#).unwrap();
        assert_eq!(
            r.resolve(&v, "x").unwrap().kind,
            ValueKind::Unknown("role/${Env}-x-${Literal}".into())
        );
        let v =
            parse_json(r#"{"Fn::Sub": ["${A}-${B}", {"A": "a", "B": {"Ref": "AWS::Region"}}]}"#)
                .unwrap();
        assert_eq!(
            r.resolve(&v, "x").unwrap().kind,
            ValueKind::Unknown("a-${B}".into())
        );
        assert!(r.take_problems().is_empty());
    }

    #[test]
    fn refs_to_roles_give_names_and_arns() {
        let (root, options) = resolver(
            r#"{"Resources": {
                "Named": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "engine", "Path": "/ops/"}},
                "Anon": {"Type": "AWS::IAM::Role", "Properties": {}}}}"#,
        );
        let r = Resolver::new(&root, &options);
        let get = |text: &str| r.resolve(&parse_json(text).unwrap(), "x").unwrap().kind;
        assert_eq!(
            get(r#"{"Ref": "Named"}"#),
            ValueKind::String("engine".into())
        );
        assert_eq!(
            get(r#"{"Fn::GetAtt": ["Named", "Arn"]}"#),
            ValueKind::String("arn:aws:iam::000000000000:role/ops/engine".into())
        );
        assert_eq!(
            get(r#"{"Fn::GetAtt": "Anon.Arn"}"#),
            ValueKind::Unknown("arn:aws:iam::000000000000:role/Anon".into())
        );
        assert_eq!(
            get(r#"{"Fn::GetAtt": ["Named", "RoleId"]}"#),
            ValueKind::Unknown("Named.RoleId".into())
        );
        assert!(r.take_problems().is_empty());
    }

    #[test]
    fn missing_references_and_unsupported_functions_are_reported() {
        let (root, options) = resolver(r#"{"Resources": {}}"#);
        let r = Resolver::new(&root, &options);
        let v = parse_json(r#"[{"Ref": "Ghost"}, {"Fn::Magic": 1}, {"Fn::ImportValue": "x"}]"#)
            .unwrap();
        let resolved = r.resolve(&v, "P").unwrap();
        let items = resolved.as_array().unwrap();
        assert!(matches!(items[0].kind, ValueKind::Unknown(_)));
        let problems = r.take_problems();
        assert_eq!(problems.len(), 2);
        assert_eq!(
            problems[0].issue,
            LoadIssue::MissingReference("Ghost".into())
        );
        assert_eq!(problems[0].path, "P/0/Ref");
        assert_eq!(
            problems[1].issue,
            LoadIssue::UnsupportedIntrinsic("Fn::Magic".into())
        );
    }

    #[test]
    fn conditions_decide_if_and_novalue_drops() {
        let (root, options) = resolver(
            r#"{"Parameters": {"P": {"Type": "String"}},
                "Conditions": {"Always": {"Fn::Equals": ["a", "a"]}, "Never": {"Fn::Not": [{"Condition": "Always"}]},
                               "Maybe": {"Fn::Equals": [{"Ref": "P"}, "x"]}},
                "Resources": {}}"#,
        );
        let r = Resolver::new(&root, &options);
        let v = parse_json(
            r#"[{"Fn::If": ["Always", "yes", "no"]}, {"Fn::If": ["Never", "yes", {"Ref": "AWS::NoValue"}]},
                {"Fn::If": ["Maybe", "yes", "no"]}, {"Fn::Join": ["-", ["a", {"Fn::Select": [1, ["x", "b"]]}]]},
                {"Fn::FindInMap": ["M", "a", "b"]}]"#,
        )
        .unwrap();
        let resolved = r.resolve(&v, "x").unwrap();
        let items = resolved.as_array().unwrap();
        assert_eq!(items.len(), 4, "NoValue dropped");
        assert_eq!(items[0].kind, ValueKind::String("yes".into()));
        assert_eq!(items[1].kind, ValueKind::Unknown("Fn::If `Maybe`".into()));
        assert_eq!(items[2].kind, ValueKind::String("a-b".into()));
        assert!(matches!(items[3].kind, ValueKind::Unknown(_)));
        assert_eq!(r.take_problems().len(), 1, "missing mapping");
    }
}
