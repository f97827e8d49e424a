//! `--format human`: miette reports with the source snippet and a label on
//! the exact element.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, Severity, SourceCode, SourceSpan, SpanContents,
};

use crate::inventory::{LoadProblem, Severity as LoadSeverity};
use crate::lint::{Finding, FindingType, registry};
use crate::source::{SourceFile, Span};

/// Writes every finding as a report, then a one-line summary.
pub fn findings(out: &mut dyn Write, findings: &[Finding]) -> io::Result<()> {
    // Rendering is most of the time of a run with many findings (a whole
    // estate): batches are rendered on every core and written in order.
    const BATCH: usize = 2048;
    let color = super::use_color();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    for batch in findings.chunks(BATCH * threads) {
        let parts: Vec<io::Result<String>> = std::thread::scope(|scope| {
            let workers: Vec<_> = batch
                .chunks(BATCH)
                .map(|chunk| scope.spawn(move || render_all(&handler(color), chunk)))
                .collect();
            workers
                .into_iter()
                .map(|w| {
                    w.join()
                        .map_err(|_| io::Error::other("rendering a finding failed"))
                })
                .collect()
        });
        for part in parts {
            out.write_all(part?.as_bytes())?;
        }
    }
    writeln!(out, "{}", summary(findings))
}

/// Findings one after another.
fn render_all(handler: &GraphicalReportHandler, findings: &[Finding]) -> String {
    let mut out = String::new();
    // Findings come sorted by file: mask each file's text once.
    let mut masked: Option<(&SourceFile, Cow<'_, str>)> = None;
    for finding in findings {
        let file: &SourceFile = &finding.file;
        let text = match &masked {
            Some((f, text)) if std::ptr::eq(*f, file) => text,
            _ => &masked.insert((file, mask_controls(file.text()))).1,
        };
        out.push_str(&render_finding(handler, finding, text));
    }
    out
}

/// One finding as text, without colour: the form snapshot tests compare.
pub fn finding_plain(finding: &Finding) -> String {
    render_finding(
        &handler(false),
        finding,
        &mask_controls(finding.file.text()),
    )
}

/// "3 findings: 1 error, 2 warnings" / "no findings".
pub fn summary(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "no findings".into();
    }
    let parts: Vec<String> = FindingType::ALL
        .iter()
        .filter_map(|t| {
            let n = findings.iter().filter(|f| f.finding_type == *t).count();
            (n > 0).then(|| format!("{n} {}{}", t.name(), if n == 1 { "" } else { "s" }))
        })
        .collect();
    let n = findings.len();
    format!(
        "{n} finding{}: {}",
        if n == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

/// Prints a run-level error (unreadable input, …) to standard error.
pub fn error(error: &(dyn Diagnostic + Send + Sync)) {
    let mut text = String::new();
    let handler = handler(
        std::io::IsTerminal::is_terminal(&std::io::stderr())
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    );
    if handler.render_report(&mut text, error).is_err() {
        text = error.to_string();
    }
    #[expect(clippy::print_stderr, reason = "render is where output happens")]
    {
        eprint!("{text}");
    }
}

/// Prints a problem met while loading inputs (an unreadable file, an
/// unresolved template reference, …) to standard error, with a snippet
/// where it has a position.
pub fn load_problem(problem: &LoadProblem) {
    let masked = problem
        .source
        .as_deref()
        .map(|file| (file, mask_controls(file.text())));
    let diagnostic = LoadDiagnostic {
        problem,
        source: masked.as_ref().map(|(file, text)| NamedFile {
            file,
            text,
            name: printable(file.name()).into_owned(),
        }),
    };
    error(&diagnostic);
}

/// A load problem seen as a miette diagnostic.
struct LoadDiagnostic<'a> {
    problem: &'a LoadProblem,
    source: Option<NamedFile<'a>>,
}

impl fmt::Debug for LoadDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.problem, f)
    }
}

impl fmt::Display for LoadDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = printable(&self.problem.file);
        let issue = self.problem.issue.to_string();
        let issue = printable(&issue);
        match &self.problem.element {
            Some(element) => write!(f, "{file}: `{}`: {issue}", printable(element)),
            None => write!(f, "{file}: {issue}"),
        }
    }
}

impl std::error::Error for LoadDiagnostic<'_> {}

impl Diagnostic for LoadDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("rolecall::input"))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.problem.severity() {
            LoadSeverity::Fatal => Severity::Error,
            LoadSeverity::Warning => Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.problem.issue.help()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.problem.span?;
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.problem.span?;
        let source = self.source.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, source.clip(span)),
        )))
    }
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
}

/// Control characters in a file's text replaced by `?` (byte for byte, so
/// spans still index it): a snippet of a hostile file cannot send escape
/// sequences to the terminal. Line breaks and tabs stay.
fn mask_controls(text: &str) -> Cow<'_, str> {
    let is_masked = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    if !text.chars().any(is_masked) {
        return Cow::Borrowed(text);
    }
    let mut masked = String::with_capacity(text.len());
    for c in text.chars() {
        if is_masked(c) {
            masked.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            masked.push(c);
        }
    }
    Cow::Owned(masked)
}

