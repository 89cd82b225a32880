//! NDJSON files of a set number of articles each: `bulk-000001.ndjson`, ...

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Writes lines into numbered files, `per_file` articles each.
pub struct Chunks {
    dir: PathBuf,
    prefix: &'static str,
    per_file: usize,
    in_file: usize,
    current: Option<(PathBuf, BufWriter<File>)>,
    files: Vec<String>,
    bytes: u64,
}

impl Chunks {
    pub fn new(dir: &Path, prefix: &'static str, per_file: usize) -> Chunks {
        Chunks {
            dir: dir.to_path_buf(),
            prefix,
            per_file,
            in_file: 0,
            current: None,
            files: Vec::new(),
            bytes: 0,
        }
    }

    /// Writes one article's lines (action and document for `_bulk`).
    pub fn write(&mut self, lines: &[u8]) -> anyhow::Result<()> {
        if self.in_file == self.per_file {
            self.close()?;
        }
        if self.current.is_none() {
            let name = format!("{}-{:06}.ndjson", self.prefix, self.files.len() + 1);
            let path = self.dir.join(&name);
            let file =
                File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
            self.current = Some((path, BufWriter::with_capacity(1 << 20, file)));
            self.files.push(name);
            self.in_file = 0;
        }
        let (path, out) = self.current.as_mut().expect("a file is open");
        out.write_all(lines)
            .with_context(|| format!("cannot write {}", path.display()))?;
        self.in_file += 1;
        self.bytes += lines.len() as u64;
        Ok(())
    }

    /// A file beside the chunks, loaded after them.
    pub fn extra(&mut self, name: &str, contents: &[u8]) -> anyhow::Result<()> {
        let path = self.dir.join(name);
        std::fs::write(&path, contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
        self.files.push(name.to_string());
        self.bytes += contents.len() as u64;
        Ok(())
    }

    fn close(&mut self) -> anyhow::Result<()> {
        if let Some((path, mut out)) = self.current.take() {
            out.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    }

    /// Flushes the last file; the names of all, in order.
    pub fn finish(&mut self) -> anyhow::Result<Vec<String>> {
        self.close()?;
        Ok(self.files.clone())
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_hold_the_set_number_of_articles() {
        let dir = tempfile::tempdir().unwrap();
        let mut chunks = Chunks::new(dir.path(), "bulk", 2);
        for n in 0..5 {
            chunks.write(format!("{{\"n\":{n}}}\n").as_bytes()).unwrap();
        }
        let files = chunks.finish().unwrap();
        assert_eq!(
            files,
            [
                "bulk-000001.ndjson",
                "bulk-000002.ndjson",
                "bulk-000003.ndjson"
            ]
        );
        let lines = |f: &str| {
            std::fs::read_to_string(dir.path().join(f))
                .unwrap()
                .lines()
                .count()
        };
        assert_eq!((lines(&files[0]), lines(&files[2])), (2, 1));
    }
}
