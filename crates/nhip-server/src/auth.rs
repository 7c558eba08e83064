//! The token: off loopback every request must present it, as `Authorization: Bearer TOKEN`
//! (the API) or as the cookie the login form sets (the pages). Compared in constant time.

use crate::params::{percent_decode, percent_encode, Params};
use crate::{error_response, html, is_api, ApiError, AppState};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;
use subtle::ConstantTimeEq;

const COOKIE: &str = "nhip_token";
/// Largest login form accepted.
const MAX_FORM_BYTES: usize = 8 * 1024;

/// Equal in time independent of where the strings differ.
pub(crate) fn token_matches(presented: &str, token: &str) -> bool {
    bool::from(presented.as_bytes().ct_eq(token.as_bytes()))
}

fn presented_tokens(headers: &HeaderMap) -> Vec<String> {
    let mut found = Vec::new();
    for value in headers.get_all(header::AUTHORIZATION) {
        if let Some(token) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) {
            found.push(token.trim().to_string());
        }
    }
    for value in headers.get_all(header::COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            if let Some(encoded) = pair
                .trim()
                .strip_prefix(COOKIE)
                .and_then(|r| r.strip_prefix('='))
            {
                if let Ok(token) = percent_decode(encoded) {
                    found.push(token);
                }
            }
        }
    }
    found
}

/// A local path to return to after logging in (never another site).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

pub(crate) async fn require_token(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(token) = &state.token else {
        return next.run(request).await;
    };
    let path = request.uri().path();
    if path == "/login" || path.starts_with("/assets/") {
        return next.run(request).await;
    }
    if presented_tokens(request.headers())
        .iter()
        .any(|p| token_matches(p, token))
    {
        return next.run(request).await;
    }
    if is_api(path) {
        return ApiError::unauthorized().into_response();
    }
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    Redirect::to(&format!("/login?next={}", percent_encode(&target))).into_response()
}

pub(crate) async fn login_form(
    State(state): State<Arc<AppState>>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let params = Params::parse(raw.as_deref()).unwrap_or_default();
    html::login_page(state.labels, &safe_next(params.get("next")), false).into_response()
}

pub(crate) async fn login(State(state): State<Arc<AppState>>, body: Body) -> Response {
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return error_response(
            &state,
            false,
            ApiError::bad_request("token", "the login form is too large"),
        );
    };
    let params = match std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::bad_request("token", "the login form is not UTF-8"))
        .and_then(|text| Params::parse(Some(text)))
    {
        Ok(p) => p,
        Err(e) => return error_response(&state, false, e),
    };
    let next = safe_next(params.get("next"));
    let presented = params.get("token").unwrap_or("");
    match &state.token {
        Some(token) if token_matches(presented, token) => {
            let cookie = format!(
                "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
                percent_encode(token)
            );
            let mut response = Redirect::to(&next).into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Some(_) => {
            // Slow down guessing.
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            (
                StatusCode::UNAUTHORIZED,
                html::login_page(state.labels, &next, true),
            )
                .into_response()
        }
        None => Redirect::to(&next).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_redirects() {
        assert!(token_matches("s3cret-token", "s3cret-token"));
        assert!(!token_matches("s3cret-tokeN", "s3cret-token"));
        assert!(!token_matches("s3cret", "s3cret-token"));
        assert_eq!(safe_next(Some("/topics?x=1")), "/topics?x=1");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", ""] {
            assert_eq!(safe_next(Some(bad)), "/");
        }
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; nhip_token=x%20y"),
        );
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert_eq!(presented_tokens(&headers), ["abc", "x y"]);
    }
}
