//! AdmissionReview `admission.k8s.io/v1` on the wire: the request as the API server sends it (objects kept as
//! raw JSON, so they go to the loader byte for byte), and the response.

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

/// The request part of an AdmissionReview.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionRequest<'a> {
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
    #[serde(default, borrow)]
    pub object: Option<&'a RawValue>,
    /// The existing object (UPDATE, DELETE).
    #[serde(default, borrow)]
    pub old_object: Option<&'a RawValue>,
    /// A dry run: judged the same, no side effects.
    #[serde(default)]
    pub dry_run: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReviewIn<'a> {
    #[serde(default)]
    api_version: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default, borrow)]
    request: Option<AdmissionRequest<'a>>,
}

/// The JSON text of an object, or `None` when absent or `null`.
pub fn raw_object(raw: Option<&RawValue>) -> Option<&str> {
    raw.map(RawValue::get).filter(|s| s.trim() != "null")
}

/// Parses an AdmissionReview body.
pub fn parse(body: &[u8]) -> Result<AdmissionRequest<'_>, BadReview> {
    let review: ReviewIn = serde_json::from_slice(body).map_err(|e| BadReview::Json(e.to_string()))?;
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
        assert!(raw_object(r.object).is_none());
    }
}
