//! Network (NET-001 ... NET-017): NetworkPolicy coverage and permissiveness, Service exposure, Ingress and gateway
//! TLS and host hygiene.

pub mod gateway_listener_without_tls;
pub mod imds_egress_not_blocked;
pub mod ingress_allows_plain_http;
pub mod ingress_host_missing_or_wildcard;
pub mod ingress_host_path_in_multiple_namespaces;
pub mod ingress_nginx_snippet_annotation;
pub mod ingress_without_tls;
pub mod load_balancer_open_to_any_source;
pub mod namespace_without_default_deny_egress;
pub mod namespace_without_default_deny_ingress;
pub mod network_policy_allows_all_traffic;
pub mod node_port_service;
pub mod public_load_balancer_service;
pub mod service_external_ips;
pub mod service_port_not_allowlisted;
pub mod services_with_identical_selectors;
pub(crate) mod util;
pub mod workload_not_selected_by_network_policy;

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[
    &namespace_without_default_deny_ingress::NamespaceWithoutDefaultDenyIngress,
    &namespace_without_default_deny_egress::NamespaceWithoutDefaultDenyEgress,
    &workload_not_selected_by_network_policy::WorkloadNotSelectedByNetworkPolicy,
    &network_policy_allows_all_traffic::NetworkPolicyAllowsAllTraffic,
    &public_load_balancer_service::PublicLoadBalancerService,
    &load_balancer_open_to_any_source::LoadBalancerOpenToAnySource,
    &node_port_service::NodePortService,
    &service_external_ips::ServiceExternalIps,
    &ingress_without_tls::IngressWithoutTls,
    &ingress_allows_plain_http::IngressAllowsPlainHttp,
    &ingress_host_missing_or_wildcard::IngressHostMissingOrWildcard,
    &ingress_host_path_in_multiple_namespaces::IngressHostPathInMultipleNamespaces,
    &ingress_nginx_snippet_annotation::IngressNginxSnippetAnnotation,
    &service_port_not_allowlisted::ServicePortNotAllowlisted,
    &services_with_identical_selectors::ServicesWithIdenticalSelectors,
    &imds_egress_not_blocked::ImdsEgressNotBlocked,
    &gateway_listener_without_tls::GatewayListenerWithoutTls,
];
