//! End-to-end tests: run the real `newsdex` binary on real files.
