//! Loading inputs into an [`Inventory`]: files, directories (recursed) and
//! standard input, each format recognised by content.

mod auth_details;
mod cloudformation;
mod credential_report;
mod detect;
mod intrinsics;
mod organization;
mod problem;
mod terraform;
mod yaml;

pub use problem::{LoadIssue, LoadProblem, Severity};

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::Inventory;
use crate::policy::{Origin, PolicyDocument, PolicyKind, build_policy};
use crate::source::{SourceFile, Span};
use crate::value::{Value, ValueKind};

/// One INPUT of the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    /// A file, or a directory to recurse.
    Path(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// Text already in memory, with the name findings should use.
    Text {
        /// The name.
        name: String,
        /// The content.
        text: String,
    },
}

impl InputSpec {
    /// `-` is standard input; anything else a path.
    pub fn from_arg(arg: &str) -> Self {
        if arg == "-" {
            Self::Stdin
        } else {
            Self::Path(PathBuf::from(arg))
        }
    }
}

/// What the inputs do not say themselves.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The account templates and plans deploy into (`--account-id`); when
    /// `None`, [`crate::inventory::PLACEHOLDER_ACCOUNT_ID`] stands for it.
    pub account_id: Option<String>,
    /// The region templates and plans deploy into (`AWS::Region`).
    pub region: Option<String>,
    /// The partition (`AWS::Partition`), `aws` unless told.
    pub partition: String,
    /// The kind of plain policy documents (`--kind`); inferred when `None`.
    pub kind: Option<PolicyKind>,
    /// Worker threads reading files; `0` uses the available cores.
    pub threads: usize,
    /// Skip snapshot directories met while recursing (see
    /// [`nested_snapshots`]); a snapshot directory given as an input is
    /// still read.
    pub separate_snapshots: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            account_id: None,
            region: None,
            partition: "aws".into(),
            kind: None,
            threads: 0,
            separate_snapshots: false,
        }
    }
}

impl LoadOptions {
    /// The account id templates deploy into, or the placeholder.
    pub fn account(&self) -> &str {
        self.account_id
            .as_deref()
            .unwrap_or(super::PLACEHOLDER_ACCOUNT_ID)
    }
}

/// The inventory and every problem met; a problem in one file never stops
/// the others.
#[derive(Debug, Default)]
pub struct LoadOutcome {
    /// What loaded.
    pub inventory: Inventory,
    /// Problems, in input order.
    pub problems: Vec<LoadProblem>,
    /// The manifests of the snapshot directories read, in input order.
    pub snapshots: Vec<SnapshotManifest>,
}

/// What a snapshot's `manifest.json` says about the fetch that wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotManifest {
    /// The manifest file.
    pub file: String,
    /// When the fetch started (ISO 8601), when given.
    pub created: Option<String>,
    /// The principal that fetched it, when given.
    pub fetched_by: Option<String>,
    /// The tool and version that wrote it, when given.
    pub tool: Option<String>,
}

impl LoadOutcome {
    /// Whether some file could not be loaded at all.
    pub fn has_fatal(&self) -> bool {
        self.problems
            .iter()
            .any(|p| p.severity() == Severity::Fatal)
    }
}

/// Loads every input; files are read and parsed on all cores, then merged
/// in input order (directories in name order), so the outcome is the same
/// from run to run.
pub fn load(inputs: &[InputSpec], options: &LoadOptions) -> LoadOutcome {
    let mut problems = Vec::new();
    let mut jobs = Vec::new();
    for input in inputs {
        match input {
            InputSpec::Path(path) => collect(path, true, None, options, &mut jobs, &mut problems),
            InputSpec::Stdin => jobs.push(Job::Stdin),
            InputSpec::Text { name, text } => jobs.push(Job::Text {
                name: name.clone(),
                text: text.clone(),
            }),
        }
    }
    let results = run_jobs(&jobs, options);
    let mut inventory = Inventory::default();
    let mut pages: Vec<Page> = Vec::new();
    let mut manifests: Vec<Manifest> = Vec::new();
    for result in results {
        problems.extend(result.problems);
        let file = result.file;
        for duplicate in inventory.absorb(result.inventory) {
            problems.push(LoadProblem {
                file: file.clone(),
                source: None,
                span: None,
                element: None,
                issue: LoadIssue::Duplicate(duplicate.arn),
            });
        }
        pages.extend(result.pages);
        manifests.extend(result.manifest);
    }
    inventory.finish();
    check_pages(&pages, &mut problems);
    for manifest in &manifests {
        for account in &manifest.accounts {
            if !pages
                .iter()
                .any(|p| &p.account == account || p.named.as_ref() == Some(account))
            {
                problems.push(LoadProblem {
                    file: manifest.file.clone(),
                    source: None,
                    span: None,
                    element: None,
                    issue: LoadIssue::MissingAccountFile(account.clone()),
                });
            }
        }
    }
    let snapshots = manifests.into_iter().map(|m| m.about).collect();
    LoadOutcome {
        inventory,
        problems,
        snapshots,
    }
}

