//! Errors: why the server cannot start, and what is wrong with a request.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::PathBuf;

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Index(#[from] nhip_index::IndexError),
    #[error(transparent)]
    Trends(#[from] nhip_trends::TrendError),
    #[error("no index in {0}: build it first with `nhip run PIPELINE.toml` or `nhip index --index DIR INPUT...`")]
    NoIndex(PathBuf),
    #[error("cannot read token file {path}: {source}")]
    TokenFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("token file {0}: the token is empty (write a long random string into it)")]
    EmptyToken(PathBuf),
    #[error("refusing to listen on {0}: it is reachable from other machines; pass --token-file FILE so that every request needs the token, or listen on 127.0.0.1")]
    NeedsToken(std::net::SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
    #[error("cannot start the search threads: {0}")]
    Threads(String),
}

/// A request that cannot be answered: an HTTP status and a message for the person who sent it.
/// API routes answer it as JSON (`{"error": …, "field": …, "column": …}`); pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// The request parameter at fault, when one is.
    pub field: Option<&'static str>,
    /// For a query syntax error, its 1-based character column in `q`.
    pub column: Option<usize>,
    /// Seconds to wait before retrying (503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn bad_request(field: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            field: Some(field),
            column: None,
            retry_after: None,
        }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            field: None,
            column: None,
            retry_after: None,
        }
    }

    pub fn busy(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: message.into(),
            field: None,
            column: None,
            retry_after: Some(1),
        }
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
            field: None,
            column: None,
            retry_after: None,
        }
    }

    pub fn unauthorized() -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: "this server needs its token: send `Authorization: Bearer TOKEN`".into(),
            field: None,
            column: None,
            retry_after: None,
        }
    }

    /// A query that does not parse: the parser's message and column.
    pub fn query(error: &nhip_index::QueryError) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: error.to_string(),
            field: Some("q"),
            column: Some(error.column),
            retry_after: None,
        }
    }

    /// Adds `Retry-After` when set.
    pub(crate) fn decorate(&self, response: &mut Response) {
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"nhip\""),
            );
        }
    }
}

impl From<nhip_index::IndexError> for ApiError {
    fn from(error: nhip_index::IndexError) -> ApiError {
        match error {
            nhip_index::IndexError::Query(q) => ApiError::query(&q),
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": self.message,
            "field": self.field,
            "column": self.column,
        });
        let mut response = (self.status, axum::Json(body)).into_response();
        self.decorate(&mut response);
        response
    }
}
