//! Reading an NPPES data dissemination extract (`npidata_pfile_*.csv`) and comparing its
//! record with what a physician submitted. Columns used, by their exact headers:
//! `NPI`, `Entity Type Code`, `Provider Last Name (Legal Name)`, `Provider First Name`,
//! `Healthcare Provider Taxonomy Code_1..15`, `Provider License Number_1..15` and
//! `Provider License Number State Code_1..15`. Every other column is ignored.

use super::Invalid;
use crate::csv_input::StringRecord;

/// One provider as the extract describes them, reduced to what verification compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NppesProvider {
    pub npi: String,
    pub entity_type: i64,
    pub last_name: String,
    pub first_name: String,
    /// `STATE:NUMBER`, upper-case.
    pub licenses: Vec<String>,
    pub taxonomy_codes: Vec<String>,
}

/// Where the needed columns sit in this file's header.
#[derive(Debug, Clone)]
pub struct NppesColumns {
    npi: usize,
    entity_type: usize,
    last_name: usize,
    first_name: usize,
    taxonomy: Vec<usize>,
    /// (number column, state column) per licence slot.
    licenses: Vec<(usize, usize)>,
}

impl NppesColumns {
    /// Finds the columns in the header (read with [`crate::csv_input::reader`]).
    pub fn from_header(header: &StringRecord) -> Result<NppesColumns, Invalid> {
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}').trim() == name)
                .ok_or_else(|| Invalid::new(format!("the header has no `{name}` column")))
        };
        let taxonomy = (1..=15)
            .filter_map(|i| find(&format!("Healthcare Provider Taxonomy Code_{i}")).ok())
            .collect();
        let licenses = (1..=15)
            .filter_map(|i| {
                let number = find(&format!("Provider License Number_{i}")).ok()?;
                let state = find(&format!("Provider License Number State Code_{i}")).ok()?;
                Some((number, state))
            })
            .collect();
        Ok(NppesColumns {
            npi: find("NPI")?,
            entity_type: find("Entity Type Code")?,
            last_name: find("Provider Last Name (Legal Name)")?,
            first_name: find("Provider First Name")?,
            taxonomy,
            licenses,
        })
    }

    /// Parses one data line; `Ok(None)` for rows without an NPI (blank lines).
    pub fn provider(&self, fields: &StringRecord) -> Result<Option<NppesProvider>, Invalid> {
        let get = |i: usize| fields.get(i).map(|s| s.trim()).unwrap_or("");
        let npi = get(self.npi);
        if npi.is_empty() {
            return Ok(None);
        }
        let entity_type = get(self.entity_type).parse().unwrap_or(0);
        let licenses = self
            .licenses
            .iter()
            .filter(|(n, s)| !get(*n).is_empty() && !get(*s).is_empty())
            .map(|(n, s)| {
                format!(
                    "{}:{}",
                    get(*s).to_ascii_uppercase(),
                    get(*n).to_ascii_uppercase()
                )
            })
            .collect();
        let taxonomy_codes = self
            .taxonomy
            .iter()
            .map(|i| get(*i))
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        Ok(Some(NppesProvider {
            npi: npi.to_string(),
            entity_type,
            last_name: get(self.last_name).to_string(),
            first_name: get(self.first_name).to_string(),
            licenses,
            taxonomy_codes,
        }))
    }
}

/// How a submission compares with the NPPES record of its NPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NppesMatch {
    /// The record is an individual provider (entity type 1), as physicians are.
    pub individual: bool,
    /// The NPPES last name appears in the person's display name.
    pub name: bool,
    /// The submitted state and licence number appear among the record's licences.
    pub license: bool,
    /// The submitted specialty is among the record's taxonomy codes.
    pub specialty: bool,
}

pub fn compare(
    provider: &NppesProvider,
    display_name: &str,
    license_state: &str,
    license_number: &str,
    specialty_code: &str,
) -> NppesMatch {
    let words: Vec<String> = display_name
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect();
    let last = provider.last_name.to_uppercase();
    let wanted = format!(
        "{}:{}",
        license_state.to_ascii_uppercase(),
        license_number.to_ascii_uppercase()
    );
    NppesMatch {
        individual: provider.entity_type == 1,
        name: !last.is_empty() && words.contains(&last),
        license: provider.licenses.contains(&wanted),
        specialty: provider.taxonomy_codes.iter().any(|c| c == specialty_code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "\"NPI\",\"Entity Type Code\",\"Provider Last Name (Legal Name)\",\"Provider First Name\",\"Healthcare Provider Taxonomy Code_1\",\"Provider License Number_1\",\"Provider License Number State Code_1\",\"Healthcare Provider Taxonomy Code_2\",\"Provider License Number_2\",\"Provider License Number State Code_2\"";

    fn record(line: &str) -> StringRecord {
        let mut reader = crate::csv_input::reader(line.as_bytes());
        reader.headers().unwrap().clone()
    }

    #[test]
    fn reads_the_columns_it_needs() {
        let cols = NppesColumns::from_header(&record(HEADER)).unwrap();
        let row = "\"1234567893\",\"1\",\"OKAFOR\",\"ADA\",\"207RC0000X\",\"md-1234\",\"ma\",\"207R00000X\",\"\",\"\"";
        let p = cols.provider(&record(row)).unwrap().unwrap();
        assert_eq!(p.npi, "1234567893");
        assert_eq!(p.entity_type, 1);
        assert_eq!(p.licenses, vec!["MA:MD-1234"]);
        assert_eq!(p.taxonomy_codes, vec!["207RC0000X", "207R00000X"]);
        assert_eq!(cols.provider(&StringRecord::new()).unwrap(), None);
    }

    #[test]
    fn missing_columns_are_named() {
        let err = NppesColumns::from_header(&record("\"NPI\",\"Entity Type Code\"")).unwrap_err();
        assert!(err.0.contains("Provider Last Name (Legal Name)"), "{err}");
    }

    #[test]
    fn compares_name_licence_and_specialty() {
        let p = NppesProvider {
            npi: "1234567893".into(),
            entity_type: 1,
            last_name: "Okafor".into(),
            first_name: "Ada".into(),
            licenses: vec!["MA:MD-1234".into()],
            taxonomy_codes: vec!["207RC0000X".into()],
        };
        let m = compare(&p, "Dr. Ada Okafor", "ma", "md-1234", "207RC0000X");
        assert_eq!(
            m,
            NppesMatch {
                individual: true,
                name: true,
                license: true,
                specialty: true
            }
        );
        let m = compare(&p, "Dr. Ada Okaforsky", "NY", "MD-1234", "207P00000X");
        assert_eq!(
            m,
            NppesMatch {
                individual: true,
                name: false,
                license: false,
                specialty: false
            }
        );
    }
}
