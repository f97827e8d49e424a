//! "Did you mean": the closest real service prefix or action name to an
//! unknown one, by edit distance ignoring case.

use super::condition_key::ConditionKey;
use super::model::{Catalog, Service};
use crate::policy::edit_distance;

/// The largest edit distance still worth suggesting for a name this long.
fn max_distance(len: usize) -> usize {
    match len {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    }
}

/// The candidate closest to `name` within [`max_distance`], the first in
/// iteration order on ties.
fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let name = name.to_ascii_lowercase();
    let limit = max_distance(name.len());
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        // Names whose lengths differ by more than the limit cannot be close.
        if candidate.len().abs_diff(name.len()) > limit {
            continue;
        }
        let d = edit_distance(&name, &candidate.to_ascii_lowercase());
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

impl Catalog {
    /// The condition key closest to an unknown one, among the global keys
    /// and the keys of the service its prefix names (`aws:SourceIP4` →
    /// `aws:SourceIp`).
    pub fn suggest_condition_key(&self, name: &str) -> Option<ConditionKey> {
        let service_keys = name
            .split_once(':')
            .and_then(|(prefix, _)| self.service(prefix))
            .into_iter()
            .flat_map(|s| s.condition_keys());
        let candidates: Vec<ConditionKey> =
            super::global_condition_keys().chain(service_keys).collect();
        let found = closest(name, candidates.iter().map(|k| k.name))?;
        candidates.into_iter().find(|k| k.name == found)
    }

    /// The real service prefix closest to an unknown one (`s4` → `s3`).
    pub fn suggest_service(&self, prefix: &str) -> Option<Service<'_>> {
        let found = closest(prefix, self.services().map(|s| s.prefix()))?;
        self.service(found)
    }

    /// The real action closest to an unknown `prefix:Name`, written
    /// `prefix:Name`: a near name in the same service (`s3:GetObjekt` →
    /// `s3:GetObject`), the same name in a near service (`s4:GetObject` →
    /// `s3:GetObject`), or the only service that has that exact name
    /// (`cloudwatch:PutLogEvents` → `logs:PutLogEvents`, `PutLogEvents` →
    /// `logs:PutLogEvents`). `None` for names with wildcards and when nothing
    /// is close.
    pub fn suggest_action(&self, full_name: &str) -> Option<String> {
        if full_name.contains(['*', '?']) {
            return None;
        }
        let (service, name) = match full_name.split_once(':') {
            Some((prefix, name)) => (
                self.service(prefix)
                    .or_else(|| self.suggest_service(prefix)),
                name,
            ),
            None => (None, full_name),
        };
        if let Some(service) = service {
            if let Some(action) = service.action(name) {
                return Some(action.to_string());
            }
            if let Some(near) = closest(name, service.actions().map(|a| a.name())) {
                return Some(format!("{}:{near}", service.prefix()));
            }
        }
        let mut owners = self.services().filter_map(|s| s.action(name));
        match (owners.next(), owners.next()) {
            (Some(only), None) => Some(only.to_string()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Catalog {
        Catalog::parse(
            "# format\t1\n# source\tpkg\n# version\t1\n# licence\tMIT\n\
             S\tlogs\tLogs\nA\tPutLogEvents\tW\t\t\n\
             S\ts3\tS3\nA\tGetObject\tR\t\t\nA\tGetObjectAcl\tR\t\t\nA\tListBucket\tL\t\t\n\
             S\tsqs\tSQS\nA\tGetQueueUrl\tR\t\t\n",
        )
        .unwrap()
    }

    #[test]
    fn near_names() {
        let c = demo();
        assert_eq!(
            c.suggest_action("s3:GetObjekt").as_deref(),
            Some("s3:GetObject")
        );
        assert_eq!(
            c.suggest_action("s3:getobjects").as_deref(),
            Some("s3:GetObject")
        );
        assert_eq!(
            c.suggest_action("s3:ListBuckets").as_deref(),
            Some("s3:ListBucket")
        );
        assert_eq!(
            c.suggest_action("s4:GetObject").as_deref(),
            Some("s3:GetObject")
        );
        assert_eq!(
            c.suggest_action("s4:GetObjekt").as_deref(),
            Some("s3:GetObject")
        );
        assert_eq!(
            c.suggest_action("cloudwatch:PutLogEvents").as_deref(),
            Some("logs:PutLogEvents")
        );
        assert_eq!(c.suggest_action("s3:DeleteEverything"), None);
        assert_eq!(c.suggest_action("s3:Get*Objekt"), None);
        assert_eq!(
            c.suggest_action("GetQueueUrl").as_deref(),
            Some("sqs:GetQueueUrl")
        );
        assert_eq!(c.suggest_action("GetObjekt"), None);
        assert_eq!(c.suggest_service("sqq").map(|s| s.prefix()), Some("sqs"));
        assert_eq!(c.suggest_service("dynamodb"), None);
        assert_eq!(
            c.suggest_condition_key("aws:SourceIP4").map(|k| k.name),
            Some("aws:SourceIp")
        );
        assert_eq!(
            c.suggest_condition_key("aws:PrincipalOrgId")
                .map(|k| k.name),
            Some("aws:PrincipalOrgID")
        );
        assert_eq!(c.suggest_condition_key("aws:Whatever"), None);
    }
}
