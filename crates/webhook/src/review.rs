//! AdmissionReview `admission.k8s.io/v1` on the wire: the request as the API server sends it (objects read into
//! the engine's tree in the same pass as the rest of the review, or kept as raw JSON), and the response.

use palisade_core::node::{Node, Pos};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// Why a body is not an AdmissionReview the webhook can answer (answered with HTTP 400).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BadReview {
    /// Not JSON, or JSON of the wrong shape.
    #[error("the body is not a valid AdmissionReview JSON document: {0}")]
    Json(String),
    /// `apiVersion`/`kind` are not `admission.k8s.io/v1` `AdmissionReview`.
    #[error("expected apiVersion admission.k8s.io/v1 and kind AdmissionReview, got {api_version} {kind} (set admissionReviewVersions: [v1])")]
    WrongKind {
        /// What was sent.
        api_version: String,
        /// What was sent.
        kind: String,
    },
    /// No `request`.
    #[error("the AdmissionReview has no request")]
    MissingRequest,
    /// No `request.uid` (a response cannot be matched without it).
    #[error("the AdmissionReview request has no uid")]
    MissingUid,
}

/// Group, version and kind.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Gvk {
    /// API group (empty for core).
    #[serde(default)]
    pub group: String,
    /// Version.
    #[serde(default)]
    pub version: String,
    /// Kind.
    #[serde(default)]
    pub kind: String,
}

/// Who sent the request.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct UserInfo {
    /// User name (`system:serviceaccount:kube-system:replicaset-controller`, ...).
    #[serde(default)]
    pub username: String,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// The request part of an AdmissionReview, with its objects as `O`: kept as raw JSON ([`RawRequest`]) or read
/// into trees in the same pass as the rest ([`ReadRequest`]).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "O: Deserialize<'de>"))]
pub struct AdmissionRequest<O> {
    /// Echoed in the response.
    #[serde(default)]
    pub uid: Option<String>,
    /// Kind of the object.
    #[serde(default)]
    pub kind: Gvk,
    /// Subresource (`status`, `scale`, `ephemeralcontainers`, ...), if any.
    #[serde(default)]
    pub sub_resource: Option<String>,
    /// Object name.
    #[serde(default)]
    pub name: Option<String>,
    /// Namespace of the request.
    #[serde(default)]
    pub namespace: Option<String>,
    /// CREATE, UPDATE, DELETE or CONNECT.
    #[serde(default)]
    pub operation: String,
    /// The requesting user.
    #[serde(default)]
    pub user_info: UserInfo,
    /// The new object (absent or null for DELETE and CONNECT).
    #[serde(default)]
    pub object: Option<O>,
    /// The existing object (UPDATE, DELETE).
    #[serde(default)]
    pub old_object: Option<O>,
    /// A dry run: judged the same, no side effects.
    #[serde(default)]
    pub dry_run: Option<bool>,
}

/// A request whose objects are kept as raw JSON text (what a handler that does not look at them needs).
pub type RawRequest<'a> = AdmissionRequest<&'a RawValue>;

/// A request whose objects were read into trees in the same pass as the rest of the review.
pub type ReadRequest = AdmissionRequest<ObjectTree>;

/// An object read straight into the tree the engine reads, every node at line 1, column 1: the API server writes
/// reviews on one line, so positions would say nothing (findings point by JSON pointer).
#[derive(Debug)]
pub struct ObjectTree(pub Node);

impl<'de> Deserialize<'de> for ObjectTree {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Node::deserialize_json(deserializer, Pos::new(1, 1)).map(ObjectTree)
    }
}

impl<O> AdmissionRequest<O> {
    /// The same request with its objects converted by `f`.
    pub fn map_objects<P>(self, mut f: impl FnMut(O) -> P) -> AdmissionRequest<P> {
        AdmissionRequest {
            uid: self.uid,
            kind: self.kind,
            sub_resource: self.sub_resource,
            name: self.name,
            namespace: self.namespace,
            operation: self.operation,
            user_info: self.user_info,
            object: self.object.map(&mut f),
            old_object: self.old_object.map(f),
            dry_run: self.dry_run,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "O: Deserialize<'de>"))]
struct ReviewIn<O> {
    #[serde(default)]
    api_version: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    request: Option<AdmissionRequest<O>>,
}

