//! The fast path of [`parse_json`](super::parse_json): a single pass
//! building the spanned tree straight from the bytes, for the JSON policies
//! are written in — strict JSON without escape sequences, shallow.
//!
//! It gives up (`None`) on anything else: a syntax error, a backslash or a
//! control character in a string, whitespace other than the four JSON
//! ones, nesting deeper than [`MAX_DEPTH`]. The caller then parses with
//! jsonc-parser, which reports errors with their position; so the fast path
//! only ever returns what that parser would, and never an error.

use super::{Member, Value, ValueKind};
use crate::source::Span;

/// Deeper documents take the general parser (and its nesting limit).
const MAX_DEPTH: usize = 64;

/// The tree of `text`, or `None` when the fast path does not apply.
pub(super) fn parse(text: &str) -> Option<Value> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    (parser.pos == parser.bytes.len()).then_some(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        let start = self.pos;
        let kind = match self.peek()? {
            b'{' => return self.object(depth),
            b'[' => return self.array(depth),
            b'"' => ValueKind::String(self.string()?.to_owned()),
            b't' => self.keyword("true", ValueKind::Bool(true))?,
            b'f' => self.keyword("false", ValueKind::Bool(false))?,
            b'n' => self.keyword("null", ValueKind::Null)?,
            b'-' | b'0'..=b'9' => ValueKind::Number(self.number()?.to_owned()),
            _ => return None,
        };
        Some(Value {
            span: Span::new(start, self.pos),
            kind,
        })
    }

    fn keyword(&mut self, word: &str, kind: ValueKind) -> Option<ValueKind> {
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word.as_bytes()).then(|| {
            self.pos = end;
            kind
        })
    }

    /// A string without escapes or control characters, at its opening
    /// quote; its content.
    fn string(&mut self) -> Option<&'a str> {
        let start = self.pos + 1;
        let rest = self.bytes.get(start..)?;
        let len = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest[len] != b'"' {
            return None;
        }
        self.pos = start + len + 1;
        self.text.get(start..start + len)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as written.
    fn number(&mut self) -> Option<&'a str> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.some_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.some_digits()?;
        }
        self.text.get(start..self.pos)
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.pos;
        self.digits();
        (self.pos > start).then_some(())
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        let mut elements = Vec::new();
        self.skip_whitespace();
        if self.peek()? == b']' {
            self.pos += 1;
        } else {
            loop {
                self.skip_whitespace();
                elements.push(self.value(depth + 1)?);
                self.skip_whitespace();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b']' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        Some(Value {
            span: Span::new(start, self.pos),
            kind: ValueKind::Array(elements),
        })
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek()? == b'}' {
            self.pos += 1;
        } else {
            loop {
                self.skip_whitespace();
                if self.peek()? != b'"' {
                    return None;
                }
                let key_start = self.pos;
                let key = self.string()?.to_owned();
                let key_span = Span::new(key_start, self.pos);
                self.skip_whitespace();
                if self.peek()? != b':' {
                    return None;
                }
                self.pos += 1;
                self.skip_whitespace();
                let value = self.value(depth + 1)?;
                members.push(Member {
                    key,
                    key_span,
                    value,
                });
                self.skip_whitespace();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        Some(Value {
            span: Span::new(start, self.pos),
            kind: ValueKind::Object(members),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_json_general;
    use super::*;

    /// The fast path gives what the general parser gives, or nothing.
    fn agrees(text: &str) -> bool {
        match parse(text) {
            Some(fast) => {
                assert_eq!(Some(fast), parse_json_general(text).ok(), "{text}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn same_tree_as_the_general_parser() {
        for text in [
            r#"{"a": [1, "x"], "a": true}"#,
            "  {\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"}]}\r\n",
            r#"[0, -0, 1.5, -12.25e+3, 4E-2, 1e9, 10, true, false, null, "", [], {}]"#,
            r#"{"ünï": "cødé ☃ 😀", "k": {"n": {"m": [[[]]]}}}"#,
            "\t[\n1 ,\n2\t]\n",
            "7",
            "\"text\"",
        ] {
            assert!(agrees(text), "the fast path should take {text}");
        }
    }

    #[test]
    fn gives_up_rather_than_differ() {
        for text in [
            r#"{"a": "x\"y"}"#,
            r#"{"a\u0041": 1}"#,
            "{\"a\": \"tab\there\"}",
            "{\"a\": 1,}",
            "[01]",
            "[1.]",
            "[.5]",
            "[1e]",
            "[+1]",
            "[-]",
            "[tru]",
            "[nul]",
            "{\"a\" 1}",
            "{a: 1}",
            "[1 2]",
            "{} {}",
            "",
            "   ",
            "\u{feff}{}",
            "{\"a\":\u{a0}1}",
            "[\"unterminated",
            "{\"a\": [}",
            "[1,",
        ] {
            assert!(!agrees(text), "the fast path should give up on {text:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(!agrees(&deep));
        let shallow = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(agrees(&shallow));
    }

    /// Every JSON file of the repository's examples and rule fixtures, valid
    /// or not: the fast path agrees or gives up.
    #[test]
    fn agrees_on_the_repository_examples() {
        fn walk(dir: &std::path::Path, texts: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, texts);
                } else if path.extension().is_some_and(|e| e == "json") {
                    texts.extend(std::fs::read_to_string(&path).ok());
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["policies", "rules", "tests/fixtures"] {
            walk(&root.join(dir), &mut texts);
        }
        assert!(texts.len() > 100, "{} files", texts.len());
        let taken = texts.iter().filter(|t| agrees(t)).count();
        assert!(taken * 2 > texts.len(), "{taken} of {}", texts.len());
    }
}
