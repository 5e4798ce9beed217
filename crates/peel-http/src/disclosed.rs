//! What an answer showed of records holding personal data, for the access log.
//!
//! A handler that shows records attaches a [`Disclosed`] to its answer (it is a response
//! part: `Ok((Disclosed::read("crime", id), Json(file)))`); it names the records and how
//! they were shown, nothing else. The API's router stamps it with the acting user (the
//! [`crate::Actor`] the web application's gate hands on after signing the caller in by
//! session or token); a page sets it itself ([`Disclosed::by`]). `peel-web`'s access-log
//! middleware writes one audit entry per record before the answer leaves (Data Protection
//! Act 2018 s.62), or answers 503 if it cannot; the API is only ever served behind it.

use axum::response::{IntoResponseParts, ResponseParts};
pub use peel_store::audit::Access;

/// The records an answer showed, how, and to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosed {
    pub access: Access,
    pub records: Vec<(&'static str, i64)>,
    /// The username shown them; `None` until the router or the page names them.
    pub actor: Option<String>,
}

impl Disclosed {
    /// `entity` records `ids`, shown as `access`.
    pub fn new(access: Access, entity: &'static str, ids: impl IntoIterator<Item = i64>) -> Disclosed {
        Disclosed { access, records: ids.into_iter().map(|id| (entity, id)).collect(), actor: None }
    }

    /// One record: a page or an API read of it.
    pub fn read(entity: &'static str, id: i64) -> Disclosed {
        Disclosed::new(Access::Read, entity, [id])
    }

    /// The rows of a list, one record each.
    pub fn list(entity: &'static str, ids: impl IntoIterator<Item = i64>) -> Disclosed {
        Disclosed::new(Access::List, entity, ids)
    }

    /// More records shown by the same answer.
    pub fn and(mut self, entity: &'static str, ids: impl IntoIterator<Item = i64>) -> Disclosed {
        self.records.extend(ids.into_iter().map(|id| (entity, id)));
        self
    }

    /// Shown to `username`.
    pub fn by(mut self, username: &str) -> Disclosed {
        self.actor = Some(username.to_string());
        self
    }
}

impl IntoResponseParts for Disclosed {
    type Error = std::convert::Infallible;
    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        res.extensions_mut().insert(self);
        Ok(res)
    }
}

/// The API router's layer: names the acting user (the [`crate::Actor`] the sign-in gate
/// handed on) on a [`Disclosed`] the handler attached.
pub(crate) async fn name_the_actor(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let actor = req.extensions().get::<crate::Actor>().map(|a| a.0.clone());
    let mut res = next.run(req).await;
    if let Some(d) = res.extensions_mut().get_mut::<Disclosed>() {
        if d.actor.is_none() {
            d.actor = actor;
        }
    }
    res
}
