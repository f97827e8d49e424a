//! Writes the lint bench's corpus (`benches/common/corpus.rs`) to a
//! directory, one `policy-NNNNN.json` per document, for timing `rolecall
//! lint DIR` and for linting the same policies with Parliament:
//! `lint_corpus DIR [COUNT]` (2,000 documents unless told).
#![expect(clippy::print_stdout, reason = "an example tool reports what it wrote")]

#[path = "../benches/common/corpus.rs"]
mod corpus;

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: lint_corpus DIR [COUNT]")?);
    let count = args.next().map_or(Ok(2_000), |n| n.parse())?;
    std::fs::create_dir_all(&dir)?;
    let mut bytes = 0;
    for (i, doc) in corpus::corpus(count).iter().enumerate() {
        std::fs::write(dir.join(format!("policy-{i:05}.json")), doc)?;
        bytes += doc.len();
    }
    println!("{count} documents, {bytes} bytes in {}", dir.display());
    Ok(())
}
