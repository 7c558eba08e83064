pub mod fixture;
pub mod http;
