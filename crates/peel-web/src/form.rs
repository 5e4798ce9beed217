//! POSTed forms: `application/x-www-form-urlencoded` bodies (repeated names kept, as
//! checkboxes send them), and the extractor every POST handler takes, [`PostForm`], which
//! signs the user in from the session and refuses the request (403) unless it carries the
//! session's CSRF token and comes from this origin.

use crate::auth::{same_origin, User};
use crate::{WebError, WebState};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};

/// A form's fields in the order sent.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> FormData {
        let text = String::from_utf8_lossy(body);
        FormData(
            text.split('&')
                .filter(|p| !p.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// The value of `name`, trimmed; `None` if empty.
    pub fn opt(&self, name: &str) -> Option<String> {
        let v = self.get(name).trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    /// Every value of `name` (checkboxes).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
}

/// Percent-decoding with `+` as a space; invalid escapes are kept as they are.
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// A POSTed form from a signed-in user, checked: same origin, the session's CSRF token.
pub struct PostForm {
    pub user: User,
    pub form: FormData,
}

/// The largest form body read (a report's account is the longest field).
const MAX_FORM: usize = 256 * 1024;

impl FromRequest<WebState> for PostForm {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &WebState) -> Result<Self, WebError> {
        let (mut parts, body) = req.into_parts();
        if !same_origin(&parts.headers) {
            return Err(WebError::Forbidden("The form was sent from another site.".into()));
        }
        let user = User::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, &())
            .await
            .map_err(|e| WebError::BadRequest(format!("the form could not be read: {}", e.body_text())))?;
        if bytes.len() > MAX_FORM {
            return Err(WebError::BadRequest("the form is too large".into()));
        }
        let form = FormData::parse(&bytes);
        if !crate::auth::constant_time_eq(form.get("_csrf").as_bytes(), user.csrf.as_bytes()) {
            return Err(WebError::Forbidden(
                "The form's security token is missing or out of date. Go back, reload the page and try again.".into(),
            ));
        }
        Ok(PostForm { user, form })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_forms_with_repeated_names() {
        let f = FormData::parse(b"a=1&meets=3&meets=4&text=A%26E+waiting%20area&bad=%zz&empty=");
        assert_eq!(f.get("a"), "1");
        assert_eq!(f.all("meets"), ["3", "4"]);
        assert_eq!(f.get("text"), "A&E waiting area");
        assert_eq!(f.get("bad"), "%zz");
        assert_eq!(f.opt("empty"), None);
        assert_eq!(f.get("missing"), "");
        assert_eq!(FormData::parse("k=%C3%A9".as_bytes()).get("k"), "é");
    }
}
