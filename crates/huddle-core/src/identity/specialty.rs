//! NUCC physician taxonomy subset: every code of the Grouping "Allopathic & Osteopathic
//! Physicians" in the Health Care Provider Taxonomy, with its official display name, each
//! mapped to the [`SpecialtyGroup`] that organises the physician lounge.
//!
//! Source: NUCC taxonomy version 26.1 (the CSV release, filtered on the Grouping column, not
//! on a code prefix). Display names are the CSV's "Display Name" column, verbatim.
//!
//! The Health Care Provider Taxonomy code set is copyright the American Medical Association
//! on behalf of the National Uniform Claim Committee (NUCC); this subset is used with
//! attribution. NUCC asks vendors that put the code set into a commercial product to file its
//! licence request form.
//!
//! A few codes are kept although NUCC discourages them for new use (207QA0505X Adult Medicine,
//! 207RM1200X Magnetic Resonance Imaging, 2085R0203X Therapeutic Radiology): older NPPES
//! records still carry them, and a physician holding one must still be recognised.
//!
//! Grouping rules: a code goes to the group of its NUCC classification, except that
//! cardiology, critical care (adult boards), hematology/oncology, radiation oncology and
//! allergy/immunology subspecialties go to their own groups, psychiatry subspecialties of
//! "Psychiatry & Neurology" go to [`SpecialtyGroup::Psychiatry`] (the rest to Neurology), and
//! every subspecialty of the Pediatrics classification stays in Pediatrics.

/// A lounge section that gathers related specialties, so that a cardiology question reaches
/// cardiologists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecialtyGroup {
    AllergyImmunology,
    Anesthesiology,
    Cardiology,
    CriticalCare,
    Dermatology,
    EmergencyMedicine,
    FamilyMedicine,
    HospitalMedicine,
    InternalMedicine,
    Neurology,
    ObstetricsGynecology,
    /// Hematology, medical oncology and radiation oncology.
    Oncology,
    Ophthalmology,
    Orthopaedics,
    Otolaryngology,
    Pathology,
    Pediatrics,
    PhysicalMedicine,
    Psychiatry,
    Radiology,
    Surgery,
    Urology,
    OtherSpecialties,
}

impl SpecialtyGroup {
    /// Every group, in the order the lounge lists them.
    pub const ALL: &'static [SpecialtyGroup] = &[
        SpecialtyGroup::AllergyImmunology,
        SpecialtyGroup::Anesthesiology,
        SpecialtyGroup::Cardiology,
        SpecialtyGroup::CriticalCare,
        SpecialtyGroup::Dermatology,
        SpecialtyGroup::EmergencyMedicine,
        SpecialtyGroup::FamilyMedicine,
        SpecialtyGroup::HospitalMedicine,
        SpecialtyGroup::InternalMedicine,
        SpecialtyGroup::Neurology,
        SpecialtyGroup::ObstetricsGynecology,
        SpecialtyGroup::Oncology,
        SpecialtyGroup::Ophthalmology,
        SpecialtyGroup::Orthopaedics,
        SpecialtyGroup::Otolaryngology,
        SpecialtyGroup::Pathology,
        SpecialtyGroup::Pediatrics,
        SpecialtyGroup::PhysicalMedicine,
        SpecialtyGroup::Psychiatry,
        SpecialtyGroup::Radiology,
        SpecialtyGroup::Surgery,
        SpecialtyGroup::Urology,
        SpecialtyGroup::OtherSpecialties,
    ];

    /// Stable kebab-case identifier, for URLs and storage.
    pub fn slug(self) -> &'static str {
        match self {
            SpecialtyGroup::AllergyImmunology => "allergy-immunology",
            SpecialtyGroup::Anesthesiology => "anesthesiology",
            SpecialtyGroup::Cardiology => "cardiology",
            SpecialtyGroup::CriticalCare => "critical-care",
            SpecialtyGroup::Dermatology => "dermatology",
            SpecialtyGroup::EmergencyMedicine => "emergency-medicine",
            SpecialtyGroup::FamilyMedicine => "family-medicine",
            SpecialtyGroup::HospitalMedicine => "hospital-medicine",
            SpecialtyGroup::InternalMedicine => "internal-medicine",
            SpecialtyGroup::Neurology => "neurology",
            SpecialtyGroup::ObstetricsGynecology => "obstetrics-gynecology",
            SpecialtyGroup::Oncology => "oncology",
            SpecialtyGroup::Ophthalmology => "ophthalmology",
            SpecialtyGroup::Orthopaedics => "orthopaedics",
            SpecialtyGroup::Otolaryngology => "otolaryngology",
            SpecialtyGroup::Pathology => "pathology",
            SpecialtyGroup::Pediatrics => "pediatrics",
            SpecialtyGroup::PhysicalMedicine => "physical-medicine",
            SpecialtyGroup::Psychiatry => "psychiatry",
            SpecialtyGroup::Radiology => "radiology",
            SpecialtyGroup::Surgery => "surgery",
            SpecialtyGroup::Urology => "urology",
            SpecialtyGroup::OtherSpecialties => "other-specialties",
        }
    }

    /// Human-readable name, sentence case.
    pub fn name(self) -> &'static str {
        match self {
            SpecialtyGroup::AllergyImmunology => "Allergy and immunology",
            SpecialtyGroup::Anesthesiology => "Anesthesiology",
            SpecialtyGroup::Cardiology => "Cardiology",
            SpecialtyGroup::CriticalCare => "Critical care",
            SpecialtyGroup::Dermatology => "Dermatology",
            SpecialtyGroup::EmergencyMedicine => "Emergency medicine",
            SpecialtyGroup::FamilyMedicine => "Family medicine",
            SpecialtyGroup::HospitalMedicine => "Hospital medicine",
            SpecialtyGroup::InternalMedicine => "Internal medicine",
            SpecialtyGroup::Neurology => "Neurology",
            SpecialtyGroup::ObstetricsGynecology => "Obstetrics and gynecology",
            SpecialtyGroup::Oncology => "Hematology and oncology",
            SpecialtyGroup::Ophthalmology => "Ophthalmology",
            SpecialtyGroup::Orthopaedics => "Orthopaedics",
            SpecialtyGroup::Otolaryngology => "Otolaryngology",
            SpecialtyGroup::Pathology => "Pathology",
            SpecialtyGroup::Pediatrics => "Pediatrics",
            SpecialtyGroup::PhysicalMedicine => "Physical medicine and rehabilitation",
            SpecialtyGroup::Psychiatry => "Psychiatry",
            SpecialtyGroup::Radiology => "Radiology",
            SpecialtyGroup::Surgery => "Surgery",
            SpecialtyGroup::Urology => "Urology",
            SpecialtyGroup::OtherSpecialties => "Other specialties",
        }
    }

    /// The group whose [`slug`](Self::slug) is exactly `slug`.
    pub fn from_slug(slug: &str) -> Option<SpecialtyGroup> {
        Self::ALL.iter().copied().find(|g| g.slug() == slug)
    }
}

