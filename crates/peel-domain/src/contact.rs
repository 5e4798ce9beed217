//! How a victim is contacted: the one list the service checks, the crime page offers, the
//! store keeps and the demo draws from (before this type it was written out in three places
//! that had drifted). Victims' Code 2021, right 1 onwards: the Code leaves the means to the
//! force, so these are the means WMP's five-step standard (seed 002) uses — a call, a visit,
//! a letter, an e-mail, a text message — and a video call.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ContactMethod {
    Phone,
    Visit,
    Letter,
    Email,
    Sms,
    Video,
}

impl ContactMethod {
    pub const ALL: [ContactMethod; 6] = [
        ContactMethod::Phone,
        ContactMethod::Visit,
        ContactMethod::Letter,
        ContactMethod::Email,
        ContactMethod::Sms,
        ContactMethod::Video,
    ];

    /// The word stored and sent: "phone", "sms".
    pub fn word(self) -> &'static str {
        match self {
            ContactMethod::Phone => "phone",
            ContactMethod::Visit => "visit",
            ContactMethod::Letter => "letter",
            ContactMethod::Email => "email",
            ContactMethod::Sms => "sms",
            ContactMethod::Video => "video",
        }
    }

    /// The words a person reads: "Phone", "Text message".
    pub fn label(self) -> &'static str {
        match self {
            ContactMethod::Phone => "Phone",
            ContactMethod::Visit => "Visit",
            ContactMethod::Letter => "Letter",
            ContactMethod::Email => "Email",
            ContactMethod::Sms => "Text message",
            ContactMethod::Video => "Video call",
        }
    }

    pub fn parse(word: &str) -> Option<ContactMethod> {
        ContactMethod::ALL.into_iter().find(|m| m.word() == word)
    }
}

impl std::fmt::Display for ContactMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_method_reads_back_from_its_word_and_serialises_as_it() {
        for m in ContactMethod::ALL {
            assert_eq!(ContactMethod::parse(m.word()), Some(m));
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{}\"", m.word()));
        }
        assert_eq!(ContactMethod::parse("fax"), None);
        assert_eq!(ContactMethod::parse("Phone"), None, "words are lower case");
    }
}
