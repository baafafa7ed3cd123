package palisade.policies.webhook_test_no_latest

import rego.v1

metadata := {
	"id": "ORG-901",
	"title": "Images must not use the latest tag",
	"severity": "medium",
	"remediation": "Pin the image to a version or digest.",
	"kinds": ["Pod"],
}

deny contains {"msg": msg, "path": ["spec", "containers", i, "image"]} if {
	some i, c in input.spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("container %q uses %q", [c.name, c.image])
}
