#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]
//! Palisade core: the positioned document model, Kubernetes object views, findings, rules and the engine.
//!
//! Library code here never prints and never panics; inputs and renderers live in other crates.

pub mod aks;
pub mod config;
pub mod engine;
pub mod finding;
pub mod findings;
pub mod index;
pub mod node;
pub mod object;
pub mod params;
pub mod pss;
pub mod rule;
pub mod scan;
pub mod select;
pub mod suppress;
mod triggers;

pub use engine::Engine;
pub use finding::{Finding, Location, ObjectRef, Severity};
pub use findings::Findings;
pub use index::{ScanIndex, Workload};
pub use node::{Entry, Map, Node, Pos, Value};
pub use object::{ContainerKind, ContainerView, K8sObject, Located, PodSpecView, Pointer, Source};
pub use params::Params;
pub use pss::{PssLevel, PssPolicy, PssVersion};
pub use rule::{
    CheckContext, IndexOutput, IndexViolation, NotEvaluated, PssControl, Rule, RuleMeta, Status, Target, Violation,
};
pub use scan::{NamespaceIndex, ScanResult, Summary, ToolError};
