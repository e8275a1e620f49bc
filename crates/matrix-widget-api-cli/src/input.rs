//! Reading a trace: lines of bytes, with a length limit, from a file or standard input.
//!
//! A line ends at `\n` (a `\r` before it is dropped) or at the end of the input. Lines that
//! are empty or only whitespace are skipped, but counted: line numbers are those of the
//! input. A line longer than the limit is not kept whole: its first `limit` bytes are kept
//! (to recover its `requestId`) and the rest is read and dropped, so memory stays bounded.

use crate::Fatal;
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::PathBuf;

/// Where the trace comes from.
#[derive(Clone, Debug)]
pub(crate) enum Source {
    /// Standard input (`-`, or no file).
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Source {
    /// The source a `FILE` argument names: `-` or nothing is standard input.
    pub(crate) fn from_arg(file: Option<&std::path::Path>) -> Source {
        match file {
            Some(path) if path.as_os_str() != "-" => Source::File(path.to_path_buf()),
            _ => Source::Stdin,
        }
    }

    /// Opens the trace. Reading standard input from a terminal says so on standard error,
    /// so that a user who forgot the file name is not left waiting.
    pub(crate) fn open(&self, limit: usize) -> Result<Lines, Fatal> {
        let reader: Box<dyn BufRead> = match self {
            Source::Stdin => {
                if io::stdin().is_terminal() {
                    eprintln!("widget-api: reading JSON lines from standard input (end with Ctrl-D; --help shows the options)");
                }
                Box::new(io::stdin().lock())
            }
            Source::File(path) => {
                let file = File::open(path).map_err(|e| Fatal(format!("cannot read `{}`: {e}", path.display())))?;
                Box::new(BufReader::with_capacity(64 * 1024, file))
            }
        };
        Ok(Lines::new(reader, limit, self.name()))
    }

    fn name(&self) -> String {
        match self {
            Source::Stdin => "standard input".to_owned(),
            Source::File(path) => format!("`{}`", path.display()),
        }
    }
}

/// One non-blank input line.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    /// Its 1-based line number in the input.
    pub(crate) number: usize,
    /// What it holds.
    pub(crate) content: Content<'a>,
}

/// A line's bytes, or the start of a line that was too long.
#[derive(Debug)]
pub(crate) enum Content<'a> {
    /// The whole line, without its line break.
    Complete(&'a [u8]),
    /// A line longer than the limit: its length and its first `limit` bytes.
    TooLong {
        /// The line's length in bytes, without its line break.
        length: u64,
        /// Its first bytes.
        prefix: &'a [u8],
    },
}

/// The lines of a trace, read one at a time into one buffer.
pub(crate) struct Lines {
    reader: Box<dyn BufRead>,
    limit: usize,
    buffer: Vec<u8>,
    number: usize,
    name: String,
    /// Whether blank lines are returned too (`normalize` keeps every line).
    keep_blank: bool,
    /// Where the bytes of a too-long line go as they are read (`normalize` passes every
    /// line through): its whole text, then `\n`.
    overflow: Option<Box<dyn Write>>,
    /// Whether a NUL byte is just a byte of its line (the sessions: a bad line must not
    /// end the conversation) rather than the sign of binary input.
    nul_is_data: bool,
}

impl Lines {
    fn new(reader: Box<dyn BufRead>, limit: usize, name: String) -> Self {
        Lines { reader, limit, buffer: Vec::new(), number: 0, name, keep_blank: false, overflow: None, nul_is_data: false }
    }

    /// Returns blank lines too, as [`Content::Complete`] with their bytes.
    pub(crate) fn keep_blank(mut self) -> Self {
        self.keep_blank = true;
        self
    }

    /// Returns lines holding NUL bytes like any other (which then fail as JSON), instead
    /// of refusing the input as binary: for `host` and `widget`, whose sessions go on
    /// after a bad line.
    pub(crate) fn nul_is_data(mut self) -> Self {
        self.nul_is_data = true;
        self
    }

    /// Writes each too-long line whole to `sink` (followed by `\n`) while reading it, so
    /// that it is passed through without being held in memory. The line is still returned
    /// as [`Content::TooLong`].
    pub(crate) fn pass_overflow_to(mut self, sink: Box<dyn Write>) -> Self {
        self.overflow = Some(sink);
        self
    }

