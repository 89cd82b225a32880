//! Readers of the input formats, one module each.

pub mod html;
