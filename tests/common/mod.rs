//! Shared helpers for the integration tests: the project's own content, loaded once.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use backbot::Engine;

/// The project root (holds intents/, responses/, faq/).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The engine over the project's content, loaded once per test binary.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| match Engine::load(&root()) {
        Ok(e) => e,
        Err(e) => panic!("the project's content does not load:\n{e}"),
    })
}

/// Copies the content folders into a fresh temporary directory, for tests that break them.
pub fn content_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for sub in ["intents", "responses", "faq"] {
        let from = root().join(sub);
        if !from.is_dir() {
            continue;
        }
        let to = dir.path().join(sub);
        std::fs::create_dir_all(&to).expect("mkdir");
        for entry in std::fs::read_dir(&from)
            .expect("read content dir")
            .flatten()
        {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
    dir
}

/// Path of a file inside a content copy.
pub fn file(dir: &Path, rel: &str) -> PathBuf {
    dir.join(rel)
}