/// Messages longer than this (in characters) are cut: they quote keys and
/// values from the file, which may be megabytes long.
const MAX_TEXT: usize = 1_000;

/// User text (messages quote keys and values from the file) with control
/// characters escaped, cut to [`MAX_TEXT`] characters.
fn printable(text: &str) -> Cow<'_, str> {
    let long = text.len() > MAX_TEXT && text.chars().nth(MAX_TEXT).is_some();
    if !long && !text.chars().any(|c| c.is_control() && c != '\n') {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    for c in text.chars().take(MAX_TEXT) {
        match c {
            '\n' => out.push('\n'),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    if long {
        out.push_str("… (cut)");
    }
    Cow::Owned(out)
}

fn render_finding(handler: &GraphicalReportHandler, finding: &Finding, text: &str) -> String {
    let mut out = String::new();
    let diagnostic = FindingDiagnostic {
        finding,
        source: NamedFile {
            file: &finding.file,
            text,
            name: printable(finding.file.name()).into_owned(),
        },
    };
    if handler.render_report(&mut out, &diagnostic).is_err() {
        out = format!("{}: {}\n", finding.rule, printable(&finding.message));
    }
    out
}

/// A finding seen as a miette diagnostic.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: NamedFile<'a>,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = printable(&self.finding.message);
        match &self.finding.subject {
            Some(subject) if subject != self.finding.file.name() => {
                write!(f, "{message} ({})", printable(subject))
            }
            _ => f.write_str(&message),
        }
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{}[{}]",
            self.finding.finding_type, self.finding.rule
        )))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.finding.finding_type {
            FindingType::Error | FindingType::Security => Severity::Error,
            FindingType::Warning => Severity::Warning,
            FindingType::Suggestion => Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(printable(h)) as Box<dyn fmt::Display>)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        registry::find(self.finding.rule)
            .map(|r| Box::new(r.meta().help_uri()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        (!self.finding.locations.is_empty()).then_some(&self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.finding.locations.is_empty() {
            return None;
        }
        Some(Box::new(self.finding.locations.iter().enumerate().map(
            |(i, l)| {
                let label = (!l.label.is_empty()).then(|| printable(&l.label).into_owned());
                let span = self.source.clip(l.span);
                if i == 0 {
                    LabeledSpan::new_primary_with_span(label, span)
                } else {
                    LabeledSpan::new_with_span(label, span)
                }
            },
        )))
    }
}

/// Lines longer than this (in bytes) are shown as a window around the label,
/// so a minified or generated file never floods the terminal, and no line
/// reaches the widths miette cannot format.
const LONG_LINE: usize = 300;
/// Bytes of a long line shown before a label's start.
const WINDOW_BEFORE: usize = 60;
/// Bytes of a long line shown in all.
const WINDOW: usize = 200;
/// A label covering more lines than this is shortened to its first line.
const MAX_LABEL_LINES: usize = 30;
/// At most this many lines between two labels' snippets still show them as
/// one snippet, with the lines between; farther ones get snippets of their
/// own.
const JOIN_LINES: usize = 12;

/// A source file as miette source code, named so reports show the path.
/// Spans are read with the file's line index (not by rescanning the text),
/// and long lines are cut to a window around the label.
struct NamedFile<'a> {
    file: &'a SourceFile,
    /// The file's text with control characters masked.
    text: &'a str,
    /// The file's name, printable.
    name: String,
}

impl NamedFile<'_> {
    fn is_long(&self, line: usize) -> bool {
        self.file.line_span(line).len() > LONG_LINE
    }

    /// The part of a long line shown for a label starting at `offset`.
    fn window(&self, offset: usize) -> Span {
        let text = self.text;
        let line = self.file.line_span(self.file.line_index(offset));
        let start = floor_char_boundary(text, offset.saturating_sub(WINDOW_BEFORE).max(line.start));
        let end = ceil_char_boundary(text, (start + WINDOW).min(line.end));
        Span::new(start, end)
    }

    /// A label's span as shown: within the text, at most [`MAX_LABEL_LINES`]
    /// lines, and inside the window when it starts on a long line.
    fn clip(&self, span: Span) -> Span {
        let len = self.text.len();
        let start = span.start.min(len);
        let mut end = span.end.clamp(start, len);
        let first = self.file.line_index(start);
        let last = self.file.line_index(end.saturating_sub(1).max(start));
        if last - first >= MAX_LABEL_LINES || (first..=last).any(|l| self.is_long(l)) {
            end = end.min(self.file.line_span(first).end).max(start);
        }
        if self.is_long(first) {
            end = end.min(self.window(start).end).max(start);
        }
        Span::new(start, end)
    }

    fn column_of(&self, offset: usize) -> usize {
        let line = self.file.line_span(self.file.line_index(offset));
        self.text
            .get(line.start..offset)
            .unwrap_or("")
            .chars()
            .count()
    }
}

