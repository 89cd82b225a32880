//! The manifest of indexed files.