    /// The next non-blank line, or `None` at the end of the input.
    pub(crate) fn next_line(&mut self) -> Result<Option<Line<'_>>, Fatal> {
        loop {
            let Some(length) = self.read_one().map_err(|e| Fatal(format!("cannot read {}: {e}", self.name)))? else {
                return Ok(None);
            };
            self.number += 1;
            if self.number == 1 {
                self.check_start()?;
            }
            if !self.nul_is_data && self.buffer.contains(&0) {
                return Err(Fatal(format!(
                    "{} looks like binary input (a NUL byte on line {}): widget-api reads JSON lines, one UTF-8 message per line",
                    self.name, self.number
                )));
            }
            if !self.keep_blank && self.buffer.iter().all(u8::is_ascii_whitespace) && length <= self.limit as u64 {
                continue;
            }
            let content = if length > self.limit as u64 {
                let end = self.buffer.len().min(self.limit);
                Content::TooLong { length, prefix: self.buffer.get(..end).unwrap_or_default() }
            } else {
                Content::Complete(&self.buffer)
            };
            return Ok(Some(Line { number: self.number, content }));
        }
    }

    /// Looks at the start of the input: compressed or UTF-16 input is refused with a message
    /// that says what it is; a UTF-8 byte order mark is skipped, with a note on standard
    /// error (JSON text has none, and the first message would otherwise fail).
    fn check_start(&mut self) -> Result<(), Fatal> {
        let refuse = |what: &str| Err(Fatal(format!("{} is {what}: widget-api reads JSON lines, one UTF-8 message per line", self.name)));
        match self.buffer.get(..3) {
            Some([0x1f, 0x8b, _]) => return refuse("gzip-compressed (decompress it first, e.g. `zcat FILE | widget-api …`)"),
            Some([0xff, 0xfe, _] | [0xfe, 0xff, _]) => return refuse("UTF-16 text (a UTF-16 byte order mark)"),
            Some([0xef, 0xbb, 0xbf]) => {
                self.buffer.drain(..3);
                eprintln!("widget-api: note: {} starts with a UTF-8 byte order mark, which was skipped", self.name);
            }
            _ => {}
        }
        Ok(())
    }

    /// Reads one line into the buffer (at most `limit + 1` bytes of it, so that a `\r`
    /// before the `\n` can still be dropped) and returns its length without the line break;
    /// `None` at the end of the input.
    fn read_one(&mut self) -> io::Result<Option<u64>> {
        self.buffer.clear();
        let keep = self.limit.saturating_add(1);
        let mut length: u64 = 0;
        let mut read_any = false;
        let mut last = None;
        // With an overflow sink: whether this line's kept bytes were written to it.
        let mut spilled = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            read_any = true;
            let (chunk, used, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (available.get(..i).unwrap_or(available), i + 1, true),
                None => (available, available.len(), false),
            };
            let room = keep.saturating_sub(self.buffer.len());
            let (kept, rest) = chunk.split_at(chunk.len().min(room));
            self.buffer.extend_from_slice(kept);
            if let Some(sink) = self.overflow.as_mut()
                && !rest.is_empty()
            {
                if !spilled {
                    sink.write_all(&self.buffer)?;
                    spilled = true;
                }
                sink.write_all(rest)?;
            }
            length += chunk.len() as u64;
            last = chunk.last().copied().or(last);
            self.reader.consume(used);
            if done {
                break;
            }
        }
        if !read_any {
            return Ok(None);
        }
        if spilled && let Some(sink) = self.overflow.as_mut() {
            sink.write_all(b"\n")?;
            sink.flush()?;
        }
        // `\r\n` line breaks: the `\r` is not part of the line. The buffer holds it only when
        // it holds the whole line (at most `limit + 1` bytes).
        if last == Some(b'\r') {
            if length <= keep as u64 {
                self.buffer.pop();
            }
            length -= 1;
        }
        // A line of exactly `limit + 1` bytes is too long but fits the buffer: pass it now.
        if !spilled
            && length > self.limit as u64
            && let Some(sink) = self.overflow.as_mut()
        {
            sink.write_all(&self.buffer)?;
            sink.write_all(b"\n")?;
            sink.flush()?;
        }
        Ok(Some(length))
    }
}

/// One line of a session's input (`widget-api host`, `widget-api widget`): its members,
/// each kept as its JSON text, read only when asked for.
pub(crate) type Fields = std::collections::BTreeMap<String, Box<serde_json::value::RawValue>>;

/// Member `name` of a session's input line, as a `T`.
pub(crate) fn field<T: serde::de::DeserializeOwned>(fields: &Fields, name: &str) -> Result<T, String> {
    let raw = fields.get(name).ok_or_else(|| format!("`{name}` is missing"))?;
    serde_json::from_str(raw.get()).map_err(|e| format!("`{name}`: {e}"))
}