/// One NUCC physician taxonomy code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Specialty {
    /// The 10-character NUCC code, e.g. `207RC0000X`.
    pub code: &'static str,
    /// NUCC's display name, e.g. "Cardiovascular Disease Physician".
    pub display_name: &'static str,
    pub group: SpecialtyGroup,
}

const fn s(code: &'static str, display_name: &'static str, group: SpecialtyGroup) -> Specialty {
    Specialty {
        code,
        display_name,
        group,
    }
}

/// Sorted by display name for pick lists.
pub static SPECIALTIES: &[Specialty] = &[
    s(
        "207LA0401X",
        "Addiction Medicine (Anesthesiology) Physician",
        SpecialtyGroup::Anesthesiology,
    ),
    s(
        "207QA0401X",
        "Addiction Medicine (Family Medicine) Physician",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207RA0401X",
        "Addiction Medicine (Internal Medicine) Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "2083A0300X",
        "Addiction Medicine (Preventive Medicine) Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "2084A0401X",
        "Addiction Medicine (Psychiatry & Neurology) Physician",
        SpecialtyGroup::Psychiatry,
    ),
    s(
        "2084P0802X",
        "Addiction Psychiatry Physician",
        SpecialtyGroup::Psychiatry,
    ),
    s(
        "207QA0000X",
        "Adolescent Medicine (Family Medicine) Physician",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207RA0000X",
        "Adolescent Medicine (Internal Medicine) Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "207RA0002X",
        "Adult Congenital Heart Disease Physician",
        SpecialtyGroup::Cardiology,
    ),
    s(
        "207QA0505X",
        "Adult Medicine Physician",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207XS0114X",
        "Adult Reconstructive Orthopaedic Surgery Physician",
        SpecialtyGroup::Orthopaedics,
    ),
    s(
        "207RA0001X",
        "Advanced Heart Failure and Transplant Cardiology Physician",
        SpecialtyGroup::Cardiology,
    ),
    s(
        "2083A0100X",
        "Aerospace Medicine Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207RA0201X",
        "Allergy & Immunology (Internal Medicine) Physician",
        SpecialtyGroup::AllergyImmunology,
    ),
    s(
        "207K00000X",
        "Allergy & Immunology Physician",
        SpecialtyGroup::AllergyImmunology,
    ),
    s(
        "207KA0200X",
        "Allergy Physician",
        SpecialtyGroup::AllergyImmunology,
    ),
    s(
        "207ZP0102X",
        "Anatomic Pathology & Clinical Pathology Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "207ZP0101X",
        "Anatomic Pathology Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "207L00000X",
        "Anesthesiology Physician",
        SpecialtyGroup::Anesthesiology,
    ),
    s(
        "2084B0040X",
        "Behavioral Neurology & Neuropsychiatry Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "207ZB0001X",
        "Blood Banking & Transfusion Medicine Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "2085B0100X",
        "Body Imaging Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "2081P0301X",
        "Brain Injury Medicine (Physical Medicine & Rehabilitation) Physician",
        SpecialtyGroup::PhysicalMedicine,
    ),
    s(
        "2084P0301X",
        "Brain Injury Medicine (Psychiatry & Neurology) Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "207RC0000X",
        "Cardiovascular Disease Physician",
        SpecialtyGroup::Cardiology,
    ),
    s(
        "207ZP0104X",
        "Chemical Pathology Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "2084P0804X",
        "Child & Adolescent Psychiatry Physician",
        SpecialtyGroup::Psychiatry,
    ),
    s(
        "2080C0008X",
        "Child Abuse Pediatrics Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "207NI0002X",
        "Clinical & Laboratory Dermatological Immunology Physician",
        SpecialtyGroup::Dermatology,
    ),
    s(
        "207KI0005X",
        "Clinical & Laboratory Immunology (Allergy & Immunology) Physician",
        SpecialtyGroup::AllergyImmunology,
    ),
    s(
        "207RI0001X",
        "Clinical & Laboratory Immunology (Internal Medicine) Physician",
        SpecialtyGroup::AllergyImmunology,
    ),
    s(
        "207SG0202X",
        "Clinical Biochemical Genetics Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207RC0001X",
        "Clinical Cardiac Electrophysiology Physician",
        SpecialtyGroup::Cardiology,
    ),
    s(
        "207SC0300X",
        "Clinical Cytogenetics Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207SG0201X",
        "Clinical Genetics (M.D.) Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207ZC0008X",
        "Clinical Informatics (Pathology) Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "2083C0008X",
        "Clinical Informatics Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207SG0203X",
        "Clinical Molecular Genetics Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "2084N0600X",
        "Clinical Neurophysiology Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "207ZC0006X",
        "Clinical Pathology Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "207ZP0105X",
        "Clinical Pathology/Laboratory Medicine Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "208U00000X",
        "Clinical Pharmacology Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "208C00000X",
        "Colon & Rectal Surgery Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "207VC0300X",
        "Complex Family Planning Physician",
        SpecialtyGroup::ObstetricsGynecology,
    ),
    s(
        "207WX0120X",
        "Cornea and External Diseases Specialist Physician",
        SpecialtyGroup::Ophthalmology,
    ),
    s(
        "207LC0200X",
        "Critical Care Medicine (Anesthesiology) Physician",
        SpecialtyGroup::CriticalCare,
    ),
    s(
        "207RC0200X",
        "Critical Care Medicine (Internal Medicine) Physician",
        SpecialtyGroup::CriticalCare,
    ),
    s(
        "207VC0200X",
        "Critical Care Medicine (Obstetrics & Gynecology) Physician",
        SpecialtyGroup::CriticalCare,
    ),
    s(
        "207ZC0500X",
        "Cytopathology Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "207N00000X",
        "Dermatology Physician",
        SpecialtyGroup::Dermatology,
    ),
    s(
        "207ZD0900X",
        "Dermatopathology (Pathology) Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "207ND0900X",
        "Dermatopathology Physician",
        SpecialtyGroup::Dermatology,
    ),
    s(
        "2080P0006X",
        "Developmental - Behavioral Pediatrics Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "207QD0401X",
        "Diabetology (Family Medicine) Physician",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207QB0505X",
        "Diabetology (Internal Medicine) Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "2084D0003X",
        "Diagnostic Neuroimaging (Psychiatry & Neurology) Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "2085D0003X",
        "Diagnostic Neuroimaging (Radiology) Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "2085R0202X",
        "Diagnostic Radiology Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "2085U0001X",
        "Diagnostic Ultrasound Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "204R00000X",
        "Electrodiagnostic Medicine Physician",
        SpecialtyGroup::PhysicalMedicine,
    ),
    s(
        "207PE0004X",
        "Emergency Medical Services (Emergency Medicine) Physician",
        SpecialtyGroup::EmergencyMedicine,
    ),
    s(
        "207P00000X",
        "Emergency Medicine Physician",
        SpecialtyGroup::EmergencyMedicine,
    ),
    s(
        "207RE0101X",
        "Endocrinology, Diabetes & Metabolism Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "2084E0001X",
        "Epilepsy Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "207YS0123X",
        "Facial Plastic Surgery Physician",
        SpecialtyGroup::Otolaryngology,
    ),
    s(
        "207Q00000X",
        "Family Medicine Physician",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207ZF0201X",
        "Forensic Pathology Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "2084F0202X",
        "Forensic Psychiatry Physician",
        SpecialtyGroup::Psychiatry,
    ),
    s(
        "207RG0100X",
        "Gastroenterology Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "208D00000X",
        "General Practice Physician",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207QG0300X",
        "Geriatric Medicine (Family Medicine) Physician",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207RG0300X",
        "Geriatric Medicine (Internal Medicine) Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "2084P0805X",
        "Geriatric Psychiatry Physician",
        SpecialtyGroup::Psychiatry,
    ),
    s(
        "207WX0009X",
        "Glaucoma Specialist (Ophthalmology) Physician",
        SpecialtyGroup::Ophthalmology,
    ),
    s(
        "207VX0201X",
        "Gynecologic Oncology Physician",
        SpecialtyGroup::ObstetricsGynecology,
    ),
    s(
        "207VG0400X",
        "Gynecology Physician",
        SpecialtyGroup::ObstetricsGynecology,
    ),
    s(
        "207RH0003X",
        "Hematology & Oncology Physician",
        SpecialtyGroup::Oncology,
    ),
    s(
        "207RH0000X",
        "Hematology (Internal Medicine) Physician",
        SpecialtyGroup::Oncology,
    ),
    s(
        "207ZH0000X",
        "Hematology (Pathology) Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "207RI0008X",
        "Hepatology Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "207LH0002X",
        "Hospice and Palliative Medicine (Anesthesiology) Physician",
        SpecialtyGroup::Anesthesiology,
    ),
    s(
        "207PH0002X",
        "Hospice and Palliative Medicine (Emergency Medicine) Physician",
        SpecialtyGroup::EmergencyMedicine,
    ),
    s(
        "207QH0002X",
        "Hospice and Palliative Medicine (Family Medicine) Physician",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207RH0002X",
        "Hospice and Palliative Medicine (Internal Medicine) Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "207VH0002X",
        "Hospice and Palliative Medicine (Obstetrics & Gynecology) Physician",
        SpecialtyGroup::ObstetricsGynecology,
    ),
    s(
        "2081H0002X",
        "Hospice and Palliative Medicine (Physical Medicine & Rehabilitation) Physician",
        SpecialtyGroup::PhysicalMedicine,
    ),
    s(
        "2084H0002X",
        "Hospice and Palliative Medicine (Psychiatry & Neurology) Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "2085H0002X",
        "Hospice and Palliative Medicine (Radiology) Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "2086H0002X",
        "Hospice and Palliative Medicine (Surgery) Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "208M00000X",
        "Hospitalist Physician",
        SpecialtyGroup::HospitalMedicine,
    ),
    s(
        "207RH0005X",
        "Hypertension Specialist Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "207ZI0100X",
        "Immunopathology Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "207UN0903X",
        "In Vivo & In Vitro Nuclear Medicine Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "202C00000X",
        "Independent Medical Examiner Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207RI0200X",
        "Infectious Disease Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "202D00000X",
        "Integrative Medicine Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207R00000X",
        "Internal Medicine Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "207RI0011X",
        "Interventional Cardiology Physician",
        SpecialtyGroup::Cardiology,
    ),
    s(
        "208VP0014X",
        "Interventional Pain Medicine Physician",
        SpecialtyGroup::Anesthesiology,
    ),
    s(
        "209800000X",
        "Legal Medicine (M.D./D.O.) Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207ND0101X",
        "MOHS-Micrographic Surgery Physician",
        SpecialtyGroup::Dermatology,
    ),
    s(
        "207RM1200X",
        "Magnetic Resonance Imaging (MRI) Internal Medicine Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "207VM0101X",
        "Maternal & Fetal Medicine Physician",
        SpecialtyGroup::ObstetricsGynecology,
    ),
    s(
        "207SG0207X",
        "Medical Biochemical Genetics",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207ZM0300X",
        "Medical Microbiology Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "207RX0202X",
        "Medical Oncology Physician",
        SpecialtyGroup::Oncology,
    ),
    s(
        "207PT0002X",
        "Medical Toxicology (Emergency Medicine) Physician",
        SpecialtyGroup::EmergencyMedicine,
    ),
    s(
        "2083T0002X",
        "Medical Toxicology (Preventive Medicine) Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207SM0001X",
        "Molecular Genetic Pathology (Medical Genetics) Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207ZP0007X",
        "Molecular Genetic Pathology (Pathology) Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "2080N0001X",
        "Neonatal-Perinatal Medicine Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "207RN0300X",
        "Nephrology Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "207WX0109X",
        "Neuro-ophthalmology Physician",
        SpecialtyGroup::Ophthalmology,
    ),
    s(
        "2084A2900X",
        "Neurocritical Care Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "2084P0005X",
        "Neurodevelopmental Disabilities Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "207T00000X",
        "Neurological Surgery Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "2084N0400X",
        "Neurology Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "2084N0402X",
        "Neurology with Special Qualifications in Child Neurology Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "2081N0008X",
        "Neuromuscular Medicine (Physical Medicine & Rehabilitation) Physician",
        SpecialtyGroup::PhysicalMedicine,
    ),
    s(
        "2084N0008X",
        "Neuromuscular Medicine (Psychiatry & Neurology) Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "204D00000X",
        "Neuromusculoskeletal Medicine & OMM Physician",
        SpecialtyGroup::PhysicalMedicine,
    ),
    s(
        "207ZN0500X",
        "Neuropathology Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "2085N0700X",
        "Neuroradiology Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "207UN0901X",
        "Nuclear Cardiology Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "207UN0902X",
        "Nuclear Imaging & Therapy Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "207U00000X",
        "Nuclear Medicine Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "2085N0904X",
        "Nuclear Radiology Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "207QB0002X",
        "Obesity Medicine (Family Medicine) Physician",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207RB0002X",
        "Obesity Medicine (Internal Medicine) Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "207VB0002X",
        "Obesity Medicine (Obstetrics & Gynecology) Physician",
        SpecialtyGroup::ObstetricsGynecology,
    ),
    s(
        "2083B0002X",
        "Obesity Medicine (Preventive Medicine) Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "2084B0002X",
        "Obesity Medicine (Psychiatry & Neurology) Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "207V00000X",
        "Obstetrics & Gynecology Physician",
        SpecialtyGroup::ObstetricsGynecology,
    ),
    s(
        "207VX0000X",
        "Obstetrics Physician",
        SpecialtyGroup::ObstetricsGynecology,
    ),
    s(
        "2083X0100X",
        "Occupational Medicine Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207WX0200X",
        "Ophthalmic Plastic and Reconstructive Surgery Physician",
        SpecialtyGroup::Ophthalmology,
    ),
    s(
        "207W00000X",
        "Ophthalmology Physician",
        SpecialtyGroup::Ophthalmology,
    ),
    s(
        "204E00000X",
        "Oral & Maxillofacial Surgery (D.M.D.)",
        SpecialtyGroup::Surgery,
    ),
    s(
        "207XX0004X",
        "Orthopaedic Foot and Ankle Surgery Physician",
        SpecialtyGroup::Orthopaedics,
    ),
    s(
        "207XS0106X",
        "Orthopaedic Hand Surgery Physician",
        SpecialtyGroup::Orthopaedics,
    ),
    s(
        "207X00000X",
        "Orthopaedic Surgery Physician",
        SpecialtyGroup::Orthopaedics,
    ),
    s(
        "207XS0117X",
        "Orthopaedic Surgery of the Spine Physician",
        SpecialtyGroup::Orthopaedics,
    ),
    s(
        "207XX0801X",
        "Orthopaedic Trauma Physician",
        SpecialtyGroup::Orthopaedics,
    ),
    s(
        "207YX0602X",
        "Otolaryngic Allergy Physician",
        SpecialtyGroup::Otolaryngology,
    ),
    s(
        "207Y00000X",
        "Otolaryngology Physician",
        SpecialtyGroup::Otolaryngology,
    ),
    s(
        "207YX0905X",
        "Otolaryngology/Facial Plastic Surgery Physician",
        SpecialtyGroup::Otolaryngology,
    ),
    s(
        "207YX0901X",
        "Otology & Neurotology Physician",
        SpecialtyGroup::Otolaryngology,
    ),
    s(
        "207LP2900X",
        "Pain Medicine (Anesthesiology) Physician",
        SpecialtyGroup::Anesthesiology,
    ),
    s(
        "2081P2900X",
        "Pain Medicine (Physical Medicine & Rehabilitation) Physician",
        SpecialtyGroup::PhysicalMedicine,
    ),
    s(
        "2084P2900X",
        "Pain Medicine (Psychiatry & Neurology) Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "208VP0000X",
        "Pain Medicine Physician",
        SpecialtyGroup::Anesthesiology,
    ),
    s(
        "2080A0000X",
        "Pediatric Adolescent Medicine Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080P0201X",
        "Pediatric Allergy/Immunology Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "207LP3000X",
        "Pediatric Anesthesiology Physician",
        SpecialtyGroup::Anesthesiology,
    ),
    s(
        "2080P0202X",
        "Pediatric Cardiology Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080I0007X",
        "Pediatric Clinical & Laboratory Immunology Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080P0203X",
        "Pediatric Critical Care Medicine Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "207NP0225X",
        "Pediatric Dermatology Physician",
        SpecialtyGroup::Dermatology,
    ),
    s(
        "207PP0204X",
        "Pediatric Emergency Medicine (Emergency Medicine) Physician",
        SpecialtyGroup::EmergencyMedicine,
    ),
    s(
        "2080P0204X",
        "Pediatric Emergency Medicine (Pediatrics) Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080P0205X",
        "Pediatric Endocrinology Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080P0206X",
        "Pediatric Gastroenterology Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080P0207X",
        "Pediatric Hematology & Oncology Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080H0002X",
        "Pediatric Hospice and Palliative Medicine Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080P0208X",
        "Pediatric Infectious Diseases Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080T0002X",
        "Pediatric Medical Toxicology Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080P0210X",
        "Pediatric Nephrology Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080P0008X",
        "Pediatric Neurodevelopmental Disabilities Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080B0002X",
        "Pediatric Obesity Medicine Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "207WX0110X",
        "Pediatric Ophthalmology and Strabismus Specialist Physician",
        SpecialtyGroup::Ophthalmology,
    ),
    s(
        "207XP3100X",
        "Pediatric Orthopaedic Surgery Physician",
        SpecialtyGroup::Orthopaedics,
    ),
    s(
        "207YP0228X",
        "Pediatric Otolaryngology Physician",
        SpecialtyGroup::Otolaryngology,
    ),
    s(
        "207ZP0213X",
        "Pediatric Pathology Physician",
        SpecialtyGroup::Pathology,
    ),
    s(
        "2080P0214X",
        "Pediatric Pulmonology Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2085P0229X",
        "Pediatric Radiology Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "2081P0010X",
        "Pediatric Rehabilitation Medicine Physician",
        SpecialtyGroup::PhysicalMedicine,
    ),
    s(
        "2080P0216X",
        "Pediatric Rheumatology Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080S0012X",
        "Pediatric Sleep Medicine Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2080S0010X",
        "Pediatric Sports Medicine Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2086S0120X",
        "Pediatric Surgery Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "2080T0004X",
        "Pediatric Transplant Hepatology Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2088P0231X",
        "Pediatric Urology Physician",
        SpecialtyGroup::Urology,
    ),
    s(
        "208000000X",
        "Pediatrics Physician",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "207SG0205X",
        "Ph.D. Medical Genetics Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "202K00000X",
        "Phlebology Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "208100000X",
        "Physical Medicine & Rehabilitation Physician",
        SpecialtyGroup::PhysicalMedicine,
    ),
    s(
        "207LP4000X",
        "Physician Nutrition Specialist (Anesthesiology)",
        SpecialtyGroup::Anesthesiology,
    ),
    s(
        "207QP0002X",
        "Physician Nutrition Specialist (Family Medicine)",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207RP1002X",
        "Physician Nutrition Specialist (Internal Medicine)",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "2080P1004X",
        "Physician Nutrition Specialist (Pediatrics)",
        SpecialtyGroup::Pediatrics,
    ),
    s(
        "2086P0122X",
        "Physician Nutrition Specialist (Surgery)",
        SpecialtyGroup::Surgery,
    ),
    s(
        "208200000X",
        "Plastic Surgery Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "2082S0099X",
        "Plastic Surgery Within the Head and Neck (Plastic Surgery) Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "207YX0007X",
        "Plastic Surgery within the Head & Neck (Otolaryngology) Physician",
        SpecialtyGroup::Otolaryngology,
    ),
    s(
        "2086S0122X",
        "Plastic and Reconstructive Surgery Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "2083P0500X",
        "Preventive Medicine/Occupational Environmental Medicine Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207NS0135X",
        "Procedural Dermatology Physician",
        SpecialtyGroup::Dermatology,
    ),
    s(
        "2084P0800X",
        "Psychiatry Physician",
        SpecialtyGroup::Psychiatry,
    ),
    s(
        "2084P0015X",
        "Psychosomatic Medicine Physician",
        SpecialtyGroup::Psychiatry,
    ),
    s(
        "2083P0901X",
        "Public Health & General Preventive Medicine Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207RP1001X",
        "Pulmonary Disease Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "2085R0001X",
        "Radiation Oncology Physician",
        SpecialtyGroup::Oncology,
    ),
    s(
        "2085R0205X",
        "Radiological Physics Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "207VE0102X",
        "Reproductive Endocrinology Physician",
        SpecialtyGroup::ObstetricsGynecology,
    ),
    s(
        "207WX0107X",
        "Retina Specialist (Ophthalmology) Physician",
        SpecialtyGroup::Ophthalmology,
    ),
    s(
        "207RR0500X",
        "Rheumatology Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "207QS1201X",
        "Sleep Medicine (Family Medicine) Physician",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207RS0012X",
        "Sleep Medicine (Internal Medicine) Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "207YS0012X",
        "Sleep Medicine (Otolaryngology) Physician",
        SpecialtyGroup::Otolaryngology,
    ),
    s(
        "2084S0012X",
        "Sleep Medicine (Psychiatry & Neurology) Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "2081P0004X",
        "Spinal Cord Injury Medicine Physician",
        SpecialtyGroup::PhysicalMedicine,
    ),
    s(
        "207PS0010X",
        "Sports Medicine (Emergency Medicine) Physician",
        SpecialtyGroup::EmergencyMedicine,
    ),
    s(
        "207QS0010X",
        "Sports Medicine (Family Medicine) Physician",
        SpecialtyGroup::FamilyMedicine,
    ),
    s(
        "207RS0010X",
        "Sports Medicine (Internal Medicine) Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "204C00000X",
        "Sports Medicine (Neuromusculoskeletal Medicine) Physician",
        SpecialtyGroup::PhysicalMedicine,
    ),
    s(
        "207XX0005X",
        "Sports Medicine (Orthopaedic Surgery) Physician",
        SpecialtyGroup::Orthopaedics,
    ),
    s(
        "2081S0010X",
        "Sports Medicine (Physical Medicine & Rehabilitation) Physician",
        SpecialtyGroup::PhysicalMedicine,
    ),
    s(
        "2083S0010X",
        "Sports Medicine (Preventive Medicine) Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "2084S0010X",
        "Sports Medicine (Psychiatry & Neurology) Physician",
        SpecialtyGroup::Neurology,
    ),
    s("208600000X", "Surgery Physician", SpecialtyGroup::Surgery),
    s(
        "2082S0105X",
        "Surgery of the Hand (Plastic Surgery) Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "2086S0105X",
        "Surgery of the Hand (Surgery) Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "2086S0102X",
        "Surgical Critical Care Physician",
        SpecialtyGroup::CriticalCare,
    ),
    s(
        "2086X0206X",
        "Surgical Oncology Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "2085R0203X",
        "Therapeutic Radiology Physician",
        SpecialtyGroup::Oncology,
    ),
    s(
        "208G00000X",
        "Thoracic Surgery (Cardiothoracic Vascular Surgery) Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "207RT0003X",
        "Transplant Hepatology Physician",
        SpecialtyGroup::InternalMedicine,
    ),
    s(
        "204F00000X",
        "Transplant Surgery Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "2086S0127X",
        "Trauma Surgery Physician",
        SpecialtyGroup::Surgery,
    ),
    s(
        "207PE0005X",
        "Undersea and Hyperbaric Medicine (Emergency Medicine) Physician",
        SpecialtyGroup::EmergencyMedicine,
    ),
    s(
        "2083P0011X",
        "Undersea and Hyperbaric Medicine (Preventive Medicine) Physician",
        SpecialtyGroup::OtherSpecialties,
    ),
    s(
        "207VF0040X",
        "Urogynecology and Reconstructive Pelvic Surgery (Obstetrics & Gynecology) Physician",
        SpecialtyGroup::ObstetricsGynecology,
    ),
    s(
        "2088F0040X",
        "Urogynecology and Reconstructive Pelvic Surgery (Urology) Physician",
        SpecialtyGroup::Urology,
    ),
    s("208800000X", "Urology Physician", SpecialtyGroup::Urology),
    s(
        "207WX0108X",
        "Uveitis and Ocular Inflammatory Disease (Ophthalmology) Physician",
        SpecialtyGroup::Ophthalmology,
    ),
    s(
        "2085R0204X",
        "Vascular & Interventional Radiology Physician",
        SpecialtyGroup::Radiology,
    ),
    s(
        "2084V0102X",
        "Vascular Neurology Physician",
        SpecialtyGroup::Neurology,
    ),
    s(
        "2086S0129X",
        "Vascular Surgery Physician",
        SpecialtyGroup::Surgery,
    ),
];

