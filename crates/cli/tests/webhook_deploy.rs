//! Palisade's own deployment manifests (deploy/) scan clean with Palisade: zero findings with the default rules
//! (which include the pss-restricted profile) and with pss-restricted selected alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

#[test]
fn deploy_manifests_scan_clean() {
    let deploy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy");
    for extra in [&[][..], &["--select", "pss-restricted"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
            .arg("scan")
            .arg(&deploy)
            .args(extra)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(v["findings"], serde_json::json!([]), "{extra:?}: {text}");
        assert!(v["errors"].as_array().is_none_or(Vec::is_empty), "{text}");
        assert!(v["summary"]["objects"].as_u64().unwrap() >= 15, "{text}");
        assert!(out.status.success(), "exit {:?}: {text}", out.status);
    }
}
