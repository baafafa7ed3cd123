//! Output selection and writing: which report formats a scan renders and where each goes.

use crate::scan;
use anyhow::Result;
use clap::ValueEnum;
use palisade_core::ScanResult;
use std::io::IsTerminal;

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable terminal report.
    Text,
    /// Documented JSON (docs/json-output.md).
    Json,
}

/// Output flags of `palisade scan`.
#[derive(clap::Args, Debug)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: Format,
    /// Never colour the output (colour is used only on a terminal and when NO_COLOR is unset).
    #[arg(long)]
    pub no_color: bool,
}

/// Renders the result in the requested format(s) and writes it.
pub fn write(args: &OutputArgs, result: &ScanResult, stdin: Option<&[u8]>) -> Result<()> {
    let rendered = match args.format {
        Format::Json => palisade_report::json::render(result, env!("CARGO_PKG_VERSION")),
        Format::Text => {
            let color = !args.no_color && std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
            let sources = scan::Sources::new(stdin);
            palisade_report::text::render(result, &sources, palisade_report::text::TextOptions { color })
        }
    };
    crate::emit(&rendered)
}
