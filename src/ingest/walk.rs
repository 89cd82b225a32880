//! Walks the archive.
