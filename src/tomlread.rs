//! Reading TOML documents (site.toml, front matter, day files) into typed structs, turning
//! every problem into a positioned [`Diagnostic`]: syntax errors, wrong types and unknown
//! keys, the last with the nearest known key as a hint.

use std::path::Path;

use serde::de::{DeserializeOwned, IntoDeserializer};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, LineIndex, nearest};

/// Where a TOML text lives: its file, the file's whole text and the text's byte offset in it.
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    pub file: &'a Path,
    pub source: &'a str,
    pub offset: usize,
    /// The lines of `source`, indexed once per file.
    pub lines: &'a LineIndex,
}

impl Origin<'_> {
    /// A diagnostic pointing at `span`, a range in the TOML text.
    pub fn error(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> Diagnostic {
        let span = span.start + self.offset..span.end + self.offset;
        Diagnostic::error(self.file, message).at_indexed(self.source, self.lines, span)
    }

    /// The 1-based line of `offset`, a position in the TOML text.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset + self.offset)
    }

    fn convert(&self, err: &toml::de::Error) -> Diagnostic {
        let message = err.message().trim().replace('\n', " ");
        match err.span() {
            Some(span) => self.error(span, message),
            None => Diagnostic::error(self.file, message),
        }
    }
}

/// Parses `text` into a spanned table, or the syntax errors it has.
pub fn parse<'i>(text: &'i str, origin: Origin<'_>) -> Result<Spanned<DeTable<'i>>, Vec<Diagnostic>> {
    let (table, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() { Ok(table) } else { Err(errors.iter().map(|e| origin.convert(e)).collect()) }
}

/// Reports every key of `table` that is not in `known`, with the nearest known spelling.
pub fn unknown_keys(table: &DeTable<'_>, known: &[&str], what: &str, origin: Origin<'_>) -> Vec<Diagnostic> {
    table
        .keys()
        .filter(|k| !known.contains(&k.get_ref().as_ref()))
        .map(|k| {
            let name = k.get_ref().as_ref();
            let d = origin.error(k.span(), format!("unknown field `{name}` in {what}"));
            match nearest(name, known) {
                Some(near) => d.with_hint(format!("did you mean `{near}`?")),
                None => d.with_hint(format!("known fields are: {}", known.join(", "))),
            }
        })
        .collect()
}

/// Deserializes a spanned table into `T`, after checking its keys against `known`.
pub fn deserialize<T: DeserializeOwned>(
    table: Spanned<DeTable<'_>>,
    known: &[&str],
    what: &str,
    origin: Origin<'_>,
) -> Result<T, Vec<Diagnostic>> {
    let unknown = unknown_keys(table.get_ref(), known, what, origin);
    if !unknown.is_empty() {
        return Err(unknown);
    }
    T::deserialize(table.into_deserializer()).map_err(|e| vec![origin.convert(&e)])
}

/// Deserializes one spanned value (such as an entry of an array of tables) into `T`.
pub fn deserialize_value<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    known: &[&str],
    what: &str,
    origin: Origin<'_>,
) -> Result<T, Vec<Diagnostic>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Table(table) => deserialize(Spanned::new(span, table), known, what, origin),
        _ => Err(vec![origin.error(span, format!("expected a table for {what}"))]),
    }
}
