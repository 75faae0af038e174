//! NegEx-style negation scope: is a symptom phrase denied by a negation word a
//! few words before it, within the same clause?

/// How many words before a phrase a negation may stand.
const WINDOW: usize = 5;

/// Words that deny what follows them.
const TRIGGERS: &[&str] = &[
    "no", "not", "never", "without", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent",
    "havent", "hasnt", "hadnt", "wont", "nor", "neither", "denies", "deny", "denied", "none",
    "zero", "nope", "nah", "free",
];

/// Words that end a negation's scope.
const BREAKERS: &[&str] = &[
    ".", ",", "but", "and", "however", "though", "although", "except", "yet", "because", "since",
    "cause", "cuz", "so", "while", "whereas", "now", "then", "still", "apart", "besides", "plus",
    "also",
];

/// Two-word phrases that start with a trigger but do not deny ("not sure if",
/// "no longer", "not only"): when unsure, escalate.
const PSEUDO: &[(&str, &[&str])] = &[
    (
        "not",
        &[
            "sure",
            "certain",
            "only",
            "just",
            "even",
            "100",
            "totally",
            "completely",
            "really",
            "to",
            "gonna",
            "going",
            "kidding",
            "lying",
            "exaggerating",
        ],
    ),
    (
        "no",
        &[
            "idea",
            "longer",
            "doubt",
            "clue",
            "matter",
            "way",
            "joke",
            "lie",
            "lies",
            "kidding",
            "cap",
            "wonder",
            "offense",
            "offence",
            "exaggeration",
        ],
    ),
    ("dont", &["know", "think", "remember", "understand"]),
    ("doesnt", &["matter", "help", "go", "stop"]),
    ("didnt", &["know", "help", "stop"]),
    ("never", &["mind", "stops", "goes"]),
    ("wont", &["stop", "go", "goes", "help"]),
    ("free", &["time"]),
];

/// True when the phrase starting at byte `start` of normalised `text` is denied.
pub fn is_negated(text: &str, start: usize) -> bool {
    let before = match text.get(..start) {
        Some(b) => b,
        None => return false,
    };
    // The words before the phrase, nearest first, up to a scope breaker.
    let mut window: Vec<&str> = Vec::with_capacity(WINDOW);
    for tok in before.split(' ').rev().filter(|t| !t.is_empty()) {
        if BREAKERS.contains(&tok) || window.len() == WINDOW {
            break;
        }
        window.push(tok);
    }
    // window[k] is followed (in reading order) by window[k - 1].
    for (k, tok) in window.iter().enumerate() {
        if !TRIGGERS.contains(tok) {
            continue;
        }
        let next = if k == 0 { None } else { Some(window[k - 1]) };
        let pseudo = PSEUDO
            .iter()
            .any(|(t, nexts)| t == tok && next.is_some_and(|n| nexts.contains(&n)));
        if !pseudo {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::is_negated;

    fn neg(text: &str, phrase: &str) -> bool {
        let start = text.find(phrase).expect("phrase in text");
        is_negated(text, start)
    }

    #[test]
    fn denied_symptoms() {
        assert!(neg("no fever , just stiff", "fever"));
        assert!(neg("not numb , only tight", "numb"));
        assert!(neg("i dont have a fever", "fever"));
        assert!(neg("never had any numbness", "numbness"));
    }

    #[test]
    fn scope_ends_at_breakers_and_distance() {
        assert!(!neg("no fever but my legs are numb", "numb"));
        assert!(!neg("no fever . numb legs", "numb"));
        assert!(!neg("i have no fever and numb legs", "numb"));
        assert!(!neg("no way i could ever guess that numb", "numb"));
    }

    #[test]
    fn pseudo_negations_still_escalate() {
        assert!(!neg("not sure if i have a fever", "fever"));
        assert!(!neg("no joke i cant feel my legs", "cant"));
        assert!(!neg("not to mention i peed myself", "peed"));
        assert!(!neg("i dont know why i have a fever", "fever"));
    }
}
