//! The curated part of the resource hub: help every Huddle deployment shows, with the
//! facts sourced in the project's research notes. Organizations add their own entries
//! (their EAP, coaching, local peer support) beside these.

/// Kinds of help, in the order the hub lists them.
pub const KINDS: [(&str, &str); 8] = [
    ("crisis", "Crisis help"),
    ("php", "Physician health programs"),
    ("eap", "Employee assistance"),
    ("professional", "Confidential professional care"),
    ("coaching", "Coaching"),
    ("peer", "Peer support"),
    ("learning", "Self-care and learning"),
    ("guide", "Guides for leaders"),
];

/// The structural drivers of the Work Environment Pulse, by the pulse's linkIds.
pub const DRIVERS: [(&str, &str); 9] = [
    ("workload", "Workload"),
    ("documentation", "Documentation and EHR burden"),
    ("after-hours", "After-hours work"),
    ("interruptions", "Interruptions"),
    ("schedule-control", "Control over schedule"),
    ("teamwork", "Teamwork"),
    ("values", "Values alignment"),
    ("leadership", "Leadership support"),
    ("isolation", "Isolation from colleagues"),
];

pub struct CuratedResource {
    pub slug: &'static str,
    pub title: &'static str,
    pub body: &'static str,
    pub contact: &'static str,
    pub url: &'static str,
    pub kind: &'static str,
    /// `individual` or `organizational`.
    pub level: &'static str,
    pub drivers: &'static str,
    pub audience: &'static str,
}

