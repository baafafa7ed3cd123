# A Palisade policy: `metadata` gives the finding's ID, title, severity and remediation; `deny` the violations.
# `input` is the object itself. Each violation is a message, or an object with `msg` and a `path` to the field.
package palisade.policies.no_latest_tag

import rego.v1

metadata := {
	"id": "ORG-001",
	"title": "Images must be pinned to a version or digest",
	"severity": "medium",
	"remediation": "Use an explicit version tag or an @sha256 digest instead of :latest or no tag.",
	"kinds": ["Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet"],
}

deny contains {"msg": msg, "path": path} if {
	some [path, c] in containers
	unpinned(c.image)
	msg := sprintf("container %q uses unpinned image %q", [c.name, c.image])
}

unpinned(image) if endswith(image, ":latest")

unpinned(image) if {
	not contains(image, "@")
	last := regex.split("/", image)[count(regex.split("/", image)) - 1]
	not contains(last, ":")
}

containers contains [array.concat(prefix, [field, i, "image"]), c] if {
	some prefix in pod_spec_paths
	spec := object.get(input, prefix, null)
	spec != null
	some field in ["initContainers", "containers", "ephemeralContainers"]
	some i, c in object.get(spec, field, [])
}

pod_spec_paths := [["spec"]] if input.kind == "Pod"

pod_spec_paths := [["spec", "jobTemplate", "spec", "template", "spec"]] if input.kind == "CronJob"

pod_spec_paths := [["spec", "template", "spec"]] if not input.kind in {"Pod", "CronJob"}
