//! `/api/sites`: the sites of partner organisations that report.

use crate::error::answers::{BadRequest, Invalid, ServerError, Unauthenticated, Unreadable};
use crate::{Actor, ApiError, ApiJson, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use peel_domain::field_error::FieldError;
use peel_store::casework::{NewSite, Site};

const ORGANISATION_KINDS: [&str; 4] = ["hospital", "business", "partner", "other"];

/// The casework service has no site action yet (sites are reference data), so the checks a
/// site needs are made here.
fn check(site: &NewSite) -> Result<(), FieldError> {
    for (field, value) in [("organisation", &site.organisation), ("name", &site.name)] {
        if value.trim().is_empty() {
            return Err(FieldError::new(field, "is required"));
        }
    }
    if !ORGANISATION_KINDS.contains(&site.organisation_kind.as_str()) {
        return Err(FieldError::new(
            "organisation_kind",
            format!("'{}' is not one of: {}", site.organisation_kind, ORGANISATION_KINDS.join(", ")),
        ));
    }
    if site.latitude.is_some_and(|l| !(-90.0..=90.0).contains(&l)) {
        return Err(FieldError::new("latitude", "must be between -90 and 90"));
    }
    if site.longitude.is_some_and(|l| !(-180.0..=180.0).contains(&l)) {
        return Err(FieldError::new("longitude", "must be between -180 and 180"));
    }
    Ok(())
}

/// Add a site
///
/// A site of a partner organisation (created if new) that reports: a hospital, a business, a partner.
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
    check(&site)?;
    let site = state.run(move |store, now| Ok(store.add_site(&site, &actor, now)?)).await?;
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
