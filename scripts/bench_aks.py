#!/usr/bin/env python3
"""Benchmark of AKS cluster-configuration scanning: 1,000 Terraform files and 1,000 ARM templates.

Generates the corpora (deterministic, seeded), runs `palisade scan` over each (the AKS rules only, and the full
default rule set) and `palisade scan --parse-only`, and reports CPU time per file (user + system of the process,
median of N runs). Writes the "AKS cluster configuration" section of docs/benchmarks.md (between markers; the
manifest section is written by scripts/bench.py).

    cargo build --release -p palisade
    scripts/bench_aks.py --files 1000 --runs 3

The Terraform files are one module each (one directory per file, as Terraform evaluates a directory as a module),
with variables, locals, a dynamic block, separate node pools, diagnostic settings and adjacent resources; the ARM
templates use parameters, variables, expressions, a child agent pool and a nested deployment.
"""

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKOV_MS_PER_TF_FILE = 45.0  # Checkov's measured CPU per Terraform file on this machine (issue 4)
BEGIN = "<!-- bench_aks:begin -->"
END = "<!-- bench_aks:end -->"


def tf_file(i: int, rnd: random.Random) -> str:
    v4 = rnd.random() < 0.5
    b = lambda p: "true" if rnd.random() < p else "false"  # noqa: E731
    env = rnd.choice(["dev", "test", "prod"])
    auto = "auto_scaling_enabled" if v4 else "enable_auto_scaling"
    pub = "node_public_ip_enabled" if v4 else "enable_node_public_ip"
    hostenc = "host_encryption_enabled" if v4 else "enable_host_encryption"
    channel = "automatic_upgrade_channel" if v4 else "automatic_channel_upgrade"
    os_channel = "node_os_upgrade_channel" if v4 else "node_os_channel_upgrade"
    ranges = rnd.choice(['["203.0.113.0/24"]', '["0.0.0.0/0"]', "[]", "var.admin_ranges"])
    policy = rnd.choice(['"azure"', '"calico"', '"cilium"', "null"])
    return f'''# generated cluster {i} (azurerm {"4.x" if v4 else "3.x"} names)
variable "environment" {{
  type    = string
  default = "{env}"
}}

variable "admin_ranges" {{
  type    = list(string)
  default = ["198.51.100.0/24"]
}}

variable "log_categories" {{
  type    = list(string)
  default = ["kube-audit-admin", "guard", "kube-apiserver"]
}}

locals {{
  name     = "aks-{i}-${{var.environment}}"
  location = "westeurope"
  prod     = var.environment == "prod"
  tags = {{
    environment = var.environment
    cost_center = "cc-{rnd.randint(100, 999)}"
  }}
}}

resource "azurerm_resource_group" "main" {{
  name     = "rg-${{local.name}}"
  location = local.location
  tags     = local.tags
}}

resource "azurerm_log_analytics_workspace" "main" {{
  name                = "law-${{local.name}}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "PerGB2018"
  retention_in_days   = local.prod ? 90 : 30
}}

resource "azurerm_kubernetes_cluster" "main" {{
  name                              = local.name
  location                          = azurerm_resource_group.main.location
  resource_group_name               = azurerm_resource_group.main.name
  dns_prefix                        = local.name
  kubernetes_version                = "1.{rnd.randint(28, 34)}"
  sku_tier                          = local.prod ? "Standard" : "Free"
  private_cluster_enabled           = {b(0.4)}
  local_account_disabled            = {b(0.5)}
  role_based_access_control_enabled = {b(0.95)}
  azure_policy_enabled              = {b(0.6)}
  oidc_issuer_enabled               = {b(0.7)}
  workload_identity_enabled         = {b(0.6)}
  image_cleaner_enabled             = {b(0.3)}
  {channel} = "{rnd.choice(["patch", "stable", "none", "rapid"])}"
  {os_channel} = "{rnd.choice(["NodeImage", "SecurityPatch", "None", "Unmanaged"])}"

  default_node_pool {{
    name                         = "system"
    vm_size                      = "Standard_D4ds_v5"
    {auto} = true
    min_count                    = {rnd.choice([1, 2, 3])}
    max_count                    = 5
    zones                        = {rnd.choice(['["1", "2", "3"]', '["1"]', "[]"])}
    {pub} = {b(0.1)}
    {hostenc} = {b(0.5)}
    only_critical_addons_enabled = {b(0.5)}
    os_sku                       = "{rnd.choice(["AzureLinux", "Ubuntu", "CBLMariner"])}"
    os_disk_type                 = "{rnd.choice(["Ephemeral", "Managed"])}"
  }}

  identity {{
    type = "SystemAssigned"
  }}

  azure_active_directory_role_based_access_control {{
    azure_rbac_enabled     = {b(0.6)}
    admin_group_object_ids = ["6f1c2a40-3f7e-4d8e-9a31-0c5d2b7e8f11"]
  }}

  api_server_access_profile {{
    authorized_ip_ranges = {ranges}
  }}

  network_profile {{
    network_plugin = "{rnd.choice(["azure", "kubenet"])}"
    network_policy = {policy}
    outbound_type  = "{rnd.choice(["loadBalancer", "userDefinedRouting"])}"
  }}

  key_vault_secrets_provider {{
    secret_rotation_enabled = {b(0.5)}
  }}

  oms_agent {{
    log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  }}

  microsoft_defender {{
    log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  }}

  tags = local.tags
}}

resource "azurerm_kubernetes_cluster_node_pool" "apps" {{
  name                  = "apps"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.main.id
  vm_size               = "Standard_D8ds_v5"
  node_count            = {rnd.randint(1, 6)}
  zones                 = ["1", "2", "3"]
  {pub} = {b(0.1)}
  {hostenc} = {b(0.5)}
}}

resource "azurerm_monitor_diagnostic_setting" "aks" {{
  name                       = "diag-${{local.name}}"
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  dynamic "enabled_log" {{
    for_each = toset(var.log_categories)
    content {{
      category = enabled_log.value
    }}
  }}
}}

resource "azurerm_container_registry" "acr" {{
  name                = "acr{i}${{var.environment}}"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  sku                 = "Premium"
  admin_enabled       = {b(0.2)}
}}

resource "azurerm_role_assignment" "acr_pull" {{
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "{rnd.choice(["AcrPull", "AcrPull", "AcrPush"])}"
  principal_id         = azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id
}}
'''


