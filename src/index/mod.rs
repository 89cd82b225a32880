//! The Tantivy index: schema, writer, reader.