/// Looks a code up (exact, case-sensitive: NUCC codes are upper-case).
pub fn specialty(code: &str) -> Option<&'static Specialty> {
    SPECIALTIES.iter().find(|s| s.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for s in SPECIALTIES {
            assert!(seen.insert(s.code), "duplicate code {}", s.code);
            assert_eq!(s.code.len(), 10, "{}", s.code);
            assert!(s.code.ends_with('X'), "{}", s.code);
            assert!(
                s.code
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
                "{}",
                s.code
            );
            assert!(!s.display_name.trim().is_empty(), "{}", s.code);
        }
    }

    #[test]
    fn sorted_by_display_name() {
        for pair in SPECIALTIES.windows(2) {
            assert!(
                pair[0].display_name < pair[1].display_name,
                "{:?} before {:?}",
                pair[0].display_name,
                pair[1].display_name
            );
        }
    }

    #[test]
    fn every_group_has_a_specialty() {
        for g in SpecialtyGroup::ALL {
            assert!(
                SPECIALTIES.iter().any(|s| s.group == *g),
                "{g:?} has no specialty"
            );
        }
    }

    #[test]
    fn all_lists_every_group_once() {
        // Exhaustive match: adding a variant without listing it here fails to compile.
        fn listed(g: SpecialtyGroup) -> bool {
            match g {
                SpecialtyGroup::AllergyImmunology
                | SpecialtyGroup::Anesthesiology
                | SpecialtyGroup::Cardiology
                | SpecialtyGroup::CriticalCare
                | SpecialtyGroup::Dermatology
                | SpecialtyGroup::EmergencyMedicine
                | SpecialtyGroup::FamilyMedicine
                | SpecialtyGroup::HospitalMedicine
                | SpecialtyGroup::InternalMedicine
                | SpecialtyGroup::Neurology
                | SpecialtyGroup::ObstetricsGynecology
                | SpecialtyGroup::Oncology
                | SpecialtyGroup::Ophthalmology
                | SpecialtyGroup::Orthopaedics
                | SpecialtyGroup::Otolaryngology
                | SpecialtyGroup::Pathology
                | SpecialtyGroup::Pediatrics
                | SpecialtyGroup::PhysicalMedicine
                | SpecialtyGroup::Psychiatry
                | SpecialtyGroup::Radiology
                | SpecialtyGroup::Surgery
                | SpecialtyGroup::Urology
                | SpecialtyGroup::OtherSpecialties => SpecialtyGroup::ALL.contains(&g),
            }
        }
        let unique: HashSet<_> = SpecialtyGroup::ALL.iter().collect();
        assert_eq!(unique.len(), SpecialtyGroup::ALL.len());
        assert_eq!(SpecialtyGroup::ALL.len(), 23);
        for s in SPECIALTIES {
            assert!(listed(s.group));
        }
    }

    #[test]
    fn slugs_round_trip_and_are_kebab_case() {
        let mut seen = HashSet::new();
        for g in SpecialtyGroup::ALL {
            let slug = g.slug();
            assert!(seen.insert(slug), "duplicate slug {slug}");
            assert!(
                slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{slug}"
            );
            assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug}");
            assert_eq!(SpecialtyGroup::from_slug(slug), Some(*g));
            assert!(!g.name().is_empty());
        }
        assert_eq!(SpecialtyGroup::from_slug("Cardiology"), None);
        assert_eq!(SpecialtyGroup::from_slug(""), None);
        assert_eq!(
            SpecialtyGroup::EmergencyMedicine.slug(),
            "emergency-medicine"
        );
        assert_eq!(
            SpecialtyGroup::EmergencyMedicine.name(),
            "Emergency medicine"
        );
    }

    #[test]
    fn known_lookups() {
        let group = |code: &str| specialty(code).map(|s| s.group);
        assert_eq!(group("207RC0000X"), Some(SpecialtyGroup::Cardiology));
        assert_eq!(group("207P00000X"), Some(SpecialtyGroup::EmergencyMedicine));
        assert_eq!(group("208M00000X"), Some(SpecialtyGroup::HospitalMedicine));
        assert_eq!(group("207R00000X"), Some(SpecialtyGroup::InternalMedicine));
        assert_eq!(group("208000000X"), Some(SpecialtyGroup::Pediatrics));
        assert_eq!(group("208600000X"), Some(SpecialtyGroup::Surgery));
        assert_eq!(group("2084P0800X"), Some(SpecialtyGroup::Psychiatry));
        assert_eq!(group("2084N0400X"), Some(SpecialtyGroup::Neurology));
        assert_eq!(group("207RC0200X"), Some(SpecialtyGroup::CriticalCare));
        assert_eq!(group("207RX0202X"), Some(SpecialtyGroup::Oncology));
        assert_eq!(group("2085R0001X"), Some(SpecialtyGroup::Oncology));
        assert_eq!(group("2085R0202X"), Some(SpecialtyGroup::Radiology));
        assert_eq!(
            specialty("207RC0000X").map(|s| s.display_name),
            Some("Cardiovascular Disease Physician")
        );
    }

    #[test]
    fn unknown_codes_are_none() {
        assert_eq!(specialty("207RZ9999X"), None);
        assert_eq!(specialty("207rc0000x"), None);
        assert_eq!(specialty(""), None);
        // A real NUCC code outside the physician grouping (Registered Nurse).
        assert_eq!(specialty("163W00000X"), None);
    }
}
