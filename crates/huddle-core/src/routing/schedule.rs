//! Who is on shift: physicians, their services and shifts, looked up by time.
//! Physicians and services are numbered as they are added, so the engine works on small
//! integers instead of strings.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::policy::Time;

pub type Doc = u32;
pub type Service = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShiftRole {
    Day,
    Night,
    Oncall,
}

impl ShiftRole {
    pub fn parse(s: &str) -> Option<ShiftRole> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" => Some(ShiftRole::Day),
            "night" => Some(ShiftRole::Night),
            "oncall" | "on-call" | "on_call" => Some(ShiftRole::Oncall),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ShiftRole::Day => "day",
            ShiftRole::Night => "night",
            ShiftRole::Oncall => "oncall",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    pub doc: Doc,
    pub service: Service,
    pub role: ShiftRole,
    pub start: Time,
    pub end: Time,
}

#[derive(Debug, Default, Clone)]
pub struct Schedule {
    doc_names: Vec<String>,
    doc_index: HashMap<String, Doc>,
    doc_service: Vec<Service>,
    service_names: Vec<String>,
    service_index: HashMap<String, Service>,
    docs_of_service: Vec<Vec<Doc>>,
    /// Each physician's shifts, by start.
    shifts_of_doc: Vec<Vec<Shift>>,
    /// Each service's shifts, by start.
    shifts_of_service: Vec<Vec<Shift>>,
    longest_shift: Time,
}

impl Schedule {
    pub fn service(&mut self, name: &str) -> Service {
        if let Some(&s) = self.service_index.get(name) {
            return s;
        }
        let s = self.service_names.len() as Service;
        self.service_names.push(name.to_string());
        self.service_index.insert(name.to_string(), s);
        self.docs_of_service.push(Vec::new());
        self.shifts_of_service.push(Vec::new());
        s
    }

    pub fn service_named(&self, name: &str) -> Option<Service> {
        self.service_index.get(name).copied()
    }

    /// Adds a physician (or moves them to another service).
    pub fn physician(&mut self, name: &str, service: &str) -> Doc {
        let service = self.service(service);
        if let Some(&d) = self.doc_index.get(name) {
            let old = self.doc_service[d as usize];
            if old != service {
                self.docs_of_service[old as usize].retain(|&x| x != d);
                self.docs_of_service[service as usize].push(d);
                self.doc_service[d as usize] = service;
            }
            return d;
        }
        let d = self.doc_names.len() as Doc;
        self.doc_names.push(name.to_string());
        self.doc_index.insert(name.to_string(), d);
        self.doc_service.push(service);
        self.docs_of_service[service as usize].push(d);
        self.shifts_of_doc.push(Vec::new());
        d
    }

    pub fn doc_named(&self, name: &str) -> Option<Doc> {
        self.doc_index.get(name).copied()
    }

    pub fn name(&self, doc: Doc) -> &str {
        &self.doc_names[doc as usize]
    }

    pub fn service_of(&self, doc: Doc) -> Service {
        self.doc_service[doc as usize]
    }

    pub fn service_name(&self, service: Service) -> &str {
        &self.service_names[service as usize]
    }

    pub fn docs_of(&self, service: Service) -> &[Doc] {
        &self.docs_of_service[service as usize]
    }

    /// Adds a shift; an empty or reversed one is refused.
    pub fn add_shift(&mut self, shift: Shift) -> Result<(), &'static str> {
        if shift.end <= shift.start {
            return Err("a shift must end after it starts");
        }
        self.longest_shift = self.longest_shift.max(shift.end - shift.start);
        insert_by_start(&mut self.shifts_of_doc[shift.doc as usize], shift);
        insert_by_start(&mut self.shifts_of_service[shift.service as usize], shift);
        Ok(())
    }

    /// The physician's shift that covers `t`, if they are on shift.
    pub fn on_duty(&self, doc: Doc, t: Time) -> Option<&Shift> {
        active(&self.shifts_of_doc[doc as usize], t, self.longest_shift).next()
    }

    /// When the physician's next shift after `t` starts.
    pub fn next_shift_start(&self, doc: Doc, t: Time) -> Option<Time> {
        let shifts = &self.shifts_of_doc[doc as usize];
        let i = shifts.partition_point(|s| s.start <= t);
        shifts.get(i).map(|s| s.start)
    }

    /// Who covers a service at `t`: the on-call physician first, then whoever is on a day
    /// or night shift (by name, so the answer does not depend on input order).
    pub fn covering(&self, service: Service, t: Time) -> Option<Doc> {
        active(
            &self.shifts_of_service[service as usize],
            t,
            self.longest_shift,
        )
        .min_by(|a, b| {
            (a.role != ShiftRole::Oncall, self.name(a.doc))
                .cmp(&(b.role != ShiftRole::Oncall, self.name(b.doc)))
        })
        .map(|s| s.doc)
    }
}

fn insert_by_start(shifts: &mut Vec<Shift>, shift: Shift) {
    let i = shifts.partition_point(|s| s.start <= shift.start);
    shifts.insert(i, shift);
}

/// The shifts in `shifts` (sorted by start) that cover `t`. Only shifts that started
/// within the longest shift's length can still be running.
fn active(shifts: &[Shift], t: Time, longest: Time) -> impl Iterator<Item = &Shift> {
    let end = shifts.partition_point(|s| s.start <= t);
    let begin = shifts[..end].partition_point(|s| s.start < t - longest);
    shifts[begin..end].iter().filter(move |s| t < s.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_call_covers_first_and_shifts_end_exclusive() {
        let mut s = Schedule::default();
        let a = s.physician("p1", "medicine");
        let b = s.physician("p2", "medicine");
        let med = s.service_named("medicine").unwrap();
        s.add_shift(Shift {
            doc: a,
            service: med,
            role: ShiftRole::Day,
            start: 0,
            end: 100,
        })
        .unwrap();
        s.add_shift(Shift {
            doc: b,
            service: med,
            role: ShiftRole::Oncall,
            start: 50,
            end: 500,
        })
        .unwrap();
        assert_eq!(s.covering(med, 10), Some(a));
        assert_eq!(s.covering(med, 60), Some(b));
        assert!(s.on_duty(a, 99).is_some());
        assert!(s.on_duty(a, 100).is_none());
        assert_eq!(s.next_shift_start(a, 0), None);
        assert_eq!(s.next_shift_start(b, 0), Some(50));
        assert_eq!(s.covering(med, 500), None);
        assert!(s
            .add_shift(Shift {
                doc: a,
                service: med,
                role: ShiftRole::Day,
                start: 5,
                end: 5
            })
            .is_err());
    }
}