/// The JSON text of an object, or `None` when absent or `null`.
pub fn raw_object(raw: Option<&RawValue>) -> Option<&str> {
    raw.map(RawValue::get).filter(|s| s.trim() != "null")
}

/// Parses an AdmissionReview body, keeping the objects as raw JSON.
pub fn parse(body: &[u8]) -> Result<RawRequest<'_>, BadReview> {
    parse_as(body)
}

/// Parses an AdmissionReview body and reads its objects into trees, in one pass. An error here may come from an
/// object alone (nested too deeply, say): [`parse`] tells the two apart.
pub fn parse_read(body: &[u8]) -> Result<ReadRequest, BadReview> {
    parse_as(body)
}

fn parse_as<'a, O: Deserialize<'a>>(body: &'a [u8]) -> Result<AdmissionRequest<O>, BadReview> {
    // Checking UTF-8 once up front lets serde_json read strings without checking each again; invalid UTF-8 is
    // read from the bytes for serde_json's own error, with its position.
    let review: ReviewIn<O> = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
    .map_err(|e| BadReview::Json(e.to_string()))?;
    let api_version = review.api_version.unwrap_or_default();
    let kind = review.kind.unwrap_or_default();
    if api_version != "admission.k8s.io/v1" || kind != "AdmissionReview" {
        return Err(BadReview::WrongKind { api_version, kind });
    }
    let request = review.request.ok_or(BadReview::MissingRequest)?;
    if request.uid.as_deref().is_none_or(str::is_empty) {
        return Err(BadReview::MissingUid);
    }
    Ok(request)
}

/// `status` of a denied response.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Status {
    /// HTTP-like code (403 for a policy denial, 400 for an unreadable object).
    pub code: u16,
    /// Shown to the user by kubectl.
    pub message: String,
    /// Machine-readable reason.
    pub reason: String,
}

/// The response part of an AdmissionReview.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionResponse {
    /// The request's uid.
    pub uid: String,
    /// Whether the request is admitted.
    pub allowed: bool,
    /// Set when denied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Warnings kubectl prints.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// `JSONPatch` when `patch` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch_type: Option<String>,
    /// Base64 of the JSON Patch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<String>,
}

impl AdmissionResponse {
    /// An allowing response.
    pub fn allow(uid: &str) -> Self {
        Self {
            uid: uid.to_string(),
            allowed: true,
            status: None,
            warnings: Vec::new(),
            patch_type: None,
            patch: None,
        }
    }

    /// A denying response.
    pub fn deny(uid: &str, code: u16, reason: &str, message: String) -> Self {
        Self {
            allowed: false,
            status: Some(Status {
                code,
                message,
                reason: reason.to_string(),
            }),
            ..Self::allow(uid)
        }
    }

    /// The whole AdmissionReview carrying this response, serialized (without building a JSON tree first).
    pub fn review_bytes(&self) -> Vec<u8> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out<'a> {
            api_version: &'static str,
            kind: &'static str,
            response: &'a AdmissionResponse,
        }
        serde_json::to_vec(&Out {
            api_version: "admission.k8s.io/v1",
            kind: "AdmissionReview",
            response: self,
        })
        .unwrap_or_default()
    }

    /// The whole AdmissionReview carrying this response.
    pub fn into_review(self) -> serde_json::Value {
        serde_json::json!({
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "response": self,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_bodies_are_told_apart() {
        assert!(matches!(parse(b"{"), Err(BadReview::Json(_))));
        assert!(parse(b"[]").is_err());
        assert!(matches!(parse(b"\"x\""), Err(BadReview::Json(_))));
        assert!(matches!(
            parse(br#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview"}"#),
            Err(BadReview::WrongKind { .. })
        ));
        assert_eq!(
            parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#).err(),
            Some(BadReview::MissingRequest)
        );
        assert_eq!(
            parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}}"#).err(),
            Some(BadReview::MissingUid)
        );
        let r = parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"DELETE","object":null}}"#).unwrap();
        let bytes = AdmissionResponse::allow("u").review_bytes();
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v, AdmissionResponse::allow("u").into_review());
        assert!(r.object.is_none());
        assert!(raw_object(r.object).is_none());
    }
}
