//! Source files and byte spans: every location rolecall reports starts here.

use std::fmt;
use std::sync::{Arc, OnceLock};

/// A half-open byte range `start..end` in a source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// Number of bytes covered.
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start.into(), span.len())
    }
}

/// A 1-based line and column; columns count Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A named text that spans point into: a file on disk, standard input, or a
/// document decoded from inside another file.
pub struct SourceFile {
    name: String,
    text: String,
    /// Byte offset of each line's start, computed on first use: most files
    /// have no finding and never need it.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// A source named `name` (the path as the user gave it, or `<stdin>`).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(Self {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        })
    }

    /// The name given at creation.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text under `span`, or `""` when the span is out of range.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// Line and column of a byte offset (clamped to the text, snapped back to a
    /// character boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_index = self.line_index(offset);
        let line_start = self.line_starts()[line_index];
        let column = self.text[line_start..offset].chars().count() + 1;
        LineCol {
            line: line_index + 1,
            column,
        }
    }
}

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The 0-based index of the line holding byte `offset` (clamped to the
    /// text).
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// How many lines the text has (an empty text has one, empty, line).
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// The bytes of 0-based line `index`, without its line break (clamped to
    /// the last line).
    pub fn line_span(&self, index: usize) -> Span {
        let line_starts = self.line_starts();
        let index = index.min(line_starts.len().saturating_sub(1));
        let start = line_starts.get(index).copied().unwrap_or(0);
        let end = match line_starts.get(index + 1) {
            Some(next) => next.saturating_sub(1),
            None => self.text.len(),
        };
        Span::new(start, end.max(start))
    }
}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceFile")
            .field("name", &self.name)
            .field("len", &self.text.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_characters() {
        let file = SourceFile::new("x", "ab\n\u{e9}cd\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        // 'c' follows a two-byte character.
        assert_eq!(file.line_col(5), LineCol { line: 2, column: 2 });
        // inside the two-byte character: snapped back
        assert_eq!(file.line_col(4), LineCol { line: 2, column: 1 });
        assert_eq!(file.line_col(100), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn lines_are_indexed_and_spanned_without_their_break() {
        let file = SourceFile::new("x", "ab\ncd\n");
        assert_eq!(file.line_count(), 3);
        assert_eq!(file.line_index(0), 0);
        assert_eq!(file.line_index(2), 0, "the line break belongs to its line");
        assert_eq!(file.line_index(3), 1);
        assert_eq!(file.line_index(99), 2);
        assert_eq!(file.line_span(0), Span::new(0, 2));
        assert_eq!(file.line_span(1), Span::new(3, 5));
        assert_eq!(file.line_span(2), Span::new(6, 6));
        assert_eq!(file.line_span(7), Span::new(6, 6));
        assert_eq!(SourceFile::new("e", "").line_span(0), Span::new(0, 0));
    }
}
