//! Reads the conformance corpus (`tests/conformance/`, format in its README):
//! shared by the conformance runner and the evaluation bench.

use std::path::{Path, PathBuf};

use rolecall::eval::simulate::NAME_MEMBER;
use serde_json::{Map, Value};

/// The corpus folder.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

/// Every case file under the corpus folder, sorted.
pub fn files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(&dir(), &mut out);
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// One case file: its named policies and its cases.
pub struct CaseFile {
    /// Path relative to the corpus folder.
    pub name: String,
    /// The whole document.
    pub doc: Value,
}

impl CaseFile {
    /// Reads a case file.
    pub fn read(path: &Path) -> Self {
        let name = path.strip_prefix(dir()).unwrap().display().to_string();
        let doc = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        Self { name, doc }
    }

    /// The cases.
    pub fn cases(&self) -> &[Value] {
        self.doc["cases"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no `cases` list", self.name))
    }

    /// A case's request as JSON text, with policy names replaced by the
    /// named documents (carrying `__name`).
    pub fn request_text(&self, case: &Value) -> Result<String, String> {
        let policies = self.doc["policies"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut request = case["request"].clone();
        resolve(&mut request, &policies)?;
        serde_json::to_string(&request).map_err(|e| e.to_string())
    }
}

fn resolve(request: &mut Value, policies: &Map<String, Value>) -> Result<(), String> {
    let lookup = |v: &mut Value| -> Result<(), String> {
        if let Value::String(name) = v {
            let mut doc = policies
                .get(name.as_str())
                .ok_or_else(|| format!("unknown policy `{name}`"))?
                .clone();
            if let Value::Object(m) = &mut doc {
                m.insert(NAME_MEMBER.into(), Value::String(name.clone()));
            }
            *v = doc;
        }
        Ok(())
    };
    let Some(obj) = request.as_object_mut() else {
        return Ok(());
    };
    for key in ["identity_policies", "permission_boundaries"] {
        if let Some(Value::Array(items)) = obj.get_mut(key) {
            items.iter_mut().try_for_each(lookup)?;
        }
    }
    for key in ["resource_policy", "session_policy"] {
        if let Some(v) = obj.get_mut(key) {
            lookup(v)?;
        }
    }
    for key in ["scps", "rcps"] {
        if let Some(Value::Array(levels)) = obj.get_mut(key) {
            for level in levels {
                if let Value::Array(items) = level {
                    items.iter_mut().try_for_each(lookup)?;
                }
            }
        }
    }
    Ok(())
}
