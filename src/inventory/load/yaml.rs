//! YAML (CloudFormation templates) into the spanned value tree, with
//! CloudFormation's short-form tags turned into their long form:
//! `!Sub x` → `{"Fn::Sub": x}`, `!Ref x` → `{"Ref": x}`,
//! `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`.
//!
//! Built on `saphyr-parser`'s event stream, which gives every event its
//! start and end position; nesting is followed with an explicit stack, so
//! depth is bounded without recursion.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use crate::source::Span;
use crate::value::{Member, Value, ValueKind};

/// A YAML syntax error with its position.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct YamlError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub span: Span,
}

/// Deepest nesting accepted (as for JSON).
const MAX_DEPTH: usize = 512;
/// Most nodes that aliases may copy in, against "billion laughs" documents.
const MAX_ALIAS_NODES: usize = 1_000_000;

/// Character offsets (what the parser reports) to byte offsets.
struct Offsets {
    bytes: Option<Vec<usize>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let bytes = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        Self {
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.bytes {
            None => char_index.min(self.len),
            Some(map) => map.get(char_index).copied().unwrap_or(self.len),
        }
    }

    fn span(&self, span: saphyr_parser::Span) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }
}

enum Frame {
    Mapping {
        start: Span,
        tag: Option<Tag>,
        anchor: usize,
        members: Vec<Member>,
        key: Option<(String, Span)>,
    },
    Sequence {
        start: Span,
        tag: Option<Tag>,
        anchor: usize,
        items: Vec<Value>,
    },
}

/// Parses the first document of a YAML stream.
pub(crate) fn parse_yaml(text: &str) -> Result<Value, YamlError> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    let mut alias_nodes = 0usize;
    while let Some(event) = parser.next_event() {
        let (event, raw_span) = event.map_err(|e| {
            let at = offsets.byte(e.marker().index());
            YamlError {
                message: e.info().to_lowercase(),
                span: Span::new(at, at),
            }
        })?;
        let span = offsets.span(raw_span);
        let done = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(text.into_owned(), style, tag.map(|t| t.into_owned()), span);
                remember(&mut anchors, anchor, &value);
                Some(value)
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(value) => {
                    alias_nodes += count_nodes(value);
                    if alias_nodes > MAX_ALIAS_NODES {
                        return Err(YamlError {
                            message: "aliases expand to too many nodes".into(),
                            span,
                        });
                    }
                    Some(Value {
                        span,
                        kind: value.kind.clone(),
                    })
                }
                None => {
                    return Err(YamlError {
                        message: "alias to an unknown anchor".into(),
                        span,
                    });
                }
            },
            Event::MappingStart(anchor, tag) | Event::SequenceStart(anchor, tag)
                if stack.len() >= MAX_DEPTH =>
            {
                let _ = (anchor, tag);
                return Err(YamlError {
                    message: format!("nesting deeper than {MAX_DEPTH} levels"),
                    span,
                });
            }
            Event::MappingStart(anchor, tag) => {
                stack.push(Frame::Mapping {
                    start: span,
                    tag: tag.map(|t| t.into_owned()),
                    anchor,
                    members: Vec::new(),
                    key: None,
                });
                None
            }
            Event::SequenceStart(anchor, tag) => {
                stack.push(Frame::Sequence {
                    start: span,
                    tag: tag.map(|t| t.into_owned()),
                    anchor,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = stack.pop() else {
                    continue;
                };
                let (start, tag, anchor, kind, last_end) = match frame {
                    Frame::Mapping {
                        start,
                        tag,
                        anchor,
                        members,
                        ..
                    } => {
                        let last = members.last().map(|m| m.value.span.end);
                        (start, tag, anchor, ValueKind::Object(members), last)
                    }
                    Frame::Sequence {
                        start,
                        tag,
                        anchor,
                        items,
                    } => {
                        let last = items.last().map(|v| v.span.end);
                        (start, tag, anchor, ValueKind::Array(items), last)
                    }
                };
                // Flow collections end at their bracket; block ones at their
                // last child (the end event sits at the next token).
                let end = if span.is_empty() {
                    last_end.unwrap_or(start.end)
                } else {
                    span.end
                };
                let node = Value {
                    span: Span::new(start.start, end.max(start.start)),
                    kind,
                };
                let node = apply_tag(node, tag.as_ref());
                remember(&mut anchors, anchor, &node);
                Some(node)
            }
            Event::DocumentEnd => {
                break;
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => None,
        };
        let Some(node) = done else { continue };
        match stack.last_mut() {
            None => return Ok(node),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping { members, key, .. }) => match key.take() {
                None => {
                    let text = match &node.kind {
                        ValueKind::String(s) | ValueKind::Number(s) => s.clone(),
                        ValueKind::Bool(b) => b.to_string(),
                        ValueKind::Null => String::new(),
                        _ => {
                            return Err(YamlError {
                                message: "a mapping key must be a plain value".into(),
                                span: node.span,
                            });
                        }
                    };
                    *key = Some((text, node.span));
                }
                Some((k, key_span)) => members.push(Member {
                    key: k,
                    key_span,
                    value: node,
                }),
            },
        }
    }
    Err(YamlError {
        message: "the file holds no YAML document".into(),
        span: Span::new(0, 0),
    })
}

