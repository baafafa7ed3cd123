//! The test environment itself: a real API server answers kubectl, token and client-certificate users are
//! authenticated, and RBAC denies the viewer until it is granted access.

#[test]
fn api_server_starts_and_enforces_rbac() {
    let Some(c) = palisade_testenv::Cluster::start("smoke") else {
        return;
    };
    let ns = c.kubectl_ok(&["get", "namespaces", "-o", "name"], None);
    assert!(ns.contains("namespace/default"), "{ns}");
    let cert = c.kubectl("certadmin", &["get", "namespaces", "-o", "name"], None);
    assert!(cert.status.success(), "{}", String::from_utf8_lossy(&cert.stderr));
    let denied = c.kubectl("viewer", &["get", "pods", "-A"], None);
    assert!(!denied.status.success());
    assert!(
        String::from_utf8_lossy(&denied.stderr).contains("forbidden"),
        "{denied:?}"
    );
}
