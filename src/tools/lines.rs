//! Reads input line by line as bytes, so one line of invalid UTF-8 is reported
//! and skipped while the rest is still processed.

use std::io::BufRead;

/// The most bytes of one line that are kept; longer lines are cut there
/// (at a character boundary) rather than held in memory without bound.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// One input line: its text, or why it could not be read as text.
pub type Line = Result<String, String>;

/// Calls `each(line_number, line)` for every line of `input` (1-based).
/// Stops at the end of input or on a read error (returned).
pub fn for_each_line(
    mut input: impl BufRead,
    mut each: impl FnMut(usize, Line) -> bool,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        n += 1;
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        let line = match std::str::from_utf8(&buf) {
            Ok(s) => {
                let mut end = s.len().min(MAX_LINE_BYTES);
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                Ok(s[..end].to_string())
            }
            Err(e) => Err(format!(
                "line {n} is not valid UTF-8 (bad byte at offset {}); skipped",
                e.valid_up_to()
            )),
        };
        if !each(n, line) {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_reported_and_the_rest_read() {
        let input: &[u8] = b"one\r\n\xff\xfe bad\nthree";
        let mut got = Vec::new();
        for_each_line(input, |n, l| {
            got.push((n, l.is_ok()));
            true
        })
        .expect("reads");
        assert_eq!(got, vec![(1, true), (2, false), (3, true)]);
    }
}
