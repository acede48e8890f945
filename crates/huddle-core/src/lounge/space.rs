//! Where lounge threads live: one space per specialty group of the NUCC physician taxonomy,
//! and three cross-specialty spaces.

use crate::identity::{Invalid, SpecialtyGroup};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Space {
    Specialty(SpecialtyGroup),
    /// A question for colleagues of any specialty.
    AskAny,
    /// Peer support; pseudonymous by default.
    Wellbeing,
    /// Practice, EHR and operations.
    Practice,
}

const CROSS: [Space; 3] = [Space::AskAny, Space::Wellbeing, Space::Practice];

impl Space {
    /// Every space: the cross-specialty ones first, then the specialties.
    pub fn all() -> impl Iterator<Item = Space> {
        CROSS
            .into_iter()
            .chain(SpecialtyGroup::ALL.iter().copied().map(Space::Specialty))
    }

    pub fn slug(self) -> &'static str {
        match self {
            Space::Specialty(g) => g.slug(),
            Space::AskAny => "ask-any-specialty",
            Space::Wellbeing => "wellbeing",
            Space::Practice => "practice",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Space::Specialty(g) => g.name(),
            Space::AskAny => "Ask any specialty",
            Space::Wellbeing => "Well-being and peer support",
            Space::Practice => "Practice, EHR and operations",
        }
    }

    pub fn is_cross_specialty(self) -> bool {
        !matches!(self, Space::Specialty(_))
    }

    /// Whether posts here hide the author's name unless they choose otherwise.
    pub fn pseudonymous_by_default(self) -> bool {
        self == Space::Wellbeing
    }

    pub fn parse(slug: &str) -> Result<Space, Invalid> {
        Space::all()
            .find(|s| s.slug() == slug)
            .ok_or_else(|| Invalid::new(format!("there is no lounge space `{slug}`")))
    }
}

/// What a pseudonymous post shows in place of the author's name: "Verified cardiologist".
pub fn pseudonym(group: Option<SpecialtyGroup>) -> String {
    let noun = match group {
        None | Some(SpecialtyGroup::OtherSpecialties) => "physician",
        Some(SpecialtyGroup::AllergyImmunology) => "allergist",
        Some(SpecialtyGroup::Anesthesiology) => "anesthesiologist",
        Some(SpecialtyGroup::Cardiology) => "cardiologist",
        Some(SpecialtyGroup::CriticalCare) => "intensivist",
        Some(SpecialtyGroup::Dermatology) => "dermatologist",
        Some(SpecialtyGroup::EmergencyMedicine) => "emergency physician",
        Some(SpecialtyGroup::FamilyMedicine) => "family physician",
        Some(SpecialtyGroup::HospitalMedicine) => "hospitalist",
        Some(SpecialtyGroup::InternalMedicine) => "internist",
        Some(SpecialtyGroup::Neurology) => "neurologist",
        Some(SpecialtyGroup::ObstetricsGynecology) => "obstetrician-gynecologist",
        Some(SpecialtyGroup::Oncology) => "oncologist",
        Some(SpecialtyGroup::Ophthalmology) => "ophthalmologist",
        Some(SpecialtyGroup::Orthopaedics) => "orthopaedic surgeon",
        Some(SpecialtyGroup::Otolaryngology) => "otolaryngologist",
        Some(SpecialtyGroup::Pathology) => "pathologist",
        Some(SpecialtyGroup::Pediatrics) => "pediatrician",
        Some(SpecialtyGroup::PhysicalMedicine) => "physiatrist",
        Some(SpecialtyGroup::Psychiatry) => "psychiatrist",
        Some(SpecialtyGroup::Radiology) => "radiologist",
        Some(SpecialtyGroup::Surgery) => "surgeon",
        Some(SpecialtyGroup::Urology) => "urologist",
    };
    format!("Verified {noun}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_specialty_group_and_the_cross_spaces_have_a_space() {
        let all: Vec<Space> = Space::all().collect();
        assert_eq!(all.len(), SpecialtyGroup::ALL.len() + 3);
        for space in &all {
            assert_eq!(Space::parse(space.slug()), Ok(*space));
        }
        assert_eq!(
            Space::parse("cardiology"),
            Ok(Space::Specialty(SpecialtyGroup::Cardiology))
        );
        assert!(Space::parse("astrology").is_err());
    }

    #[test]
    fn only_the_wellbeing_space_is_pseudonymous_by_default() {
        let defaults: Vec<Space> = Space::all()
            .filter(|s| s.pseudonymous_by_default())
            .collect();
        assert_eq!(defaults, vec![Space::Wellbeing]);
    }

    #[test]
    fn pseudonyms_name_the_specialty_not_the_person() {
        assert_eq!(
            pseudonym(Some(SpecialtyGroup::Cardiology)),
            "Verified cardiologist"
        );
        assert_eq!(pseudonym(None), "Verified physician");
    }
}
