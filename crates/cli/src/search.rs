//! `stenogram search`: runs a query against a built bundle and prints the hits, with
//! snippets computed from the hits' transcripts, as text or as JSON.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;
use stenogram_core::search::{parse, Facets, Hit, SearchOptions, Snippet, Sort};

/// What `--json` prints: the engine's results, each hit with its title and snippets.
#[derive(Serialize)]
struct JsonResults<'a> {
    total: usize,
    hits: Vec<JsonHit<'a>>,
    facets: &'a Facets,
}

/// A hit as `--json` prints it: the engine's [`Hit`] plus what the manifest and the
/// transcript add.
#[derive(Serialize)]
struct JsonHit<'a> {
    #[serde(flatten)]
    hit: &'a Hit,
    title: &'a str,
    snippets: &'a [Snippet],
}

/// Arguments of `stenogram search`.
#[derive(clap::Args)]
pub struct Args {
    /// The bundle folder written by `stenogram build`.
    bundle: PathBuf,
    /// The query (syntax: docs/query-syntax.md).
    query: String,
    /// Print JSON: {"total", "hits": [{"doc", "id", "date", "speakers", "score", "title",
    /// "snippets": [{"paragraph", "text", "highlights": [[start, end]]}]}], "facets":
    /// {"speaker": {"values": [{"value", "count"}], "distinct"}, "year": ...}}.
    #[arg(long)]
    json: bool,
    /// After the hits, print up to this many values of every facet (speaker, year,
    /// place, ..., country) with their counts (text output; `--json` has them all).
    #[arg(long, default_value_t = 0)]
    facets: usize,
    /// Hits to print.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Hits to skip first.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Order of hits: relevance, newest or oldest (a query without words is always
    /// newest first under relevance).
    #[arg(long, default_value = "relevance")]
    sort: Sort,
    /// Also time the search (with facets, as the app runs it, and without) this many
    /// times and print p50/p95 to stderr: for profiling.
    #[arg(long, default_value_t = 0)]
    repeat: usize,
}

/// Runs `stenogram search`.
pub fn run(args: Args) -> Result<ExitCode> {
    let mut bundle = crate::bundle_dir::Bundle::open(&args.bundle)?;
    let query = match parse(&args.query) {
        Ok(q) => q,
        Err(e) => {
            let (a, b) = e.span;
            eprintln!("stenogram: the query is not valid: {}", e.message);
            eprintln!("  {}", args.query);
            eprintln!("  {}{}", " ".repeat(a), "^".repeat((b - a).max(1)));
            return Ok(ExitCode::from(2));
        }
    };
    let opts = SearchOptions {
        sort: args.sort,
        offset: args.offset,
        limit: args.limit,
        ..SearchOptions::default()
    };
    if args.repeat > 0 {
        // Every facet value named (this command's output), the app's search (50 values
        // per facet), and no facets, to see what each costs.
        for (what, facets, facet_limit) in [
            ("all facet values", true, None),
            ("50 per facet (app)", true, Some(50)),
            ("no facets", false, None),
        ] {
            let timed = SearchOptions {
                facets,
                facet_limit,
                ..opts.clone()
            };
            let mut times = Vec::with_capacity(args.repeat);
            for _ in 0..args.repeat {
                let t = std::time::Instant::now();
                std::hint::black_box(bundle.index.search(&query, &timed)?);
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
            times.sort_by(f64::total_cmp);
            let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
            eprintln!(
                "{what:20} {} runs: p50 {:.3} ms, p95 {:.3} ms",
                times.len(),
                at(0.5),
                at(0.95)
            );
        }
    }
    let results = bundle.index.search(&query, &opts)?;
    let matcher = bundle.index.matcher(&query)?;
    let mut snippets = Vec::with_capacity(results.hits.len());
    for h in &results.hits {
        snippets.push(matcher.snippets(&bundle.transcript(h.doc)?, 3));
    }
    let mut hits = Vec::new();
    for (h, snippets) in results.hits.iter().zip(snippets) {
        let meta = bundle
            .rows
            .get(h.doc as usize)
            .with_context(|| format!("the manifest has no document {}", h.doc))?;
        hits.push((h, meta, snippets));
    }
    let mut text = String::new();
    if args.json {
        let out = JsonResults {
            total: results.total,
            hits: hits
                .iter()
                .map(|(hit, meta, snippets)| JsonHit {
                    hit,
                    title: &meta.title,
                    snippets,
                })
                .collect(),
            facets: &results.facets,
        };
        writeln!(text, "{}", serde_json::to_string_pretty(&out)?)?;
    } else {
        writeln!(text, "{} matching transcripts", results.total)?;
        for (h, meta, snippets) in &hits {
            writeln!(
                text,
                "\n{}  {}  [{}]  score {:.2}",
                h.date.as_deref().unwrap_or("----------"),
                meta.title,
                h.id,
                h.score
            )?;
            for s in snippets {
                // Terminal highlighting: the data carries offsets, the CLI chooses brackets.
                let chars: Vec<char> = s.text.chars().collect();
                let mut line = String::new();
                let mut at = 0;
                for &(a, b) in &s.highlights {
                    line.extend(&chars[at..a]);
                    line.push('[');
                    line.extend(&chars[a..b]);
                    line.push(']');
                    at = b;
                }
                line.extend(&chars[at..]);
                writeln!(text, "  ¶{}: {}", s.paragraph, line)?;
            }
        }
        if args.facets > 0 {
            writeln!(text)?;
            for (facet, list) in results.facets.iter() {
                let shown: Vec<String> = list
                    .values
                    .iter()
                    .take(args.facets)
                    .map(|c| format!("{} ({})", c.value, c.count))
                    .collect();
                if !shown.is_empty() {
                    let more = list.distinct.saturating_sub(shown.len());
                    let more = if more > 0 {
                        format!(", {more} more")
                    } else {
                        String::new()
                    };
                    writeln!(text, "{}: {}{more}", facet.label(), shown.join(", "))?;
                }
            }
        }
    }
    // A reader that stops early (`| head`) is not an error; `println!` would panic.
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
}
