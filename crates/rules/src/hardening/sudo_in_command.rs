//! K8S-055: containers whose command or args run sudo.

use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// True when a command line word list mentions `sudo` as a word (`sudo`, `/usr/bin/sudo`, `;sudo`), not as part of
/// another word (`pseudo`, `sudoers.d`).
pub(crate) fn mentions_sudo(text: &str) -> bool {
    text.split(|ch: char| !(ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-' | '.' | '/')))
        .any(|word| word == "sudo" || word.ends_with("/sudo"))
}

/// Metadata of K8S-055.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-055",
    name: "sudo-in-command",
    family: "hardening",
    severity: Severity::Info,
    profiles: &[],
    summary: "A container's command or args run sudo.",
    remediation: "Run the container as the user the command needs and remove sudo from the command and the image.",
    docs: r#"## What it does
Reports each container, init container and ephemeral container whose `command` or `args` contain the word `sudo`
(alone or as a path such as `/usr/bin/sudo`, also inside a shell string like `sh -c "sudo ..."`). One finding per
container and field, at the first entry that mentions it. Advisory (info): this is a heuristic on the command line.

## Why is this bad?
`sudo` in a container means the image ships a setuid binary and a sudoers policy so that an unprivileged process
can become root: exactly the escalation path `allowPrivilegeEscalation: false` and a non-root user are meant to
close. It usually hides a need that belongs in the image build or the security context.

## Example
```yaml
spec:
  containers:
    - name: tool
      image: myacr.azurecr.io/tool:1.2.0
      command: ["sh", "-c", "sudo /opt/tool/setup.sh && /opt/tool/run"]
```

## Use instead
```yaml
spec:
  containers:
    - name: tool
      image: myacr.azurecr.io/tool:1.2.0
      command: ["/opt/tool/run"]
      securityContext:
        runAsUser: 10001
        allowPrivilegeEscalation: false
```

## References
- Best practice, also checked by Kubescape (C-0062, sudo in container entrypoint); no seed, CIS or Azure Policy
  item requires it
"#,
    references: &["Kubescape C-0062"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags `sudo` in `command` or `args`.
pub struct SudoInCommand;

impl Rule for SudoInCommand {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for c in pod.containers() {
            for field in ["command", "args"] {
                let list = c.field(&[field]);
                let items = list.node.and_then(Node::as_seq).unwrap_or(&[]);
                let hit = items
                    .iter()
                    .enumerate()
                    .find(|(_, item)| item.as_str().is_some_and(mentions_sudo));
                if let Some((i, item)) = hit {
                    out.push(Violation::new(
                        format!("{} runs sudo in {field}[{i}]", c.label()),
                        item.pos,
                        format!("{}/{i}", list.pointer),
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::mentions_sudo;

    #[test]
    fn sudo_as_a_word_only() {
        assert!(mentions_sudo("sudo"));
        assert!(mentions_sudo("/usr/bin/sudo"));
        assert!(mentions_sudo("apt-get update;sudo make install"));
        assert!(mentions_sudo("exec sudo -u app ./run"));
        assert!(mentions_sudo("$(sudo id)"));
        assert!(!mentions_sudo("pseudo-random"));
        assert!(!mentions_sudo("/etc/sudoers.d/app"));
        assert!(!mentions_sudo("sudoku"));
        assert!(!mentions_sudo("--no-sudo"));
    }
}
