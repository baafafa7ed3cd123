//! The namespace cache: labels of every namespace, listed through the Kubernetes API every
//! `namespace_refresh_seconds`, so pods are judged at their namespace's Pod Security level and namespace
//! exemption labels apply. Namespaces admitted through the webhook update the cache at once.

use crate::judge::NamespaceLabels;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ListParams};
use palisade_core::node::{Node, Pos};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Why the cache could not reach the API server.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// No kubeconfig and not in a cluster, or an unreadable kubeconfig.
    #[error("Kubernetes client configuration: {0}")]
    Config(String),
    /// The list call failed.
    #[error("listing namespaces: {0}")]
    List(String),
}

/// Namespace labels by name.
#[derive(Debug, Default)]
pub struct NamespaceCache {
    labels: RwLock<HashMap<String, Arc<Node>>>,
    synced: AtomicBool,
}

impl NamespaceLabels for NamespaceCache {
    fn labels(&self, name: &str) -> Option<Arc<Node>> {
        self.labels.read().ok()?.get(name).cloned()
    }
}

fn labels_node(labels: &serde_json::Value) -> Arc<Node> {
    Arc::new(Node::from_json(labels, Pos::new(0, 0)))
}

impl NamespaceCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether one list has completed.
    pub fn synced(&self) -> bool {
        self.synced.load(Ordering::Relaxed)
    }

    /// Records one namespace's labels (`{}` when it has none).
    pub fn set(&self, name: &str, labels: &serde_json::Value) {
        if let Ok(mut map) = self.labels.write() {
            map.insert(name.to_string(), labels_node(labels));
        }
    }

    /// Replaces the whole cache.
    pub fn replace(&self, all: HashMap<String, Arc<Node>>) {
        if let Ok(mut map) = self.labels.write() {
            *map = all;
        }
        self.synced.store(true, Ordering::Relaxed);
    }

    /// Lists namespaces once.
    pub async fn refresh(&self, client: &kube::Client) -> Result<usize, CacheError> {
        let api: Api<Namespace> = Api::all(client.clone());
        let list = api
            .list(&ListParams::default())
            .await
            .map_err(|e| CacheError::List(e.to_string()))?;
        let all: HashMap<String, Arc<Node>> = list
            .items
            .into_iter()
            .filter_map(|ns| {
                let name = ns.metadata.name?;
                let labels = serde_json::to_value(ns.metadata.labels.unwrap_or_default()).ok()?;
                Some((name, labels_node(&labels)))
            })
            .collect();
        let n = all.len();
        self.replace(all);
        Ok(n)
    }

    /// Refreshes every `every` until the process ends; failures are logged and retried.
    pub async fn run(self: Arc<Self>, client: kube::Client, every: Duration) {
        loop {
            if let Err(e) = self.refresh(&client).await {
                crate::server::log_event("namespace-cache-error", &e.to_string());
            }
            tokio::time::sleep(every).await;
        }
    }
}

/// A Kubernetes client from a kubeconfig file, or inferred (in-cluster service account, `$KUBECONFIG`,
/// `~/.kube/config`).
pub async fn client(kubeconfig: Option<&Path>) -> Result<kube::Client, CacheError> {
    let config = match kubeconfig {
        Some(path) => {
            let kc = kube::config::Kubeconfig::read_from(path).map_err(|e| CacheError::Config(e.to_string()))?;
            kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
                .await
                .map_err(|e| CacheError::Config(e.to_string()))?
        }
        None => kube::Config::infer()
            .await
            .map_err(|e| CacheError::Config(e.to_string()))?,
    };
    kube::Client::try_from(config).map_err(|e| CacheError::Config(e.to_string()))
}