/// Member `name` of a session's input line, as a `T`, if present.
pub(crate) fn optional<T: serde::de::DeserializeOwned>(fields: &Fields, name: &str) -> Result<Option<T>, String> {
    match fields.get(name) {
        None => Ok(None),
        Some(_) => field(fields, name).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line's bytes, or a too-long line's length and start.
    type Read = Result<Vec<u8>, (u64, Vec<u8>)>;

    fn lines(input: &'static [u8], limit: usize) -> Vec<(usize, Read)> {
        // A tiny buffer, so that lines span several reads.
        let reader = BufReader::with_capacity(3, input);
        let mut lines = Lines::new(Box::new(reader), limit, "test input".to_owned());
        let mut out = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            let content = match line.content {
                Content::Complete(bytes) => Ok(bytes.to_vec()),
                Content::TooLong { length, prefix } => Err((length, prefix.to_vec())),
            };
            out.push((line.number, content));
        }
        out
    }

    #[test]
    fn blank_lines_are_skipped_and_counted() {
        let got = lines(b"a\n\n  \r\nbc\r\nd", 10);
        assert_eq!(got, vec![(1, Ok(b"a".to_vec())), (4, Ok(b"bc".to_vec())), (5, Ok(b"d".to_vec()))]);
    }

    #[test]
    fn a_final_line_break_is_no_extra_line() {
        assert_eq!(lines(b"a\n", 10), vec![(1, Ok(b"a".to_vec()))]);
        assert_eq!(lines(b"", 10), vec![]);
    }

    #[test]
    fn long_lines_keep_their_start_and_length() {
        let got = lines(b"12345\n123456\n1234567\r\nok", 6);
        assert_eq!(
            got,
            vec![(1, Ok(b"12345".to_vec())), (2, Ok(b"123456".to_vec())), (3, Err((7, b"123456".to_vec()))), (4, Ok(b"ok".to_vec()))]
        );
    }

    #[test]
    fn the_limit_does_not_count_the_line_break() {
        assert_eq!(lines(b"123456\r\n", 6), vec![(1, Ok(b"123456".to_vec()))]);
        assert_eq!(lines(b"1234567\r\n", 6), vec![(1, Err((7, b"123456".to_vec())))]);
    }

    #[test]
    fn a_long_blank_line_is_still_too_long() {
        assert_eq!(lines(b"        \nx", 4), vec![(1, Err((8, b"    ".to_vec()))), (2, Ok(b"x".to_vec()))]);
    }

    #[test]
    fn too_long_lines_can_be_passed_through_whole() {
        #[derive(Clone, Default)]
        struct Sink(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
        impl Write for Sink {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0.borrow_mut().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let sink = Sink::default();
        let reader = BufReader::with_capacity(3, &b"ok\n0123456789\r\n\n01234\nlast"[..]);
        let mut lines = Lines::new(Box::new(reader), 4, "test input".to_owned()).keep_blank().pass_overflow_to(Box::new(sink.clone()));
        let mut got = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            got.push(match line.content {
                Content::Complete(bytes) => (line.number, bytes.to_vec(), None),
                Content::TooLong { length, prefix } => (line.number, prefix.to_vec(), Some(length)),
            });
        }
        assert_eq!(
            got,
            vec![
                (1, b"ok".to_vec(), None),
                (2, b"0123".to_vec(), Some(10)),
                (3, Vec::new(), None),
                (4, b"0123".to_vec(), Some(5)),
                (5, b"last".to_vec(), None)
            ]
        );
        // Only the too-long lines went to the sink, whole, the first with its own `\r`.
        assert_eq!(*sink.0.borrow(), b"0123456789\r\n01234\n");
    }

    fn first_error(input: &'static [u8]) -> Option<String> {
        let mut lines = Lines::new(Box::new(BufReader::new(input)), 100, "`trace`".to_owned());
        loop {
            match lines.next_line() {
                Ok(Some(_)) => {}
                Ok(None) => return None,
                Err(Fatal(message)) => return Some(message),
            }
        }
    }

    #[test]
    fn binary_input_is_one_error_that_says_so() {
        let nul = first_error(b"{\"a\":1}\n\x7fELF\x02\x01\x00\x00\nmore\n").expect("refused");
        assert!(nul.contains("`trace` looks like binary input (a NUL byte on line 2)"), "{nul}");
        let gzip = first_error(b"\x1f\x8b\x08\x00rest").expect("refused");
        assert!(gzip.contains("gzip-compressed"), "{gzip}");
        let utf16 = first_error(b"\xff\xfe{\x00\"\x00").expect("refused");
        assert!(utf16.contains("UTF-16"), "{utf16}");
        assert_eq!(first_error(b"{}\n\xff\xfe\n"), None, "invalid UTF-8 after the start is a failed line, not binary input");
    }

    #[test]
    fn a_utf8_byte_order_mark_is_skipped() {
        assert_eq!(lines(b"\xef\xbb\xbf{}\n{}", 10), vec![(1, Ok(b"{}".to_vec())), (2, Ok(b"{}".to_vec()))]);
    }

    #[test]
    fn invalid_utf8_is_just_bytes() {
        assert_eq!(lines(b"\xff\xfe\n", 10), vec![(1, Ok(vec![0xff, 0xfe]))]);
    }
}