/// The snapshot directories (folders holding `manifest.json`) strictly
/// below the given inputs. Each is an estate of its own: two snapshots of the
/// same accounts (a setup and a broken variant of it, yesterday's fetch and
/// today's) must be loaded apart, with [`LoadOptions::separate_snapshots`]
/// set on the load of the inputs themselves.
pub fn nested_snapshots(inputs: &[InputSpec]) -> Vec<PathBuf> {
    fn walk(dir: &Path, top: bool, found: &mut Vec<PathBuf>) {
        if !top && dir.join(SNAPSHOT_MANIFEST).is_file() {
            found.push(dir.to_path_buf());
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return; // reported by `load`
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect();
        dirs.sort();
        for child in dirs {
            walk(&child, false, found);
        }
    }
    let mut found = Vec::new();
    for input in inputs {
        if let InputSpec::Path(path) = input
            && path.is_dir()
        {
            walk(path, true, &mut found);
        }
    }
    found
}

/// The file that marks a snapshot directory.
const SNAPSHOT_MANIFEST: &str = "manifest.json";

/// A file to read.
enum Job {
    /// A file, and whether the user named it (rather than a directory holding it).
    File(PathBuf, bool),
    Stdin,
    Text {
        name: String,
        text: String,
    },
}

/// File extensions read when recursing a directory (a file named on the
/// command line is read whatever its name).
const DIRECTORY_EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template", "csv"];

/// Adds the jobs for `path`: the file itself, or the files below the
/// directory. `listed` is the entry's type as its directory listing gave
/// it, which saves asking the file system (a system call per file) unless
/// it is a symbolic link.
fn collect(
    path: &Path,
    named: bool,
    listed: Option<std::fs::FileType>,
    options: &LoadOptions,
    jobs: &mut Vec<Job>,
    problems: &mut Vec<LoadProblem>,
) {
    let kind = match listed.filter(|t| !t.is_symlink()) {
        Some(t) => t,
        None => match std::fs::metadata(path) {
            Ok(m) => m.file_type(),
            Err(e) => {
                problems.push(unreadable(path, &e));
                return;
            }
        },
    };
    if !kind.is_dir() && !kind.is_file() && !named {
        // A FIFO, socket or device met while recursing: reading it could
        // block forever or never end.
        problems.push(LoadProblem {
            file: path.display().to_string(),
            source: None,
            span: None,
            element: None,
            issue: LoadIssue::Skipped("not a regular file".into()),
        });
        return;
    }
    if !kind.is_dir() {
        // A FIFO, socket or device met while recursing is no policy file, and
        // reading it could block forever; a named one (`<(cmd)`) is read.
        let wanted = named
            || kind.is_file()
                && path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    DIRECTORY_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                });
        if wanted {
            jobs.push(Job::File(path.to_path_buf(), named));
        }
        return;
    }
    if !named && options.separate_snapshots && path.join(SNAPSHOT_MANIFEST).is_file() {
        return;
    }
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(unreadable(path, &e));
            return;
        }
    };
    // With their names: the paths share their parent, so they sort as their
    // names do, and comparing names skips `Path`'s component-wise
    // comparison (which dominated listing a directory of 10,000 files).
    let mut children: Vec<(std::ffi::OsString, PathBuf, Option<std::fs::FileType>)> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => {
                let name = entry.file_name();
                if !name.to_string_lossy().starts_with('.') {
                    children.push((name, entry.path(), entry.file_type().ok()));
                }
            }
            Err(e) => problems.push(unreadable(path, &e)),
        }
    }
    children.sort_unstable_by(|(a, ..), (b, ..)| a.cmp(b));
    for (_, child, listed) in children {
        collect(&child, false, listed, options, jobs, problems);
    }
}

