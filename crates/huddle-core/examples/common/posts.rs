//! Labelled posts of the PHI guard's sets as the trainers read them: JSON Lines in the
//! format of the development set (`../shared/phi/README.md`).

// Each trainer reads the fields it needs.
#![allow(dead_code)]

use std::io::BufRead;

#[derive(serde::Deserialize)]
pub struct Post {
    pub id: serde_json::Value,
    pub text: String,
    #[serde(default)]
    pub spans: Vec<Labelled>,
}

/// A labelled span: UTF-8 byte offsets, its type, and for names whose they are.
#[derive(serde::Deserialize)]
pub struct Labelled {
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub who: Option<String>,
}

impl Labelled {
    pub fn clinician(&self) -> bool {
        self.who.as_deref() == Some("clinician")
    }
}

/// Every line of a JSON Lines file (blank lines skipped); an error names the file and line.
pub fn read<T: serde::de::DeserializeOwned>(path: &str) -> Result<Vec<T>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{path}: line {}: {e}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(&line).map_err(|e| format!("{path}: line {}: {e}", n + 1))?);
    }
    Ok(out)
}
