//! Renderers: each turns the same [`ScanResult`] into one output format. Renderers never decide anything about
//! findings; they only present them.
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod json;
pub mod text;

pub use palisade_core::ScanResult;

/// Gives renderers the text of a source line, for snippets. The CLI implements it over the scanned files.
pub trait SourceLines {
    /// Line `line` (1-based) of `file`, without its line ending, when available.
    fn line(&self, file: &str, line: u32) -> Option<String>;
}

/// A source provider that has no sources (snippets are left out).
pub struct NoSources;

impl SourceLines for NoSources {
    fn line(&self, _file: &str, _line: u32) -> Option<String> {
        None
    }
}
