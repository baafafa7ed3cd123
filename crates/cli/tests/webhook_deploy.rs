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

/// `palisade scan` accepts a configuration file with a `webhook:` section (one file serves both) and ignores it;
/// `palisade webhook` rejects a bad section before serving.
#[test]
fn scan_accepts_the_webhook_section_and_webhook_validates_it() {
    let dir = std::env::temp_dir().join(format!("palisade-webhook-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("palisade.yaml");
    std::fs::write(
        &cfg,
        "rules:\n  K8S-040: off\nwebhook:\n  enforce_at: critical\n  rules: {K8S-001: warn}\n",
    )
    .unwrap();
    let deploy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy");
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .arg("scan")
        .arg(&deploy)
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    std::fs::write(&cfg, "webhook:\n  enforce_at: critical\n  colour: red\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args([
            "webhook",
            "--tls-cert",
            "/nonexistent.crt",
            "--tls-key",
            "/nonexistent.key",
            "--config",
        ])
        .arg(&cfg)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("line 3: webhook: unknown key 'colour'"), "{err}");

    // A missing certificate is a clear start-up error, not a panic.
    std::fs::write(&cfg, "webhook:\n  enforce_at: critical\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args([
            "webhook",
            "--no-namespace-cache",
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            "/nonexistent.crt",
        ])
        .args(["--tls-key", "/nonexistent.key", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("TLS certificate /nonexistent.crt"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
