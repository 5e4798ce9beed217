//! Words the synthetic force is made of: given names, surnames, business and street names.
//!
//! People are synthetic: a name is a given name and a surname drawn independently from
//! these short lists of common names in England and Wales (ONS baby-name tables and the
//! commonest surnames, including the South Asian, Caribbean and Eastern European names of
//! the West Midlands), so no generated person is anyone in particular. No word here appears
//! in the seed documents (the test `names_are_not_in_the_seeds` checks it where the seeds
//! are at hand): no name of a real person from the seeds can be generated.

/// A name as another officer might type it, hearing it or copying it in a hurry: the family
/// name with one slip ([`slips`]), for the nominal index's possible duplicates to find.
pub fn typed_again(name: &str, rng: &mut crate::rng::Rng) -> String {
    let Some((given, family)) = name.rsplit_once(' ') else { return name.to_string() };
    let all = slips(family);
    if all.is_empty() {
        return name.to_string();
    }
    format!("{given} {}", all[rng.below(all.len())])
}

/// Every way a family name is typed with one slip: a vowel heard as another ("Smith" as
/// "Smyth"), a doubled letter typed once or a letter doubled, two letters after the first
/// swapped, the last letter dropped; none that is a word of the seed documents ([`AVOID`]:
/// the test `names_are_not_in_the_seeds` checks every one).
pub fn slips(family: &str) -> Vec<String> {
    let letters: Vec<char> = family.chars().collect();
    let n = letters.len();
    let mut out: Vec<String> = Vec::new();
    let mut add = |v: Vec<char>| {
        let v: String = v.into_iter().collect();
        if v != family && !AVOID.contains(&v.as_str()) && !out.contains(&v) {
            out.push(v);
        }
    };
    for i in 1..n {
        let heard = match letters[i] {
            'i' => 'y',
            'y' => 'i',
            'e' => 'a',
            'a' => 'e',
            'o' => 'u',
            'u' => 'o',
            _ => continue,
        };
        let mut v = letters.clone();
        v[i] = heard;
        add(v);
    }
    for i in 1..n {
        let mut v = letters.clone();
        if letters[i] == letters[i - 1] {
            v.remove(i);
        } else {
            v.insert(i, letters[i]);
        }
        add(v);
    }
    for i in 1..n.saturating_sub(1) {
        let mut v = letters.clone();
        v.swap(i, i + 1);
        add(v);
    }
    if n > 4 {
        add(letters[..n - 1].to_vec());
    }
    out
}

/// Slips of the surnames below that are words of the seed documents.
pub const AVOID: &[&str] = &["More", "Richard"];

pub const GIVEN_FEMALE: &[&str] = &[
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Sophia",
    "Freya",
    "Emily",
    "Ella",
    "Poppy",
    "Evie",
    "Aisha",
    "Fatima",
    "Maryam",
    "Zainab",
    "Amira",
    "Priya",
    "Anika",
    "Simran",
    "Chloe",
    "Jessica",
    "Megan",
    "Lauren",
    "Hannah",
    "Sarah",
    "Emma",
    "Rebecca",
    "Charlotte",
    "Jade",
    "Shannon",
    "Kerry",
    "Nicola",
    "Michelle",
    "Karen",
    "Susan",
    "Margaret",
    "Patricia",
    "Aaliyah",
    "Imani",
    "Chantelle",
    "Natalia",
    "Zofia",
    "Harpreet",
    "Nadia",
    "Leah",
    "Abigail",
    "Layla",
];

pub const GIVEN_MALE: &[&str] = &[
    "Oliver", "Muhammad", "Harry", "Jack", "George", "Noah", "Leo", "Arthur", "Oscar", "Charlie", "Jacob", "Alfie",
    "Freddie", "William", "Joshua", "Daniel", "Samuel", "Adam", "Ibrahim", "Yusuf", "Hamza", "Omar", "Aarav", "Arjun",
    "Rohan", "Kwame", "Tyler", "Kyle", "Liam", "Ryan", "Connor", "Jordan", "Callum", "Nathan", "Gary", "Dean", "Kevin",
    "Jamal", "Tariq", "Bilal", "Harjit", "Jakub", "Marcus", "Reuben", "Ethan", "Lewis", "Dylan", "Kieran", "Imran",
    "Stephen",
];

pub const SURNAMES: &[&str] = &[
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Davies",
    "Evans",
    "Wilson",
    "Johnson",
    "Roberts",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Turner",
    "Martin",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Ali",
    "Hussain",
    "Ahmed",
    "Begum",
    "Akhtar",
    "Mahmood",
    "Iqbal",
    "Rahman",
    "Singh",
    "Kaur",
    "Sharma",
    "Gill",
    "Sandhu",
    "Campbell",
    "Francis",
    "Grant",
    "Brooks",
    "Reid",
    "Nguyen",
    "Kowalski",
    "Nowak",
    "Murray",
    "Kennedy",
    "Bibi",
    "Chauhan",
    "Mistry",
    "Bashir",
];

/// A business victim is "<surname> <suffix>": the shops, pubs and firms of a synthetic town.
pub const BUSINESS_SUFFIXES: &[&str] = &[
    "Convenience Store",
    "Stores Ltd",
    "& Sons Ltd",
    "Motors Ltd",
    "Pharmacy",
    "Food Centre",
    "Off Licence",
    "Hardware",
    "Superstore",
    "Builders Ltd",
    "Fuel Station",
    "Fashions",
    "Electricals",
];

/// Street names are "<stem> <suffix>": common English street names, not real addresses.
pub const STREET_STEMS: &[&str] = &[
    "Church",
    "Station",
    "Victoria",
    "Park",
    "Mill",
    "High",
    "Albert",
    "Queens",
    "Kings",
    "Grove",
    "Oak",
    "Birch",
    "Coronation",
    "Windsor",
    "Springfield",
    "Manor",
    "School",
    "Chapel",
    "Meadow",
    "Brook",
    "Canal",
    "Market",
    "Bridge",
    "Orchard",
    "Elm",
    "Ash",
    "Cedar",
    "Willow",
    "Beech",
    "Hawthorn",
    "Holly",
    "Poplar",
    "Forge",
    "Foundry",
    "Furnace",
    "Colliery",
    "Wharf",
    "Tannery",
    "Chain",
    "Nail",
    "Glebe",
    "Stanley",
    "Clarence",
    "Alexandra",
    "Warwick",
    "Stafford",
    "Lichfield",
    "Coventry",
    "Hagley",
    "Tamworth",
];

pub const STREET_SUFFIXES: &[&str] =
    &["Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Crescent", "Grove", "Walk", "Place", "Rise"];

/// Organisations that are victims without being people or shops.
pub const STATE_VICTIM: &str = "The Crown (state-based crime)";
