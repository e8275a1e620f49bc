//! Writing records: one JSON object per line, or (`--pretty`) a table printed at the end.

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

/// Where records go.
pub(crate) struct Output {
    out: Box<dyn Write>,
    pretty: bool,
    rows: Vec<Vec<String>>,
    /// The reader went away (`widget-api check … | head`): stop quietly.
    closed: bool,
}

impl Output {
    /// Records to standard output (line-buffered, so a live trace shows up line by line).
    pub(crate) fn stdout(pretty: bool) -> Self {
        Output::new(Box::new(io::stdout()), pretty)
    }

    fn new(out: Box<dyn Write>, pretty: bool) -> Self {
        Output { out, pretty, rows: Vec::new(), closed: false }
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
            self.rows.push(record.cells());
            return Ok(());
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
        if self.pretty {
            let table = table(R::COLUMNS, &self.rows);
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

/// Left-aligned columns two spaces apart; the last column is not padded.
fn table(columns: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = columns.iter().map(|c| c.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                let width = widths.get(i).copied().unwrap_or(0);
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', width.saturating_sub(cell.chars().count()) + 2));
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
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
