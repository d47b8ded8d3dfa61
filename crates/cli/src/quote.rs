//! `stenogram quote`: finds the source of a quote in a built bundle (the quote finder of
//! `stenogram_core::quote`), reading the candidate transcripts from their packs, and
//! prints the matches with their diffs, as text or as JSON.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;
use stenogram_core::quote::{self, DiffKind, Quote, QuoteSearch};
use stenogram_core::search::Filters;

/// Arguments of `stenogram quote`.
#[derive(clap::Args)]
pub struct Args {
    /// The bundle folder written by `stenogram build`.
    bundle: PathBuf,
    /// The quote (up to about 120 words; `...` or `…` marks words left out).
    text: String,
    /// Print JSON: {"matches": [{"id", "paragraph", "verdict", "coverage", "score", "text", "diff"}], "parts": [...]}.
    #[arg(long)]
    json: bool,
    /// Matches to print.
    #[arg(long, default_value_t = 5)]
    limit: usize,
}

/// Runs `stenogram quote`.
pub fn run(args: Args) -> Result<ExitCode> {
    let quote = match Quote::new(&args.text) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("stenogram: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut bundle = crate::bundle_dir::Bundle::open(&args.bundle)?;
    let search = QuoteSearch::new(&bundle.index, &quote, &Filters::default())?;
    let mut failed = None;
    let mut res = search.run(|c| match bundle.transcript(c.doc) {
        Ok(t) => Some(t),
        Err(e) => {
            failed.get_or_insert(e);
            None
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    res.matches.truncate(args.limit);
    let mut out = String::new();
    if args.json {
        let v = json!({
            "matches": res.matches,
            "parts": res.parts,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else if res.matches.is_empty() {
        writeln!(out, "No passage in this corpus matches.")?;
    } else {
        if res.parts.len() > 1 {
            writeln!(out, "The quote joins {} passages:", res.parts.len())?;
            let q: Vec<char> = quote.text().chars().collect();
            for p in &res.parts {
                let s: String = q[p.start..p.end].iter().collect();
                writeln!(out, "  “{s}” — {} ¶{}", p.id, p.paragraph)?;
            }
            writeln!(out)?;
        }
        for m in &res.matches {
            let verdict = match m.verdict {
                quote::Verdict::Verbatim => "verbatim",
                quote::Verdict::Altered => "altered",
            };
            writeln!(
                out,
                "{verdict}  {} ¶{}  coverage {:.0}%  score {:.2}",
                m.id,
                m.paragraph,
                m.coverage * 100.0,
                m.score
            )?;
            // The diff inline: [-omitted-], {+inserted+}, [~source→quote~].
            let mut line = String::new();
            for d in &m.diff {
                let piece = match d.op {
                    DiffKind::Equal => d.source.clone(),
                    DiffKind::Omitted if d.ellipsis => format!("[…{}…]", d.source),
                    DiffKind::Omitted => format!("[-{}-]", d.source),
                    DiffKind::Inserted => format!("{{+{}+}}", d.quote),
                    DiffKind::Substituted => format!("[~{}→{}~]", d.source, d.quote),
                };
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&piece);
            }
            writeln!(out, "  {line}\n")?;
        }
    }
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
}
