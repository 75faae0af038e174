//! The intent catalogue of `shared/spec/intents.md`: ids every content set must define.

use crate::Kind;

/// Every intent id of the spec, with its kind. Content may add more, never drop these.
pub const CATALOGUE: &[(&str, Kind)] = &[
    ("fever", Kind::Advisory),
    ("weight_loss", Kind::Advisory),
    ("bowel_bladder", Kind::Advisory),
    ("sensation_loss", Kind::Advisory),
    ("numb_legs", Kind::Warning),
    ("pain_when_cracking", Kind::Warning),
    ("swelling_redness_warmth", Kind::Warning),
    ("stiffness_not_improving", Kind::Warning),
    ("radiating_leg_pain", Kind::Warning),
    ("crack_lower_back", Kind::Answer),
    ("crack_chair", Kind::Answer),
    ("crack_ground", Kind::Answer),
    ("crack_lying_twist", Kind::Answer),
    ("release_tension", Kind::Answer),
    ("stretches", Kind::Answer),
    ("stretch_seated_trunk_rotation", Kind::Answer),
    ("stretch_yoga_spine_twist", Kind::Answer),
    ("stretch_knee_to_chest", Kind::Answer),
    ("stretch_pelvic_tilt", Kind::Answer),
    ("heat_cold_therapy", Kind::Answer),
    ("tension_causes", Kind::Answer),
    ("why_back_cracks", Kind::Answer),
    ("cracking_benefits", Kind::Answer),
    ("cracking_risks", Kind::Answer),
    ("prevent_damage", Kind::Answer),
    ("alternatives", Kind::Answer),
    ("unlock_lower_back", Kind::Answer),
    ("stenosis_cracking", Kind::Answer),
    ("stenosis_stretches", Kind::Answer),
    ("stenosis_symptoms", Kind::Answer),
    ("when_to_see_doctor", Kind::Answer),
    ("greeting", Kind::Answer),
    ("help", Kind::Answer),
];

/// The techniques offered by `/crack`: (choice name, intent id).
pub const TECHNIQUES: &[(&str, &str)] = &[
    ("chair", "crack_chair"),
    ("ground", "crack_ground"),
    ("twist", "crack_lying_twist"),
];

/// The stretches offered by `/stretch`: (choice name, intent id).
pub const STRETCHES: &[(&str, &str)] = &[
    ("trunk", "stretch_seated_trunk_rotation"),
    ("yoga", "stretch_yoga_spine_twist"),
    ("knee", "stretch_knee_to_chest"),
    ("pelvic", "stretch_pelvic_tilt"),
];
