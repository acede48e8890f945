//! The one way Huddle reads CSV (NPPES extracts, shift schedules): the `csv` crate, with
//! RFC 4180 quoting (fields holding commas, doubled quotes or line breaks), a header row,
//! rows of any length, and a UTF-8 byte-order mark ignored. [`read`] trims fields.

pub use csv::StringRecord;

/// A reader over CSV input (a file or text), streaming so large extracts fit in memory.
pub fn reader<R: std::io::Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new().flexible(true).from_reader(input)
}

/// What is wrong with a CSV input, with its line when known.
pub fn describe(e: &csv::Error) -> String {
    let line = e.position().map(|p| p.line());
    let what = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".to_string(),
        csv::ErrorKind::Io(e) => format!("cannot be read: {e}"),
        _ => "is not well-formed CSV".to_string(),
    };
    match line {
        Some(line) => format!("line {line} {what}"),
        None => format!("the input {what}"),
    }
}

/// Reads CSV text whole: its header and its rows, each with its (1-based) line number.
pub fn read(text: &str) -> Result<(StringRecord, Vec<(u64, StringRecord)>), String> {
    let mut reader = reader(text.as_bytes());
    let mut header = reader.headers().map_err(|e| describe(&e))?.clone();
    header.trim();
    let mut rows = Vec::new();
    loop {
        // The line a record starts on, counted in the text itself.
        let byte = reader.position().byte() as usize;
        let mut record = StringRecord::new();
        if !reader.read_record(&mut record).map_err(|e| describe(&e))? {
            break;
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        let skipped = text
            .get(byte..)
            .map_or(0, |t| t.len() - t.trim_start_matches(['\r', '\n']).len());
        let before = text.get(..byte + skipped).unwrap_or_default();
        let line = 1 + before.matches('\n').count() as u64;
        record.trim();
        rows.push((line, record));
    }
    Ok((header, rows))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn quoted_fields_byte_order_marks_and_blank_lines() {
        let text = "\u{feff}name,note\r\n\"Okafor, Ada\",\"said \"\"hi\"\"\"\r\n\r\nplain ,\"two\nlines\"\n";
        let (header, rows) = read(text).unwrap();
        assert_eq!(header.iter().collect::<Vec<_>>(), ["name", "note"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        assert_eq!(
            rows[0].1.iter().collect::<Vec<_>>(),
            ["Okafor, Ada", "said \"hi\""]
        );
        assert_eq!(
            rows[1].1.iter().collect::<Vec<_>>(),
            ["plain", "two\nlines"]
        );
        assert_eq!(rows[1].0, 4);
    }
}
