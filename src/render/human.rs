//! `--format human`: miette reports with the source snippet and a label on
//! the exact element.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, Severity, SourceCode, SourceSpan, SpanContents,
};

use crate::inventory::{LoadProblem, Severity as LoadSeverity};
use crate::lint::{Finding, FindingType, registry};
use crate::source::SourceFile;

/// Writes every finding as a report, then a one-line summary.
pub fn findings(out: &mut dyn Write, findings: &[Finding]) -> io::Result<()> {
    let handler = handler(super::use_color());
    for finding in findings {
        write!(out, "{}", render_finding(&handler, finding))?;
    }
    writeln!(out, "{}", summary(findings))
}

/// One finding as text, without colour: the form snapshot tests compare.
pub fn finding_plain(finding: &Finding) -> String {
    render_finding(&handler(false), finding)
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
    let diagnostic = LoadDiagnostic {
        problem,
        source: problem.source.as_deref().map(NamedFile),
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
        match &self.problem.element {
            Some(element) => write!(
                f,
                "{}: `{element}`: {}",
                self.problem.file, self.problem.issue
            ),
            None => write!(f, "{}: {}", self.problem.file, self.problem.issue),
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
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, span),
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

fn render_finding(handler: &GraphicalReportHandler, finding: &Finding) -> String {
    let mut text = String::new();
    let diagnostic = FindingDiagnostic {
        finding,
        source: NamedFile(&finding.file),
    };
    if handler.render_report(&mut text, &diagnostic).is_err() {
        text = format!("{}: {}\n", finding.rule, finding.message);
    }
    text
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
        match &self.finding.subject {
            Some(subject) if subject != self.finding.file.name() => {
                write!(f, "{} ({subject})", self.finding.message)
            }
            _ => f.write_str(&self.finding.message),
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
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
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
                let label = (!l.label.is_empty()).then(|| l.label.clone());
                if i == 0 {
                    LabeledSpan::new_primary_with_span(label, l.span)
                } else {
                    LabeledSpan::new_with_span(label, l.span)
                }
            },
        )))
    }
}

/// A source file as miette source code, named so reports show the path.
struct NamedFile<'a>(&'a SourceFile);

impl SourceCode for NamedFile<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .0
            .text()
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.0.name().to_owned(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}
