//! Input paths: files, directories (recursed) and `-` for standard input,
//! read into [`SourceFile`]s. Shared by every command that takes INPUTs.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::{SourceFile, Span};
use crate::value::JsonSyntaxError;

/// The name standard input goes by in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// One input to read: a path, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPath {
    /// A file found on disk (given, or found by recursing a directory).
    File(PathBuf),
    /// `-`.
    Stdin,
}

impl InputPath {
    /// How the input is named in findings: the path as given, or `<stdin>`.
    pub fn display_name(&self) -> String {
        match self {
            Self::File(p) => p.display().to_string(),
            Self::Stdin => STDIN_NAME.to_owned(),
        }
    }
}

/// An input that could not be read at all: a run-level input error.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    /// The path does not exist.
    #[error("`{0}` does not exist")]
    #[diagnostic(code(rolecall::input::missing))]
    Missing(String),
    /// Reading failed (permissions, a directory that cannot be listed, …).
    #[error("cannot read `{path}`: {source}")]
    #[diagnostic(code(rolecall::input::read))]
    Read {
        /// The path.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// A file's text, or — when its bytes are not UTF-8 — the text up to the
/// first bad byte and a syntax error pointing there (binary files land here).
pub struct ReadFile {
    /// The file (always present, so findings can name it).
    pub file: Arc<SourceFile>,
    /// Set when the bytes are not UTF-8.
    pub encoding_error: Option<JsonSyntaxError>,
}

/// Expands the command line's INPUTs: files as given, directories recursed
/// (sorted, keeping files whose name `keep` accepts), `-` as standard input.
/// Paths that cannot be listed are returned as errors beside the rest.
pub fn expand(
    inputs: &[String],
    keep: impl Fn(&Path) -> bool,
) -> (Vec<InputPath>, Vec<InputError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input == "-" {
            found.push(InputPath::Stdin);
            continue;
        }
        let path = PathBuf::from(input);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, &keep, &mut found, &mut errors),
            Ok(_) => found.push(InputPath::File(path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                errors.push(InputError::Missing(input.clone()))
            }
            Err(source) => errors.push(InputError::Read {
                path: input.clone(),
                source,
            }),
        }
    }
    (found, errors)
}

fn walk(
    dir: &Path,
    keep: &impl Fn(&Path) -> bool,
    found: &mut Vec<InputPath>,
    errors: &mut Vec<InputError>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            errors.push(InputError::Read {
                path: dir.display().to_string(),
                source,
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        // Follows links to files; a link to a directory is not followed, so
        // cycles cannot loop.
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir {
            walk(&path, keep, found, errors);
        } else if keep(&path) {
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_file() => found.push(InputPath::File(path)),
                // FIFOs, sockets, devices: reading could block; not policies.
                Ok(_) => {}
                // A dangling link or a link loop: a file that cannot be read.
                Err(source) => errors.push(InputError::Read {
                    path: path.display().to_string(),
                    source,
                }),
            }
        }
    }
}

/// Reads one input.
pub fn read(input: &InputPath) -> Result<ReadFile, InputError> {
    let name = input.display_name();
    let bytes = match input {
        InputPath::File(path) => std::fs::read(path),
        InputPath::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map(|_| buf)
        }
    }
    .map_err(|source| InputError::Read {
        path: name.clone(),
        source,
    })?;
    Ok(from_bytes(name, bytes))
}

/// Makes a [`ReadFile`] from bytes already in memory.
pub fn from_bytes(name: String, bytes: Vec<u8>) -> ReadFile {
    match String::from_utf8(bytes) {
        Ok(text) => ReadFile {
            file: SourceFile::new(name, text),
            encoding_error: None,
        },
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            bytes.truncate(offset);
            let text = String::from_utf8(bytes).unwrap_or_default();
            ReadFile {
                file: SourceFile::new(name, text),
                encoding_error: Some(JsonSyntaxError {
                    message: format!("the file is not UTF-8 text: invalid byte at offset {offset}"),
                    span: Span::new(offset, offset),
                }),
            }
        }
    }
}

/// Whether a path names a JSON file (by extension, case-insensitive).
pub fn is_json(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_keeps_the_valid_prefix_and_points_at_the_bad_byte() {
        let read = from_bytes("x".into(), b"{\"a\": \xff}".to_vec());
        assert_eq!(read.file.text(), "{\"a\": ");
        let err = read.encoding_error.unwrap();
        assert_eq!(err.span, Span::new(6, 6));
        assert!(err.message.contains("offset 6"));
    }

    #[test]
    fn directories_are_recursed_in_order_and_filtered() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.json"), "{}").unwrap();
        std::fs::write(dir.path().join("a.txt"), "").unwrap();
        std::fs::write(dir.path().join("sub/c.JSON"), "{}").unwrap();
        let (found, errors) = expand(
            &[dir.path().display().to_string(), "/nonexistent/x".into()],
            is_json,
        );
        assert_eq!(found.len(), 2);
        assert!(matches!(&found[1], InputPath::File(p) if p.ends_with("sub/c.JSON")));
        assert!(matches!(&errors[..], [InputError::Missing(p)] if p == "/nonexistent/x"));
    }

    #[cfg(unix)]
    #[test]
    fn links_that_cannot_be_followed_are_errors_and_special_files_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling.json"))
            .unwrap();
        std::os::unix::fs::symlink(dir.path().join("loop.json"), dir.path().join("loop.json"))
            .unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("ignored.txt"))
            .unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(dir.path().join("fifo.json"))
            .status();
        std::fs::write(dir.path().join("ok.json"), "{}").unwrap();
        let (found, errors) = expand(&[dir.path().display().to_string()], is_json);
        assert_eq!(found.len(), 1, "{found:?}");
        let names: Vec<String> = errors
            .iter()
            .map(|e| match e {
                InputError::Read { path, .. } => path.rsplit('/').next().unwrap().to_owned(),
                InputError::Missing(p) => p.clone(),
            })
            .collect();
        assert_eq!(names, ["dangling.json", "loop.json"], "fifo made: {fifo:?}");
    }
}
