//! `/api/sites`: the sites of partner organisations that report.

use crate::error::answers::{BadRequest, Invalid, ServerError, Unauthenticated, Unreadable};
use crate::{Actor, ApiError, ApiJson, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use peel_store::casework::{NewSite, Site};

/// Add a site
///
/// A site of a partner organisation (created if new) that reports: a hospital, a business, a partner.
/// Give its `postcode`: Peel places it (grid point, LSOA, ward, NPU, Impact Area) from the
/// postcode gazetteer, and its partner's reports take that place unless they give another.
#[utoipa::path(
    post, path = "/api/sites", tag = "sites", operation_id = "createSite",
    request_body = NewSite,
    responses((status = 201, description = "Created", body = Site), BadRequest, Unauthenticated, Invalid, Unreadable, ServerError)
)]
pub async fn create(
    State(state): State<AppState>,
    Actor(actor): Actor,
    ApiJson(site): ApiJson<NewSite>,
) -> Result<(StatusCode, Json<Site>), ApiError> {
    let site = state.run(move |store, now| Ok(peel_casework::add_site(store, &site, &actor, now)?)).await?;
    Ok((StatusCode::CREATED, Json(site)))
}

/// List sites
///
/// Every site.
#[utoipa::path(
    get, path = "/api/sites", tag = "sites", operation_id = "listSites",
    responses((status = 200, description = "OK", body = Vec<Site>), ServerError)
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Site>>, ApiError> {
    Ok(Json(state.run(|store, _| Ok(store.sites()?)).await?))
}
