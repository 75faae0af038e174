//! Content errors that name the file, the line, the intent and the fix.

use std::fmt;
use std::path::PathBuf;

/// One problem found in the content files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// The file, relative to the content directory when possible.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The intent concerned, when there is one.
    pub intent: Option<String>,
    /// What is wrong.
    pub problem: String,
    /// What to do about it.
    pub fix: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(intent) = &self.intent {
            write!(f, "[{intent}] ")?;
        }
        write!(f, "{}", self.problem)?;
        if !self.fix.is_empty() {
            write!(f, "\n    fix: {}", self.fix)?;
        }
        Ok(())
    }
}

/// Every problem found while loading content; loading fails if there is any.
#[derive(Debug, Clone, thiserror::Error)]
pub struct ContentErrors(pub Vec<ContentError>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problem(s) in the content:", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "{e}")?;
        }
        Ok(())
    }
}