/// Reads a whole file. Most policy files are small: reading up to
/// `SMALL` bytes first settles them without asking the file's size, which
/// `fs::read` does with a system call per file.
fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    const SMALL: usize = 16 * 1024;
    let mut file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(SMALL);
    (&mut file).take(SMALL as u64).read_to_end(&mut bytes)?;
    if bytes.len() == SMALL {
        let size = file.metadata().map_or(0, |m| m.len());
        bytes.reserve(usize::try_from(size).unwrap_or(0).saturating_sub(SMALL));
        file.read_to_end(&mut bytes)?;
    } else {
        bytes.shrink_to_fit();
    }
    Ok(bytes)
}

fn unreadable(path: &Path, error: &std::io::Error) -> LoadProblem {
    LoadProblem {
        file: path.display().to_string(),
        source: None,
        span: None,
        element: None,
        issue: LoadIssue::Unreadable(error.to_string().to_lowercase()),
    }
}

fn run_jobs(jobs: &[Job], options: &LoadOptions) -> Vec<FileResult> {
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
    .min(jobs.len())
    .max(1);
    if threads == 1 {
        return jobs.iter().map(|job| run_job(job, options)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, FileResult)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        out.push((i, run_job(job, options)));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// What one file yields.
struct FileResult {
    file: String,
    inventory: Inventory,
    problems: Vec<LoadProblem>,
    pages: Vec<Page>,
    manifest: Option<Manifest>,
}

/// One authorization-details page, for the cross-file truncation check.
#[derive(Debug, Clone)]
struct Page {
    account: String,
    named: Option<String>,
    truncated: bool,
    file: String,
    source: Arc<SourceFile>,
    span: Span,
}

/// The account list of a snapshot's `manifest.json`, and what it says of
/// the fetch.
#[derive(Debug, Clone)]
struct Manifest {
    file: String,
    accounts: Vec<String>,
    about: SnapshotManifest,
}

fn check_pages(pages: &[Page], problems: &mut Vec<LoadProblem>) {
    let mut complete: HashMap<&str, bool> = HashMap::new();
    for page in pages {
        *complete.entry(&page.account).or_default() |= !page.truncated;
    }
    for page in pages {
        if page.truncated && complete.get(page.account.as_str()) == Some(&false) {
            problems.push(LoadProblem {
                file: page.file.clone(),
                source: Some(page.source.clone()),
                span: Some(page.span),
                element: Some("IsTruncated".into()),
                issue: LoadIssue::TruncatedSnapshot(page.account.clone()),
            });
        }
    }
}

fn run_job(job: &Job, options: &LoadOptions) -> FileResult {
    let named = !matches!(job, Job::File(_, false));
    let (name, bytes) = match job {
        Job::File(path, _) => {
            let name = path.display().to_string();
            match read_file(path) {
                Ok(bytes) => (name, bytes),
                Err(e) => return FileResult::failed(name, unreadable(path, &e)),
            }
        }
        Job::Stdin => {
            let mut bytes = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
                return FileResult::failed("<stdin>".into(), unreadable(Path::new("<stdin>"), &e));
            }
            ("<stdin>".into(), bytes)
        }
        Job::Text { name, text } => (name.clone(), text.clone().into_bytes()),
    };
    let mut load = FileLoad::new(name, bytes, options, named);
    if let Ok(load) = load.as_mut() {
        detect::load_file(load);
    }
    match load {
        Ok(load) => load.into_result(),
        Err(failed) => failed,
    }
}

impl FileResult {
    fn failed(file: String, problem: LoadProblem) -> Self {
        Self {
            file,
            inventory: Inventory::default(),
            problems: vec![problem],
            pages: Vec::new(),
            manifest: None,
        }
    }
}

/// The state of loading one file: what it yields so far and its problems.
pub(crate) struct FileLoad<'o> {
    pub(crate) file: Arc<SourceFile>,
    pub(crate) options: &'o LoadOptions,
    /// Whether the user named the file (a file met while recursing a
    /// directory that is in no known format is skipped with a warning).
    pub(crate) named: bool,
    pub(crate) inventory: Inventory,
    problems: Vec<LoadProblem>,
    pages: Vec<Page>,
    manifest: Option<Manifest>,
}

