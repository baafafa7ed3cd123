//! Finds the files to scan: explicit files as given, directories recursively (honouring .gitignore and
//! .ignore, skipping hidden entries) keeping `*.yaml`, `*.yml`, `*.json` and Terraform `*.tf` / `*.tfvars`, and `-`
//! for standard input.

use std::path::{Path, PathBuf};

/// One input to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file on disk, with the label findings use (its path as found from the argument).
    File(PathBuf, String),
    /// Standard input.
    Stdin,
}

impl Input {
    fn file(path: PathBuf) -> Self {
        let label = path.display().to_string();
        Input::File(path, label)
    }

    /// The label findings and errors use for this input.
    pub fn label(&self) -> String {
        self.label_str().to_string()
    }

    /// The label, borrowed.
    pub fn label_str(&self) -> &str {
        match self {
            Input::File(_, label) => label,
            Input::Stdin => "<stdin>",
        }
    }
}

/// An argument that could not be turned into inputs.
#[derive(Debug)]
pub struct DiscoverError {
    /// The path involved.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json" | "tf" | "tfvars")
    )
}

/// Expands the command-line paths into inputs, in a stable order (arguments in order, directory contents
/// sorted by path). Problems are returned alongside, so the rest is still scanned.
pub fn discover(paths: &[String]) -> (Vec<Input>, Vec<DiscoverError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut stdin_seen = false;
    for arg in paths {
        if arg == "-" {
            if !stdin_seen {
                inputs.push(Input::Stdin);
                stdin_seen = true;
            }
            continue;
        }
        let path = Path::new(arg);
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                let walker = ignore::WalkBuilder::new(path)
                    .require_git(false)
                    .sort_by_file_path(Ord::cmp)
                    .build();
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && is_manifest(e.path()) => {
                            found.push(e.into_path());
                        }
                        Ok(_) => {}
                        Err(e) => errors.push(DiscoverError {
                            path: arg.clone(),
                            message: e.to_string(),
                        }),
                    }
                }
                inputs.extend(found.into_iter().map(Input::file));
            }
            Ok(_) => inputs.push(Input::file(path.to_path_buf())),
            Err(e) => errors.push(DiscoverError {
                path: arg.clone(),
                message: format!("cannot read: {e}"),
            }),
        }
    }
    (inputs, errors)
}