impl SourceCode for NamedFile<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = self.file;
        let len = self.text.len();
        let start = span.offset().min(len);
        let end = (span.offset() + span.len()).clamp(start, len);
        let first = file.line_index(start);
        let last = file.line_index(end.saturating_sub(1).max(start));
        let (data, line, column, lines) = if (first..=last).any(|l| self.is_long(l)) {
            // Only a span on one long line can be shown, as its window.
            let window = self.window(start);
            if first != last || end > window.end {
                return Err(MietteError::OutOfBounds);
            }
            (window, first, self.column_of(start), 1)
        } else {
            // Context lines, except long ones.
            let mut from = first;
            while first - from < context_lines_before && from > 0 && !self.is_long(from - 1) {
                from -= 1;
            }
            let mut to = last;
            while to - last < context_lines_after
                && to + 1 < file.line_count()
                && !self.is_long(to + 1)
            {
                to += 1;
            }
            let data_end = if to + 1 < file.line_count() {
                file.line_span(to + 1).start
            } else {
                len
            };
            if context_lines_before == 0 {
                (
                    Span::new(start, data_end),
                    first,
                    self.column_of(start),
                    to - first + 1,
                )
            } else {
                (
                    Span::new(file.line_span(from).start, data_end),
                    from,
                    0,
                    to - from + 1,
                )
            }
        };
        // miette shows two labels in one snippet when the first one's
        // `line + line_count` reaches the second one's first line. Its own
        // sources count every line from the top of the file, so labels far
        // down a file always joined, with everything between; the count is
        // kept for labels near each other and capped beyond.
        let joins = (line + lines).min(lines + JOIN_LINES);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.get(data.start..data.end).unwrap_or("").as_bytes(),
            data.into(),
            line,
            column,
            joins,
        )))
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Location;

    fn finding(text: &str, span: Span, message: &str) -> Finding {
        Finding {
            rule: "json-syntax",
            finding_type: FindingType::Error,
            message: message.into(),
            help: None,
            file: SourceFile::new("f.json", text),
            locations: vec![Location {
                span,
                path: String::new(),
                label: "here".into(),
            }],
            subject: None,
            sid: None,
        }
    }

    #[test]
    fn a_label_on_a_huge_line_shows_a_window_around_it() {
        // One 1 MB line: miette alone would print all of it, and panics on
        // widths beyond u16.
        let text = format!("[{}1,]", "1, ".repeat(350_000));
        let at = text.len() - 1;
        let out = finding_plain(&finding(&text, Span::new(at, at + 1), "trailing comma"));
        assert!(out.len() < 2_000, "{} bytes", out.len());
        assert!(out.contains(&format!("[f.json:1:{}]", at + 1)), "{out}");
        assert!(out.contains("1,]"), "{out}");
    }

    #[test]
    fn a_label_over_many_lines_is_cut_to_its_first_line() {
        let text = format!("{{\n{}}}\n", "  \"a\": 1,\n".repeat(10_000));
        let out = finding_plain(&finding(&text, Span::new(0, text.len() - 1), "big"));
        assert!(out.lines().count() < 20, "{out}");
        assert!(out.contains("[f.json:1:1]"), "{out}");
    }

    #[test]
    fn a_long_line_next_to_the_label_is_left_out_of_the_context() {
        let text = format!("{{\n\"a\": [{}],\n\"b\": 1\n}}", "1,".repeat(100_000) + "1");
        let at = text.find("\"b\"").unwrap();
        let out = finding_plain(&finding(&text, Span::new(at, at + 3), "b"));
        assert!(out.len() < 1_000, "{out}");
        assert!(out.contains("3 │ \"b\": 1"), "{out}");
    }

    #[test]
    fn labels_far_apart_get_snippets_of_their_own() {
        let text = "\"x\",\n".repeat(2_000);
        let mut f = finding(&text, Span::new(1_500 * 5, 1_500 * 5 + 3), "two places");
        f.locations.push(Location {
            span: Span::new(1_900 * 5, 1_900 * 5 + 3),
            path: String::new(),
            label: "and here".into(),
        });
        let out = finding_plain(&f);
        assert!(out.lines().count() < 30, "{out}");
        assert!(out.contains("1501 │") && out.contains("1901 │"), "{out}");
    }

    #[test]
    fn megabyte_messages_are_cut() {
        let key = "A".repeat(1_000_000);
        let text = format!("{{\"{key}\": 1}}");
        let out = finding_plain(&finding(
            &text,
            Span::new(1, 3),
            &format!("unknown `{key}`"),
        ));
        assert!(out.len() < 4_000, "{} bytes", out.len());
        assert!(out.contains("… (cut)"), "{out}");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let text = "{\"\u{1b}[2J\": 1,}";
        let out = finding_plain(&finding(text, Span::new(14, 15), "key `\u{1b}[2J` \u{7}"));
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("\\u{1b}[2J"), "{out}");
        assert!(out.contains("{\"?[2J\": 1,}"), "{out}");
    }
}
