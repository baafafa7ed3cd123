//! Prometheus metrics: requests by endpoint, kind, operation and decision; latency; denials by rule.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    endpoint: String,
    kind: String,
    operation: String,
    decision: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndpointLabels {
    endpoint: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RuleLabels {
    rule: String,
    action: String,
}

/// The webhook's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<EndpointLabels, Histogram>,
    findings: Family<RuleLabels, Counter>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("palisade_webhook");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "requests",
            "Admission reviews by endpoint, kind, operation and decision",
            requests.clone(),
        );
        let latency = Family::<EndpointLabels, Histogram>::new_with_constructor(|| {
            // 50 us .. ~1.6 s
            Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
        });
        registry.register(
            "request_duration_seconds",
            "Time from a complete request body to the response, by endpoint",
            latency.clone(),
        );
        let findings = Family::<RuleLabels, Counter>::default();
        registry.register(
            "findings",
            "Findings at admission by rule and action (enforce = denials)",
            findings.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            findings,
        }
    }

    /// Counts one review.
    pub fn observe(&self, record: &crate::judge::Record, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                endpoint: record.endpoint.to_string(),
                kind: record.kind.clone(),
                operation: record.operation.clone(),
                decision: record.decision.to_string(),
            })
            .inc();
        self.latency
            .get_or_create(&EndpointLabels {
                endpoint: record.endpoint.to_string(),
            })
            .observe(seconds);
        for f in &record.findings {
            self.findings
                .get_or_create(&RuleLabels {
                    rule: f.rule.clone(),
                    action: f.action.as_str().to_string(),
                })
                .inc();
        }
    }

    /// Counts a request that was not an answerable review (`decision="bad-request"`).
    pub fn bad_request(&self, endpoint: &str, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                endpoint: endpoint.to_string(),
                kind: String::new(),
                operation: String::new(),
                decision: "bad-request".to_string(),
            })
            .inc();
        self.latency
            .get_or_create(&EndpointLabels {
                endpoint: endpoint.to_string(),
            })
            .observe(seconds);
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
