//! A JSON-like value tree that remembers the byte span of every node.
//!
//! Policies are built from this tree rather than from text, so the same policy
//! builder serves a raw policy file, a policy inside a CloudFormation template
//! (JSON or YAML) and a policy inside an authorization-details dump, and every
//! element points at its place in the original file.

use crate::source::Span;

mod fast;

/// One node with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// Where the node stands in its source.
    pub span: Span,
    /// What the node is.
    pub kind: ValueKind,
}

/// The kinds of node.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, kept as written so nothing is lost to floating point.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object; members in source order, duplicate keys kept.
    Object(Vec<Member>),
    /// A value that cannot be known before deployment (an unresolved
    /// CloudFormation intrinsic, a Terraform "known after apply"), with a
    /// short description of what it stands for.
    Unknown(String),
}

/// One object member.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// Span of the key token.
    pub key_span: Span,
    /// The value.
    pub value: Value,
}

impl Value {
    /// The members, when this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            ValueKind::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The elements, when this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The text, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The first member named exactly `key`, when this is an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// A short name of the node's type for messages: "a string", "an array", …
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            ValueKind::Null => "null",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::Number(_) => "a number",
            ValueKind::String(_) => "a string",
            ValueKind::Array(_) => "an array",
            ValueKind::Object(_) => "an object",
            ValueKind::Unknown(_) => "a value unknown until deployment",
        }
    }

    /// Converts to a `serde_json::Value` (unknowns become `null`).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.kind {
            ValueKind::Null | ValueKind::Unknown(_) => J::Null,
            ValueKind::Bool(b) => J::Bool(*b),
            ValueKind::Number(n) => n
                .parse::<serde_json::Number>()
                .map(J::Number)
                .unwrap_or_else(|_| J::String(n.clone())),
            ValueKind::String(s) => J::String(s.clone()),
            ValueKind::Array(a) => J::Array(a.iter().map(Value::to_json).collect()),
            ValueKind::Object(m) => J::Object(
                m.iter()
                    .map(|m| (m.key.clone(), m.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// A strict-JSON syntax error with its position.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct JsonSyntaxError {
    /// What is wrong, lowercase, no position.
    pub message: String,
    /// Where.
    pub span: Span,
}

/// Parses strict JSON (RFC 8259: no comments, no trailing commas) into a
/// spanned tree. Nesting deeper than 512 levels is an error, not a crash.
pub fn parse_json(text: &str) -> Result<Value, JsonSyntaxError> {
    match fast::parse(text) {
        Some(value) => Ok(value),
        None => parse_json_general(text),
    }
}

/// [`parse_json`] through jsonc-parser: every input, errors with their
/// position.
fn parse_json_general(text: &str) -> Result<Value, JsonSyntaxError> {
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let result = jsonc_parser::parse_to_ast(text, &Default::default(), &options).map_err(|e| {
        let range = e.range();
        JsonSyntaxError {
            message: describe_syntax_error(e.kind()),
            span: Span::new(range.start, range.end),
        }
    })?;
    match result.value {
        Some(value) => Ok(from_ast(value)),
        None => Err(JsonSyntaxError {
            message: "the file holds no JSON value".into(),
            span: Span::new(0, 0),
        }),
    }
}

fn describe_syntax_error(kind: &jsonc_parser::errors::ParseErrorKind) -> String {
    let text = kind.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "invalid JSON".into(),
    }
}

fn span_of(range: jsonc_parser::common::Range) -> Span {
    Span::new(range.start, range.end)
}

fn from_ast(value: jsonc_parser::ast::Value<'_>) -> Value {
    use jsonc_parser::ast::Value as A;
    match value {
        A::StringLit(s) => Value {
            span: span_of(s.range),
            kind: ValueKind::String(s.value.into_owned()),
        },
        A::NumberLit(n) => Value {
            span: span_of(n.range),
            kind: ValueKind::Number(n.value.to_owned()),
        },
        A::BooleanLit(b) => Value {
            span: span_of(b.range),
            kind: ValueKind::Bool(b.value),
        },
        A::NullKeyword(n) => Value {
            span: span_of(n.range),
            kind: ValueKind::Null,
        },
        A::Array(a) => Value {
            span: span_of(a.range),
            kind: ValueKind::Array(a.elements.into_iter().map(from_ast).collect()),
        },
        A::Object(o) => Value {
            span: span_of(o.range),
            kind: ValueKind::Object(
                o.properties
                    .into_iter()
                    .map(|p| {
                        let (key, key_span) = match p.name {
                            jsonc_parser::ast::ObjectPropName::String(s) => {
                                (s.value.into_owned(), span_of(s.range))
                            }
                            jsonc_parser::ast::ObjectPropName::Word(w) => {
                                (w.value.to_owned(), span_of(w.range))
                            }
                        };
                        Member {
                            key,
                            key_span,
                            value: from_ast(p.value),
                        }
                    })
                    .collect(),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_tokens() {
        let text = r#"{"a": [1, "x"], "a": true}"#;
        let v = parse_json(text).unwrap();
        let members = v.as_object().unwrap();
        assert_eq!(members.len(), 2, "duplicate keys are kept");
        assert_eq!(
            &text[members[0].key_span.start..members[0].key_span.end],
            "\"a\""
        );
        let arr = members[0].value.as_array().unwrap();
        assert_eq!(&text[arr[1].span.start..arr[1].span.end], "\"x\"");
    }

    #[test]
    fn rejects_json5_extensions() {
        for bad in [
            "{\"a\": 1,}",
            "// c\n{}",
            "{'a': 1}",
            "{a: 1}",
            "[0x10]",
            "",
        ] {
            assert!(parse_json(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = parse_json(&text).unwrap_err();
        assert!(err.message.contains("nesting"), "{}", err.message);
    }
}
