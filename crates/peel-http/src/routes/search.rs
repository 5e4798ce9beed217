//! `/api/search`: the search box's answers as JSON (peel-casework `search`), within the
//! reach of the account asking; every person and crime answered is logged as disclosed.

use crate::error::answers::{BadRequest, ServerError};
use crate::{ActorReach, ApiError, ApiQuery, AppState, Disclosed};
use axum::extract::State;
use axum::Json;
use peel_casework::search::{self, SearchResults};
use serde::Deserialize;
use utoipa::IntoParams;

/// The last page a search may ask for: past it the offset would be more than the stores take.
const MAX_PAGE: usize = 10_000;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What to look for: a reference (CRM-2026-000123, RPT-…, INC-…), a postcode, an offence
    /// (code or words), an officer (name, username or collar number), or a person's name,
    /// misspelt or not, with or without a date of birth (YYYY-MM-DD or DD/MM/YYYY).
    #[param(example = "Avery Exampel 01/05/1990")]
    q: String,
    /// The page of crimes, from 1 (25 a page); default 1.
    page: Option<usize>,
}

/// Search the records
///
/// Everything found is within the account's reach: an officer's own and their team's crimes
/// (and the people on them), a team supervisor's team's, the force for the force-wide roles.
/// People come closest first (at most 25); crimes newest first, a page at a time, with the
/// total (`crimes_capped` when the count stopped at 10,000).
#[utoipa::path(
    get, path = "/api/search", tag = "search", operation_id = "search", params(SearchQuery),
    responses((status = 200, description = "OK", body = SearchResults), BadRequest, ServerError)
)]
pub async fn search(
    State(state): State<AppState>,
    ActorReach(reach): ActorReach,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<(Disclosed, Json<SearchResults>), ApiError> {
    let page = q.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let results = state.run(move |store, _| Ok(search::search(store, &q.q, &reach, page)?)).await?;
    Ok((disclosed(&results), Json(results)))
}

/// What a search's answer discloses, for the access log: the record named, the people, the
/// crimes.
pub fn disclosed(r: &SearchResults) -> Disclosed {
    let mut d = Disclosed::list("person", r.people.iter().map(|p| p.id)).and("crime", r.crimes.iter().map(|c| c.id));
    if let Some(hit) = &r.record {
        let entity = match hit.kind.as_str() {
            "crime" => "crime",
            "report" => "report",
            _ => "incident",
        };
        d = d.and(entity, [hit.id]);
    }
    d
}
