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

/// Runs the `backbot` binary from the project root with `args`, `stdin` and
/// extra environment variables: (exit code, stdout, stderr).
pub fn backbot(args: &[&str], stdin: &[u8], env: &[(&str, &Path)]) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_backbot"));
    cmd.args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("backbot runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    let out = child.wait_with_output().expect("backbot exits");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