fn remember(anchors: &mut HashMap<usize, Value>, anchor: usize, value: &Value) {
    if anchor > 0 {
        anchors.insert(anchor, value.clone());
    }
}

fn count_nodes(value: &Value) -> usize {
    let mut count = 0;
    let mut pending = vec![value];
    while let Some(v) = pending.pop() {
        count += 1;
        match &v.kind {
            ValueKind::Array(items) => pending.extend(items),
            ValueKind::Object(members) => pending.extend(members.iter().map(|m| &m.value)),
            _ => {}
        }
    }
    count
}

/// A scalar typed by YAML 1.2's core schema (plain style) or its tag.
fn scalar(text: String, style: ScalarStyle, tag: Option<Tag>, span: Span) -> Value {
    let kind = match &tag {
        Some(t) if t.is_yaml_core_schema() => match t.suffix.as_str() {
            "str" => ValueKind::String(text),
            "null" => ValueKind::Null,
            "bool" => ValueKind::Bool(text.eq_ignore_ascii_case("true")),
            "int" | "float" => ValueKind::Number(text),
            _ => ValueKind::String(text),
        },
        _ if style == ScalarStyle::Plain && tag.is_none() => plain(text),
        _ => ValueKind::String(text),
    };
    apply_tag(Value { span, kind }, tag.as_ref())
}

fn plain(text: String) -> ValueKind {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => ValueKind::Null,
        "true" | "True" | "TRUE" => ValueKind::Bool(true),
        "false" | "False" | "FALSE" => ValueKind::Bool(false),
        _ if is_number(&text) => ValueKind::Number(text),
        _ => ValueKind::String(text),
    }
}

