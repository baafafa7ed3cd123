//! palisade-webhook: a validating and mutating admission webhook over the scanner's own engine and rules.
//!
//! `AdmissionReview` (admission.k8s.io/v1) in, the object loaded with the scanner's loader, checked by the
//! scanner's engine, each finding mapped to enforce / warn / audit by [`config::WebhookConfig`], and an
//! `AdmissionResponse` out. The HTTP side ([`server`]) adds TLS with certificate reload, limits, timeouts,
//! metrics and graceful shutdown. See docs/webhook.md.
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod config;
pub mod judge;
pub mod metrics;
pub mod mutate;
pub mod nscache;
pub mod policy;
pub mod review;
pub mod server;

pub use config::{Action, WebhookConfig};
pub use judge::{Endpoint, Judge, NamespaceLabels, NoNamespaces, Verdict};