pub const CURATED: [CuratedResource; 14] = [
    CuratedResource {
        slug: "988-lifeline",
        title: "988 Suicide & Crisis Lifeline",
        body: "Call or text 988, or chat online: free, confidential, 24 hours a day. Fewer than 2% of calls involve emergency services.",
        contact: "Call or text 988",
        url: "https://988lifeline.org",
        kind: "crisis",
        level: "individual",
        drivers: "",
        audience: "clinician,physician",
    },
    CuratedResource {
        slug: "physician-support-line",
        title: "Physician Support Line",
        body: "Free, confidential peer support from volunteer psychiatrists for physicians and medical students, 8 am to 1 am Eastern, every day, no appointment. Not a doctor-patient relationship, so nothing to report to a board.",
        contact: "1-888-409-0141",
        url: "https://www.physiciansupportline.com",
        kind: "crisis",
        level: "individual",
        drivers: "",
        audience: "physician",
    },
    CuratedResource {
        slug: "state-php",
        title: "State physician health programs (FSPHP directory)",
        body: "Confidential assessment, referral to treatment and support for physicians with mental health, substance use or medical conditions: a therapeutic alternative to discipline, often with safe-haven provisions. Find your state's program in the FSPHP directory.",
        contact: "",
        url: "https://www.fsphp.org/state-member-programs",
        kind: "php",
        level: "individual",
        drivers: "",
        audience: "physician",
    },
    CuratedResource {
        slug: "eap-about",
        title: "Your employee assistance program (EAP)",
        body: "Free, confidential assessment, short-term counselling and referral for stress, grief, family or substance use concerns. Your organization lists its EAP contact in this hub.",
        contact: "",
        url: "",
        kind: "eap",
        level: "individual",
        drivers: "",
        audience: "clinician,physician",
    },
    CuratedResource {
        slug: "confidential-care",
        title: "Seeing a clinician confidentially",
        body: "Depression and anxiety are common and treatable, in physicians as in everyone. Many licensing boards now ask only about current impairment, and help-seeking through Huddle is never shared with your employer or a board. A clinician outside your own organization, your EAP or your state PHP can see you confidentially.",
        contact: "",
        url: "https://drlornabreen.org/identifying-the-champions/",
        kind: "professional",
        level: "individual",
        drivers: "",
        audience: "clinician,physician",
    },
    CuratedResource {
        slug: "peer-support-colleagues",
        title: "Peer support: talk with a colleague",
        body: "Talking with a colleague who has been there helps. The Physician Support Line connects you with a physician volunteer; your organization may run its own peer support program, listed here.",
        contact: "1-888-409-0141",
        url: "https://www.physiciansupportline.com",
        kind: "peer",
        level: "individual",
        drivers: "isolation",
        audience: "clinician,physician",
    },
    CuratedResource {
        slug: "coaching",
        title: "Professional coaching",
        body: "Coaching helps with boundaries, career choices and the parts of the job you can shape. Ask your organization whether it funds coaching for clinicians.",
        contact: "",
        url: "",
        kind: "coaching",
        level: "individual",
        drivers: "values,schedule-control",
        audience: "clinician,physician",
    },
    CuratedResource {
        slug: "self-care-basics",
        title: "Recovery between shifts",
        body: "Sleep, time off that is really off, movement and time with people outside medicine all help recovery. They do not fix a broken workload; raise structural problems through the pulse.",
        contact: "",
        url: "",
        kind: "learning",
        level: "individual",
        drivers: "after-hours",
        audience: "clinician,physician",
    },
    CuratedResource {
        slug: "guide-workload",
        title: "Guide: redesign workload",
        body: "Set panel sizes and schedules to the time care really takes, add team support where demand exceeds capacity, and review workload with clinicians each quarter.",
        contact: "",
        url: "https://nam.edu/initiatives/clinician-resilience-and-well-being/",
        kind: "guide",
        level: "organizational",
        drivers: "workload,schedule-control",
        audience: "leader",
    },
    CuratedResource {
        slug: "guide-documentation",
        title: "Guide: cut documentation burden",
        body: "Remove low-value documentation and inbox messages, use team documentation or scribes, and protect time for notes inside the working day.",
        contact: "",
        url: "https://edhub.ama-assn.org/steps-forward",
        kind: "guide",
        level: "organizational",
        drivers: "documentation,after-hours",
        audience: "leader",
    },
    CuratedResource {
        slug: "guide-after-hours-paging",
        title: "Guide: remove after-hours paging",
        body: "Route non-urgent messages to the next shift or the covering clinician, reserve interruptions for what cannot wait, and measure notifications per shift. Huddle's routing does this.",
        contact: "",
        url: "",
        kind: "guide",
        level: "organizational",
        drivers: "interruptions,after-hours",
        audience: "leader",
    },
    CuratedResource {
        slug: "guide-peer-connection",
        title: "Guide: rebuild peer connection",
        body: "Protect time for colleagues to meet: shared meals, small-group discussion programs, and spaces for case-based conversation between specialties.",
        contact: "",
        url: "",
        kind: "guide",
        level: "organizational",
        drivers: "isolation,teamwork",
        audience: "leader",
    },
    CuratedResource {
        slug: "guide-leadership",
        title: "Guide: leadership that supports clinicians",
        body: "Leaders who inform, ask for input, recognize work and support career development lower burnout in their teams; sustained senior leadership is the key (Shanafelt and Noseworthy, Mayo Clin Proc 2017).",
        contact: "",
        url: "https://www.mayoclinicproceedings.org/article/S0025-6196(16)30625-5/fulltext",
        kind: "guide",
        level: "organizational",
        drivers: "leadership",
        audience: "leader",
    },
    CuratedResource {
        slug: "guide-values",
        title: "Guide: align work with values",
        body: "Ask clinicians which parts of the work matter most to them and protect time for it; make decisions about care models with them, not for them.",
        contact: "",
        url: "",
        kind: "guide",
        level: "organizational",
        drivers: "values,teamwork",
        audience: "leader",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_a_known_kind_level_and_drivers() {
        for r in &CURATED {
            assert!(KINDS.iter().any(|(k, _)| *k == r.kind), "{}", r.slug);
            assert!(
                r.level == "individual" || r.level == "organizational",
                "{}",
                r.slug
            );
            for d in r.drivers.split(',').filter(|d| !d.is_empty()) {
                assert!(DRIVERS.iter().any(|(k, _)| *k == d), "{}: {d}", r.slug);
            }
        }
        let slugs: std::collections::HashSet<_> = CURATED.iter().map(|r| r.slug).collect();
        assert_eq!(slugs.len(), CURATED.len());
    }

    #[test]
    fn every_structural_driver_has_a_leader_guide() {
        let guided: Vec<&str> = CURATED
            .iter()
            .filter(|r| r.kind == "guide")
            .flat_map(|r| r.drivers.split(','))
            .collect();
        for (driver, _) in DRIVERS {
            assert!(guided.contains(&driver), "no guide for {driver}");
        }
    }
}