/// YAML 1.2 core schema integers and floats (decimal forms only; octal,
/// hexadecimal, `.inf` and `.nan` stay strings, as CloudFormation reads
/// policy values as strings anyway).
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match digits.find(['e', 'E']) {
        Some(i) => (&digits[..i], Some(&digits[i + 1..])),
        None => (digits, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = all_digits(int)
        && frac.is_none_or(all_digits)
        && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Wraps a node carrying a CloudFormation short-form tag in its long form.
fn apply_tag(node: Value, tag: Option<&Tag>) -> Value {
    let Some(tag) = tag.filter(|t| t.handle == "!") else {
        return node;
    };
    let span = node.span;
    let (key, value) = match tag.suffix.as_str() {
        "Ref" => ("Ref".to_owned(), node),
        "Condition" => ("Condition".to_owned(), node),
        "GetAtt" => {
            let value = match &node.kind {
                ValueKind::String(s) => match s.split_once('.') {
                    Some((resource, attribute)) => Value {
                        span,
                        kind: ValueKind::Array(vec![
                            Value {
                                span,
                                kind: ValueKind::String(resource.to_owned()),
                            },
                            Value {
                                span,
                                kind: ValueKind::String(attribute.to_owned()),
                            },
                        ]),
                    },
                    None => node,
                },
                _ => node,
            };
            ("Fn::GetAtt".to_owned(), value)
        }
        other => (format!("Fn::{other}"), node),
    };
    Value {
        span,
        kind: ValueKind::Object(vec![Member {
            key,
            key_span: span,
            value,
        }]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn scalars_are_typed_by_the_core_schema() {
        let v =
            parse_yaml("a: 1\nb: true\nc: ~\nd: 2012-10-17\ne: '1'\nf: 1.5e3\ng: 0x1F\n").unwrap();
        assert_eq!(v.get("a").unwrap().kind, ValueKind::Number("1".into()));
        assert_eq!(v.get("b").unwrap().kind, ValueKind::Bool(true));
        assert_eq!(v.get("c").unwrap().kind, ValueKind::Null);
        assert_eq!(
            v.get("d").unwrap().kind,
            ValueKind::String("2012-10-17".into())
        );
        assert_eq!(v.get("e").unwrap().kind, ValueKind::String("1".into()));
        assert_eq!(v.get("f").unwrap().kind, ValueKind::Number("1.5e3".into()));
        assert_eq!(v.get("g").unwrap().kind, ValueKind::String("0x1F".into()));
    }

    #[test]
    fn short_form_tags_become_long_form() {
        let text =
            "A: !Sub 'arn:${AWS::Partition}:x'\nB: !GetAtt Role.Arn\nC: !Join [':', [a, !Ref X]]\n";
        let v = parse_yaml(text).unwrap();
        let a = v.get("A").unwrap();
        assert!(slice(text, a.span).contains("arn:${AWS::Partition}:x"));
        assert_eq!(
            a.get("Fn::Sub").unwrap().kind,
            ValueKind::String("arn:${AWS::Partition}:x".into())
        );
        let b = v
            .get("B")
            .unwrap()
            .get("Fn::GetAtt")
            .unwrap()
            .as_array()
            .unwrap();
        assert_eq!(b[0].as_str(), Some("Role"));
        assert_eq!(b[1].as_str(), Some("Arn"));
        let c = v
            .get("C")
            .unwrap()
            .get("Fn::Join")
            .unwrap()
            .as_array()
            .unwrap();
        let list = c[1].as_array().unwrap();
        assert_eq!(list[1].get("Ref").unwrap().as_str(), Some("X"));
    }

    #[test]
    fn spans_are_byte_offsets_even_after_multibyte_text() {
        let text = "# caf\u{e9}\nKey:\n  Inner: value\n";
        let v = parse_yaml(text).unwrap();
        let inner = v.get("Key").unwrap().get("Inner").unwrap();
        assert_eq!(slice(text, inner.span), "value");
        let key = v.get("Key").unwrap();
        assert_eq!(slice(text, key.span), "Inner: value");
    }

    #[test]
    fn flow_collections_span_their_brackets() {
        let text = "A: {x: [1, 2]}\n";
        let v = parse_yaml(text).unwrap();
        assert_eq!(slice(text, v.get("A").unwrap().span), "{x: [1, 2]}");
    }

    #[test]
    fn anchors_aliases_and_limits() {
        let v = parse_yaml("a: &x [1, 2]\nb: *x\n").unwrap();
        assert_eq!(v.get("b").unwrap().as_array().unwrap().len(), 2);
        let deep = "[".repeat(2000) + &"]".repeat(2000);
        let err = parse_yaml(&deep).unwrap_err();
        assert!(
            err.message.contains("nesting") || err.message.contains("recursion"),
            "{}",
            err.message
        );
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(parse_yaml(&bomb).unwrap_err().message.contains("too many"));
    }

    #[test]
    fn errors_have_positions() {
        let err = parse_yaml("a: [1, 2\nb: c\n").unwrap_err();
        assert!(!err.message.is_empty());
        assert!(parse_yaml("").is_err());
    }
}