def arm_file(i: int, rnd: random.Random) -> str:
    import json

    b = lambda p: rnd.random() < p  # noqa: E731
    t = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {
            "clusterName": {"type": "string", "defaultValue": f"aks-{i}"},
            "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
            "privateCluster": {"type": "bool", "defaultValue": b(0.4)},
            "ranges": {"type": "array", "defaultValue": rnd.choice([[], ["0.0.0.0/0"], ["203.0.113.0/24"]])},
            "networkPolicy": {"type": "string", "defaultValue": rnd.choice(["none", "azure", "calico"])},
        },
        "variables": {
            "workspaceName": "[format('law-{0}', parameters('clusterName'))]",
            "workspaceId": "[resourceId('Microsoft.OperationalInsights/workspaces', variables('workspaceName'))]",
        },
        "resources": [
            {
                "type": "Microsoft.ContainerService/managedClusters",
                "apiVersion": "2024-05-01",
                "name": "[parameters('clusterName')]",
                "location": "[parameters('location')]",
                "identity": {"type": "SystemAssigned"},
                "sku": {"name": "Base", "tier": rnd.choice(["Free", "Standard"])},
                "properties": {
                    "kubernetesVersion": f"1.{rnd.randint(28, 34)}",
                    "dnsPrefix": "[parameters('clusterName')]",
                    "enableRBAC": b(0.95),
                    "disableLocalAccounts": b(0.5),
                    "aadProfile": {"managed": True, "enableAzureRBAC": b(0.6)},
                    "apiServerAccessProfile": {
                        "enablePrivateCluster": "[parameters('privateCluster')]",
                        "authorizedIPRanges": "[if(parameters('privateCluster'), createArray(), parameters('ranges'))]",
                    },
                    "agentPoolProfiles": [
                        {
                            "name": "system",
                            "mode": "System",
                            "count": rnd.choice([1, 3]),
                            "vmSize": "Standard_D4ds_v5",
                            "availabilityZones": ["1", "2", "3"],
                            "enableEncryptionAtHost": b(0.5),
                            "enableNodePublicIP": b(0.1),
                        }
                    ],
                    "networkProfile": {"networkPlugin": "azure", "networkPolicy": "[parameters('networkPolicy')]"},
                    "addonProfiles": {
                        "azurepolicy": {"enabled": b(0.6)},
                        "omsagent": {"enabled": True, "config": {"logAnalyticsWorkspaceResourceID": "[variables('workspaceId')]"}},
                        "azureKeyvaultSecretsProvider": {"enabled": b(0.5), "config": {"enableSecretRotation": "true"}},
                    },
                    "securityProfile": {"defender": {"securityMonitoring": {"enabled": b(0.5)}}},
                    "autoUpgradeProfile": {"upgradeChannel": rnd.choice(["stable", "patch", "none"])},
                },
            },
            {
                "type": "Microsoft.ContainerService/managedClusters/agentPools",
                "apiVersion": "2024-05-01",
                "name": "[format('{0}/{1}', parameters('clusterName'), 'apps')]",
                "properties": {"mode": "User", "count": 3, "enableNodePublicIP": b(0.1)},
            },
            {
                "type": "Microsoft.Resources/deployments",
                "apiVersion": "2022-09-01",
                "name": "monitoring",
                "properties": {
                    "mode": "Incremental",
                    "expressionEvaluationOptions": {"scope": "inner"},
                    "parameters": {"clusterName": {"value": "[parameters('clusterName')]"}},
                    "template": {
                        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                        "contentVersion": "1.0.0.0",
                        "parameters": {"clusterName": {"type": "string"}},
                        "resources": [
                            {
                                "type": "Microsoft.Insights/diagnosticSettings",
                                "apiVersion": "2021-05-01-preview",
                                "name": "control-plane",
                                "scope": "[format('Microsoft.ContainerService/managedClusters/{0}', parameters('clusterName'))]",
                                "properties": {
                                    "workspaceId": "[resourceId('Microsoft.OperationalInsights/workspaces', format('law-{0}', parameters('clusterName')))]",
                                    "logs": [
                                        {"category": c, "enabled": True}
                                        for c in rnd.sample(["kube-apiserver", "kube-audit-admin", "guard", "kube-scheduler"], 2)
                                    ],
                                },
                            }
                        ],
                    },
                },
            },
        ],
    }
    return json.dumps(t, indent=2) + "\n"