/// Bytes looked at for NUL bytes to tell binary files.
const BINARY_SNIFF: usize = 8192;

impl<'o> FileLoad<'o> {
    /// Checks the bytes are text and makes the source file.
    #[allow(clippy::result_large_err)]
    fn new(
        name: String,
        bytes: Vec<u8>,
        options: &'o LoadOptions,
        named: bool,
    ) -> Result<Self, FileResult> {
        if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
            return Err(FileResult::failed(
                name.clone(),
                LoadProblem {
                    file: name,
                    source: None,
                    span: None,
                    element: None,
                    issue: LoadIssue::Binary,
                },
            ));
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                return Err(FileResult::failed(
                    name.clone(),
                    LoadProblem {
                        file: name.clone(),
                        source: Some(SourceFile::new(name, lossy)),
                        span: Some(Span::new(offset, offset + 1)),
                        element: None,
                        issue: LoadIssue::InvalidUtf8(offset),
                    },
                ));
            }
        };
        // A byte-order mark becomes spaces of the same length, keeping spans.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => format!("   {rest}"),
            None => text,
        };
        Ok(Self {
            file: SourceFile::new(name, text),
            options,
            named,
            inventory: Inventory::default(),
            problems: Vec::new(),
            pages: Vec::new(),
            manifest: None,
        })
    }

    fn into_result(mut self) -> FileResult {
        self.problems.sort_by_key(|p| p.span.map_or(0, |s| s.start));
        FileResult {
            file: self.file.name().to_owned(),
            inventory: self.inventory,
            problems: self.problems,
            pages: self.pages,
            manifest: self.manifest,
        }
    }

    /// The file's name.
    pub(crate) fn name(&self) -> &str {
        self.file.name()
    }

    /// Records a problem at `span` on `element`.
    pub(crate) fn problem(
        &mut self,
        span: Option<Span>,
        element: impl Into<String>,
        issue: LoadIssue,
    ) {
        let element = element.into();
        self.problems.push(LoadProblem {
            file: self.file.name().to_owned(),
            source: Some(self.file.clone()),
            span,
            element: (!element.is_empty()).then_some(element),
            issue,
        });
    }

    /// Records an authorization-details page of `account`.
    fn page(&mut self, account: &str, named: Option<&str>, truncated: bool, span: Span) {
        self.pages.push(Page {
            account: account.to_owned(),
            named: named.map(str::to_owned),
            truncated,
            file: self.file.name().to_owned(),
            source: self.file.clone(),
            span,
        });
    }

    /// A policy document from a value of the file: a JSON object (spans
    /// index the file), a string holding JSON (URL-encoded or not; spans
    /// index the decoded text and map back to the literal), or `None` with
    /// a problem for an unknown or undecodable value.
    pub(crate) fn document(
        &mut self,
        name: impl Into<String>,
        kind: PolicyKind,
        value: &Value,
        element: &str,
    ) -> Option<Arc<PolicyDocument>> {
        let name = name.into();
        match &value.kind {
            ValueKind::String(text) => {
                let decoded = if text.trim_start().starts_with('{') {
                    text.clone()
                } else {
                    match auth_details::percent_decode(text) {
                        Some(decoded) => decoded,
                        None => {
                            self.problem(
                                Some(value.span),
                                element,
                                LoadIssue::InvalidPolicy(
                                    "the URL-encoded text does not decode to UTF-8".into(),
                                ),
                            );
                            return None;
                        }
                    }
                };
                match PolicyDocument::from_embedded_text(
                    name,
                    Some(kind),
                    self.file.clone(),
                    value.span,
                    decoded,
                ) {
                    Ok(doc) => Some(Arc::new(doc)),
                    Err(e) => {
                        self.problem(
                            Some(value.span),
                            element,
                            LoadIssue::InvalidPolicy(e.message),
                        );
                        None
                    }
                }
            }
            ValueKind::Unknown(what) => {
                self.problem(
                    Some(value.span),
                    element,
                    LoadIssue::KnownAfterDeploy(format!("the {kind} policy ({what})")),
                );
                None
            }
            _ => Some(Arc::new(PolicyDocument {
                name,
                kind: Some(kind),
                origin: Origin::direct(self.file.clone()),
                parsed: build_policy(value),
            })),
        }
    }
}
