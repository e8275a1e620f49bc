//! Writing records: one JSON object per line, or (`--pretty`) a table.
//!
//! The table streams: its column widths come from the first [`SAMPLE_ROWS`] rows, each
//! capped at [`MAX_WIDTH`] characters (a longer cell is cut with `…`; the last column is
//! never cut), and every later row is printed as it comes. Memory stays bounded whatever
//! the input's length.

use crate::Fatal;
use serde::Serialize;
use std::io::{self, Write};

/// One output record: a JSON object, and a row of the `--pretty` table.
pub(crate) trait Record: Serialize {
    /// The table's column headers.
    const COLUMNS: &'static [&'static str];
    /// The row, one cell per column.
    fn cells(&self) -> Vec<String>;
}

/// How many rows set the table's column widths before anything is printed.
const SAMPLE_ROWS: usize = 64;
/// The widest a column other than the last may be, in characters.
const MAX_WIDTH: usize = 80;

/// Where records go.
pub(crate) struct Output {
    out: Box<dyn Write>,
    pretty: bool,
    /// With `--pretty`: the rows held until the widths are known (at most [`SAMPLE_ROWS`]).
    rows: Vec<Vec<String>>,
    /// With `--pretty`: the column widths, once the header is printed.
    widths: Option<Vec<usize>>,
    /// The reader went away (`widget-api check … | head`): stop quietly.
    closed: bool,
}

impl Output {
    /// Records to standard output (line-buffered, so a live trace shows up line by line).
    pub(crate) fn stdout(pretty: bool) -> Self {
        Output::new(Box::new(io::stdout()), pretty)
    }

    fn new(out: Box<dyn Write>, pretty: bool) -> Self {
        Output { out, pretty, rows: Vec::new(), widths: None, closed: false }
    }

    /// Whether the output was closed by its reader; nothing more is written then.
    pub(crate) fn is_closed(&self) -> bool {
        self.closed
    }

    /// Writes one record (or keeps its row for the table).
    pub(crate) fn emit<R: Record>(&mut self, record: &R) -> Result<(), Fatal> {
        if self.closed {
            return Ok(());
        }
        if self.pretty {
            let row = record.cells();
            let text = match &self.widths {
                Some(widths) => render_row(widths, &row),
                None => {
                    self.rows.push(row);
                    if self.rows.len() < SAMPLE_ROWS {
                        return Ok(());
                    }
                    self.start_table(R::COLUMNS)
                }
            };
            let written = self.out.write_all(text.as_bytes());
            return self.check(written);
        }
        let mut line = serde_json::to_vec(record).map_err(|e| Fatal(format!("cannot write a record: {e}")))?;
        line.push(b'\n');
        let written = self.out.write_all(&line);
        self.check(written)
    }

    /// Whether a table is printed (`--pretty`) rather than JSON lines.
    pub(crate) fn is_pretty(&self) -> bool {
        self.pretty
    }

    /// Writes `bytes` and a line break as they are (`normalize` passing a line through).
    /// Nothing is written with `--pretty`.
    pub(crate) fn emit_raw(&mut self, bytes: &[u8]) -> Result<(), Fatal> {
        if self.closed || self.pretty {
            return Ok(());
        }
        let written = self.out.write_all(bytes).and_then(|()| self.out.write_all(b"\n"));
        self.check(written)
    }

    /// Prints the table (with `--pretty`) and flushes.
    pub(crate) fn finish<R: Record>(&mut self) -> Result<(), Fatal> {
        if self.closed {
            return Ok(());
        }
        if self.pretty && self.widths.is_none() {
            let table = self.start_table(R::COLUMNS);
            let written = self.out.write_all(table.as_bytes());
            self.check(written)?;
        }
        let flushed = self.out.flush();
        self.check(flushed)
    }

    fn check(&mut self, result: io::Result<()>) -> Result<(), Fatal> {
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(e) => Err(Fatal(format!("cannot write the output: {e}"))),
        }
    }
}

impl Output {
    /// Fixes the widths from the rows held so far, and returns the header and those rows.
    fn start_table(&mut self, columns: &[&str]) -> String {
        let mut widths: Vec<usize> = columns.iter().map(|c| c.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count().min(MAX_WIDTH));
            }
        }
        let header: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
        let mut out = render_row(&widths, &header);
        for row in self.rows.drain(..) {
            out.push_str(&render_row(&widths, &row));
        }
        self.widths = Some(widths);
        out
    }
}

