variable "location" {
  type    = string
  default = "westeurope"
}

variable "environment" {
  type = string
}

variable "kubernetes_version" {
  type    = string
  default = "1.33"
}

variable "api_server_ranges" {
  type        = list(string)
  description = "Only used when the cluster is not private."
  default     = []
}

variable "admin_group_object_ids" {
  type = list(string)
}

variable "log_categories" {
  type    = list(string)
  default = ["kube-audit-admin", "guard", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "cluster-autoscaler"]
}