def generate(base: Path, n: int) -> tuple[Path, Path, int, int]:
    rnd = random.Random(4)
    tf, arm = base / "terraform", base / "arm"
    tf_bytes = arm_bytes = 0
    for i in range(n):
        d = tf / f"{i:04d}"
        d.mkdir(parents=True, exist_ok=True)
        text = tf_file(i, rnd)
        (d / "main.tf").write_text(text)
        tf_bytes += len(text)
    arm.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = arm_file(i, rnd)
        (arm / f"aks-{i:04d}.json").write_text(text)
        arm_bytes += len(text)
    return tf, arm, tf_bytes, arm_bytes


def run(binary: str, args: list[str]) -> tuple[float, float, dict]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0, 1):
        sys.exit(f"{binary} {' '.join(args)} exited {p.returncode}: {p.stderr.decode()[:2000]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = {}
    if "--format" in args:
        import json

        summary = json.loads(p.stdout).get("summary", {})
    return wall, cpu, summary


def median_run(binary: str, args: list[str], runs: int) -> tuple[float, float, dict]:
    results = [run(binary, args) for _ in range(runs)]
    return (
        statistics.median(r[0] for r in results),
        statistics.median(r[1] for r in results),
        results[-1][2],
    )


def write_section(text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    doc = path.read_text() if path.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{text.rstrip()}\n{END}\n"
    if BEGIN in doc and END in doc:
        doc = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", lambda _: block, doc, flags=re.S)
    else:
        doc = doc.rstrip() + "\n\n" + block
    path.write_text(doc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=1000, help="files per format (default 1000)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", default=str(ROOT / "target" / "release" / "palisade"))
    ap.add_argument("--keep", help="generate the corpora here and keep them")
    ap.add_argument("--no-write", action="store_true", help="print the table, do not update docs/benchmarks.md")
    a = ap.parse_args()
    if not Path(a.binary).exists():
        sys.exit(f"{a.binary} not found: run `cargo build --release -p palisade` first")
    base = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="palisade-bench-aks-"))
    try:
        tf, arm, tf_bytes, arm_bytes = generate(base, a.files)
        rows = []
        for label, corpus, nbytes in [("Terraform", tf, tf_bytes), ("ARM", arm, arm_bytes)]:
            parse = median_run(a.binary, ["scan", "--parse-only", "--format", "json", str(corpus)], a.runs)
            aks = median_run(a.binary, ["scan", "--format", "json", "--select", "AKS", str(corpus)], a.runs)
            full = median_run(a.binary, ["scan", "--format", "json", str(corpus)], a.runs)
            rows.append((label, a.files, nbytes, parse, aks, full))
        lines = [
            "## AKS cluster configuration",
            "",
            f"Measured with `scripts/bench_aks.py --files {a.files} --runs {a.runs}` (release build), "
            f"{time.strftime('%Y-%m-%d')}: {a.files:,} generated Terraform files (one module each: variables, "
            "locals, a dynamic block, a separate node pool, a diagnostic setting, a registry and a role "
            f"assignment; half azurerm 3.x, half 4.x names) and {a.files:,} generated ARM templates (parameters, "
            "variables, expressions, a child agent pool, a nested deployment with a diagnostic setting). CPU is "
            "user + system time of the whole `palisade scan` process (discovery, loading, evaluation, rules, JSON "
            "report), divided by the number of files; median of the runs. \"AKS rules\" is `--select AKS`, "
            "\"all rules\" the default rule set.",
            "",
            "| corpus | files | MB | clusters | findings (AKS) | parse CPU ms/file | AKS rules CPU ms/file | all rules CPU ms/file | wall s (all rules) | vs Checkov (45 ms/TF file) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for label, n, nbytes, parse, aks, full in rows:
            per = lambda r: r[1] * 1000 / n  # noqa: E731
            speedup = CHECKOV_MS_PER_TF_FILE / per(full) if per(full) > 0 else float("inf")
            clusters = n  # one cluster per generated file
            lines.append(
                f"| {label} | {n:,} | {nbytes / 1e6:.1f} | {clusters:,} | {aks[2].get('findings', 0):,} | "
                f"{per(parse):.3f} | {per(aks):.3f} | {per(full):.3f} | {full[0]:.2f} | {speedup:,.0f}× |"
            )
        lines += [
            "",
            f"- Target: at least 100× faster than Checkov's ~{CHECKOV_MS_PER_TF_FILE:.0f} ms CPU per Terraform file on "
            "this machine, i.e. at most 0.45 ms CPU per file.",
            "- Terraform is parsed with hcl-edit (positions for every attribute), then each module is evaluated "
            "(variables, `.tfvars`, locals, functions, `dynamic` blocks) and mapped to the AKS model; ARM templates "
            "are read with the manifest JSON loader and their expressions evaluated against parameters and variables.",
        ]
        text = "\n".join(lines) + "\n"
        print(text)
        if not a.no_write:
            write_section(text)
            print("updated docs/benchmarks.md")
    finally:
        if not a.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