/// One table line: left-aligned columns two spaces apart, each cut to its width with `…`
/// but the last, which is not padded either.
fn render_row(widths: &[usize], row: &[String]) -> String {
    let mut line = String::new();
    for (i, cell) in row.iter().enumerate() {
        if i + 1 < row.len() {
            let width = widths.get(i).copied().unwrap_or(0);
            let length = cell.chars().count();
            if length > width {
                line.extend(cell.chars().take(width.saturating_sub(1)));
                line.push('…');
                line.push_str("  ");
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', width - length + 2));
            }
        } else {
            line.push_str(cell);
        }
    }
    let mut line = line.trim_end().to_owned();
    line.push('\n');
    line
}

/// A JSON value for a table cell: strings bare, `null` as `-`, anything else as JSON.
pub(crate) fn cell<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Null) => "-".to_owned(),
        Ok(other) => other.to_string(),
        Err(_) => "?".to_owned(),
    }
}

/// Writes the lines of a session (`widget-api host`, `widget-api widget`), flushing each: a
/// test or a sidecar reads them as they come. A closed pipe ends the output quietly.
pub(crate) struct LineWriter<W: Write> {
    out: W,
    closed: bool,
}

impl<W: Write> LineWriter<W> {
    /// Writes to `out`.
    pub(crate) fn new(out: W) -> Self {
        LineWriter { out, closed: false }
    }

    /// Writes `line` and a line break, and flushes.
    pub(crate) fn write(&mut self, line: &str) -> Result<(), Fatal> {
        if self.closed {
            return Ok(());
        }
        let result = self.out.write_all(line.as_bytes()).and_then(|()| self.out.write_all(b"\n")).and_then(|()| self.out.flush());
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    #[derive(Serialize)]
    struct Row {
        line: usize,
        name: &'static str,
    }

    impl Record for Row {
        const COLUMNS: &'static [&'static str] = &["LINE", "NAME"];
        fn cells(&self) -> Vec<String> {
            vec![self.line.to_string(), self.name.to_owned()]
        }
    }

    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn render(pretty: bool) -> String {
        let shared = Shared::default();
        let mut out = Output::new(Box::new(shared.clone()), pretty);
        out.emit(&Row { line: 1, name: "send_event" }).unwrap();
        out.emit(&Row { line: 12, name: "x" }).unwrap();
        out.finish::<Row>().unwrap();
        String::from_utf8(shared.0.borrow().clone()).unwrap()
    }

    #[test]
    fn json_lines_keep_the_field_order() {
        assert_eq!(render(false), "{\"line\":1,\"name\":\"send_event\"}\n{\"line\":12,\"name\":\"x\"}\n");
    }

    #[test]
    fn tables_align_their_columns() {
        assert_eq!(render(true), "LINE  NAME\n1     send_event\n12    x\n");
    }

    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn tables_stream_with_capped_widths() {
        let shared = Shared::default();
        let mut out = Output::new(Box::new(shared.clone()), true);
        let long: &'static str = Box::leak("x".repeat(100).into_boxed_str());
        for line in 0..SAMPLE_ROWS {
            out.emit(&Row { line, name: "a" }).unwrap();
        }
        // The header and the sampled rows are out before the end.
        let before = shared.0.borrow().len();
        assert!(before > 0);
        out.emit(&Row { line: 1_000_000_000_000, name: long }).unwrap();
        let after = String::from_utf8(shared.0.borrow().clone()).unwrap();
        // A later, wider cell is cut to the sampled width; the last column is kept whole.
        assert!(after.ends_with(&format!("\n100…  {long}\n")), "{after}");
        out.finish::<Row>().unwrap();
        let mut table = Output::new(Box::new(Shared::default()), true);
        table.rows = vec![vec![long.to_owned(), "b".to_owned()]];
        let text = table.start_table(&["LINE", "NAME"]);
        assert_eq!(text.lines().nth(1).map(|l| l.chars().count()), Some(MAX_WIDTH + 2 + 1), "{text}");
    }

    #[test]
    fn a_closed_pipe_stops_the_output_quietly() {
        let mut out = Output::new(Box::new(Closed), false);
        out.emit(&Row { line: 1, name: "a" }).unwrap();
        assert!(out.is_closed());
        out.emit(&Row { line: 2, name: "b" }).unwrap();
        out.finish::<Row>().unwrap();
    }

    #[test]
    fn cells_show_strings_bare_and_null_as_a_dash() {
        assert_eq!(cell("a"), "a");
        assert_eq!(cell(&None::<String>), "-");
        assert_eq!(cell(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
    }
}
