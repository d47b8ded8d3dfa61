//! `stenogram kwic | trend | collocates | keyness`: the research workbench's views from
//! the shell, over a built bundle. The figures come from `stenogram_core::workbench`,
//! the code the app's worker runs; this file loads the bundle, feeds the transcripts
//! each view asks for, and prints tables, JSON or CSV (docs/workbench.md).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::{json, Value};
use stenogram_core::search::{parse, Filters, PartId, Query};
use stenogram_core::workbench::colloc::{self, CollocOptions, Collocates};
use stenogram_core::workbench::colloc_index::IndexCollocates;
use stenogram_core::workbench::keyness::{self, Keyness, KeynessOptions};
use stenogram_core::workbench::kwic::{self, Concordance, KwicOptions, KwicSort};
use stenogram_core::workbench::trend::{self, By, TrendQuery};
use stenogram_core::workbench::{doc_set, select};

use crate::bundle_dir::Bundle;

/// Parses a query, or prints where it is wrong (exit code 2).
fn query(input: &str) -> std::result::Result<Query, ExitCode> {
    parse(input).map_err(|e| {
        let (a, b) = e.span;
        eprintln!("stenogram: the query is not valid: {}", e.message);
        eprintln!("  {input}");
        eprintln!("  {}{}", " ".repeat(a), "^".repeat((b - a).max(1)));
        ExitCode::from(2)
    })
}

/// Prints; a reader that stops early (`| head`) is not an error.
fn emit(text: &str) -> Result<ExitCode> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Output format of a view.
#[derive(clap::Args)]
pub struct Format {
    /// Print JSON (shapes in docs/workbench.md).
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV (RFC 4180, formula-safe).
    #[arg(long)]
    csv: bool,
}

/// Arguments of `stenogram kwic`.
#[derive(clap::Args)]
pub struct KwicArgs {
    /// The bundle folder written by `stenogram build`.
    bundle: PathBuf,
    /// A word, phrase or prefix, with any filters of the query syntax (docs/query-syntax.md).
    query: String,
    /// Lines to print.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Lines to skip first.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Order of lines.
    #[arg(long, value_enum, default_value = "date")]
    sort: SortArg,
    /// Words of context on each side.
    #[arg(long, default_value_t = kwic::CONTEXT_WORDS)]
    context: usize,
    #[command(flatten)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SortArg {
    Left1,
    Left2,
    Right1,
    Right2,
    Date,
    Transcript,
}

/// Runs `stenogram kwic`.
pub fn run_kwic(a: KwicArgs) -> Result<ExitCode> {
    let mut b = Bundle::open(&a.bundle)?;
    let q = match query(&a.query) {
        Ok(q) => q,
        Err(code) => return Ok(code),
    };
    let sort = match a.sort {
        SortArg::Left1 => KwicSort::Left1,
        SortArg::Left2 => KwicSort::Left2,
        SortArg::Right1 => KwicSort::Right1,
        SortArg::Right2 => KwicSort::Right2,
        SortArg::Date => KwicSort::Date,
        SortArg::Transcript => KwicSort::Transcript,
    };
    let opts = KwicOptions {
        sort,
        offset: a.offset,
        limit: a.limit,
        context: a.context,
        near: None,
    };
    let mut c = Concordance::new(&b.index, &q, &Filters::default(), opts)?;
    for d in c.needs() {
        let t = b.transcript(d)?;
        c.feed(d, &t);
    }
    let page = c.page();
    let total = page.total.unwrap_or(0);
    let mut out = String::new();
    if a.format.json {
        let lines: Vec<Value> = page
            .lines
            .iter()
            .map(|l| {
                json!({"id": l.id, "paragraph": l.paragraph, "speaker": l.speaker,
                       "date": l.date, "left": l.left, "match": l.matched, "right": l.right})
            })
            .collect();
        let v = json!({"total": total, "docs": page.docs, "lines": lines});
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else if a.format.csv {
        out = kwic::to_csv(&page.lines);
    } else {
        writeln!(out, "{total} occurrences in {} transcripts", page.docs)?;
        let width = a.context * 7;
        for l in &page.lines {
            let left: String = {
                let c: Vec<char> = l.left.chars().collect();
                c[c.len().saturating_sub(width)..].iter().collect()
            };
            let right: String = l.right.chars().take(width).collect();
            let para = l.paragraph.map_or("title".to_string(), |p| format!("¶{p}"));
            writeln!(
                out,
                "{left:>width$} [{}] {right:<width$}  {} {} {}",
                l.matched,
                l.date.as_deref().unwrap_or("----------"),
                l.id,
                para
            )?;
        }
    }
    emit(&out)
}

/// Arguments of `stenogram trend`.
#[derive(clap::Args)]
pub struct TrendArgs {
    /// The bundle folder written by `stenogram build`.
    bundle: PathBuf,
    /// One to five words or phrases (docs/query-syntax.md).
    #[arg(required = true, num_args = 1..=trend::MAX_QUERIES)]
    queries: Vec<String>,
    /// Bucket by year or by month.
    #[arg(long, value_enum, default_value = "year")]
    by: ByArg,
    #[command(flatten)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ByArg {
    Year,
    Month,
}

/// Runs `stenogram trend`.
pub fn run_trend(a: TrendArgs) -> Result<ExitCode> {
    let mut b = Bundle::open(&a.bundle)?;
    let by = match a.by {
        ByArg::Year => By::Year,
        ByArg::Month => By::Month,
    };
    let filters = Filters::default();
    let everything = select(&b.index, &Query::default(), &filters)?;
    let base = trend::base(&b.index, &everything, by);
    let mut series = Vec::new();
    for text in &a.queries {
        let q = match query(text) {
            Ok(q) => q,
            Err(code) => return Ok(code),
        };
        let mut tq = TrendQuery::new(&b.index, text, &q, &filters)?;
        let needs = tq.needs_text();
        if !needs.is_empty() {
            let m = b.index.matcher(&q)?;
            for d in needs {
                let t = b.transcript(d)?;
                tq.set_count(&b.index, d, kwic::count_in(&m, &t));
            }
        }
        series.push(trend::series(&b.index, &tq, &base, by));
    }
    let mut out = String::new();
    if a.format.json {
        let list = |s: &trend::Series| json!({"query": s.query, "buckets": s.buckets, "undated": s.undated});
        let v = match series.as_slice() {
            [one] => list(one),
            many => Value::Array(many.iter().map(list).collect()),
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else if a.format.csv {
        out = trend::to_csv(&series);
    } else {
        for s in &series {
            writeln!(out, "{}", s.query)?;
            writeln!(
                out,
                "  {:8} {:>7} {:>8} {:>12} {:>10} {:>7}",
                "bucket", "docs", "hits", "words", "per 1M", "share"
            )?;
            for k in &s.buckets {
                writeln!(
                    out,
                    "  {:8} {:>7} {:>8} {:>12} {:>10.2} {:>6.1}%",
                    k.key,
                    k.docs,
                    k.hits,
                    k.words,
                    k.per_million,
                    k.share * 100.0
                )?;
            }
            if s.undated > 0 {
                writeln!(out, "  ({} matching transcripts in no bucket)", s.undated)?;
            }
        }
    }
    emit(&out)
}

/// Arguments of `stenogram collocates`.
#[derive(clap::Args)]
pub struct CollocArgs {
    /// The bundle folder written by `stenogram build`.
    bundle: PathBuf,
    /// A word, phrase or prefix, with any filters of the query syntax.
    query: String,
    /// Words on each side of a match.
    #[arg(long, default_value_t = colloc::WINDOW)]
    window: usize,
    /// Least co-occurrences.
    #[arg(long, default_value_t = 3)]
    min_freq: u64,
    /// Rows to print.
    #[arg(long, default_value_t = 30)]
    limit: usize,
    /// Leave out stop words (docs/workbench.md).
    #[arg(long)]
    no_stop: bool,
    #[command(flatten)]
    format: Format,
}

/// Runs `stenogram collocates`.
pub fn run_collocates(a: CollocArgs) -> Result<ExitCode> {
    let mut b = Bundle::open(&a.bundle)?;
    let q = match query(&a.query) {
        Ok(q) => q,
        Err(code) => return Ok(code),
    };
    let opts = CollocOptions {
        min_freq: a.min_freq,
        limit: usize::MAX,
    };
    // From the index when it places the query's matches (words, phrases), else from
    // the text of the matching transcripts: the same table either way.
    let mut table = match IndexCollocates::new(&b.index, &q, &Filters::default(), a.window)? {
        Some(mut c) => {
            for p in c.needs() {
                if let PartId::Post(s) = p {
                    c.feed(&b.index, s)?;
                }
            }
            c.table(&b.index, &opts)
        }
        None => {
            let mut c = Collocates::new(&b.index, &q, &Filters::default(), a.window)?;
            for d in c.needs() {
                let t = b.transcript(d)?;
                c.feed(d, &t);
            }
            c.table(&opts)
        }
    };
    if a.no_stop {
        table.rows.retain(|r| !r.stop);
    }
    table.rows.truncate(a.limit);
    let mut out = String::new();
    if a.format.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&table)?)?;
    } else if a.format.csv {
        out = colloc::to_csv(&table);
    } else {
        writeln!(
            out,
            "{} matches in {} transcripts; {} words within ±{} of them, of {}",
            table.node_hits, table.docs, table.window_words, a.window, table.words
        )?;
        writeln!(
            out,
            "{:20} {:>7} {:>8} {:>10} {:>6}",
            "word", "cooc", "freq", "G2", "MI"
        )?;
        for r in &table.rows {
            writeln!(
                out,
                "{:20} {:>7} {:>8} {:>10.1} {:>6.2}{}",
                r.word,
                r.cooc,
                r.freq,
                r.g2,
                r.mi,
                if r.stop { "  (stop word)" } else { "" }
            )?;
        }
    }
    emit(&out)
}

/// Arguments of `stenogram keyness`.
#[derive(clap::Args)]
pub struct KeynessArgs {
    /// The bundle folder written by `stenogram build`.
    bundle: PathBuf,
    /// The set to compare with the rest: any query (`speaker:"Vladimir Putin"`, `date:2015`, `syria`...).
    query: String,
    /// Least occurrences (set and rest together).
    #[arg(long, default_value_t = 5)]
    min_freq: u64,
    /// Rows per direction.
    #[arg(long, default_value_t = 25)]
    limit: usize,
    /// Leave out stop words.
    #[arg(long)]
    no_stop: bool,
    #[command(flatten)]
    format: Format,
}

/// Runs `stenogram keyness`.
pub fn run_keyness(a: KeynessArgs) -> Result<ExitCode> {
    let b = Bundle::open(&a.bundle)?;
    let q = match query(&a.query) {
        Ok(q) => q,
        Err(code) => return Ok(code),
    };
    let set = doc_set(&b.index, &select(&b.index, &q, &Filters::default())?);
    let mut k = Keyness::new(&b.index, set);
    for p in k.needs() {
        if let PartId::Post(s) = p {
            k.feed(&b.index, s)?;
        }
    }
    let mut t = k.table(
        &b.index,
        &KeynessOptions {
            min_freq: a.min_freq,
            limit: usize::MAX,
        },
    );
    for v in [&mut t.over, &mut t.under] {
        if a.no_stop {
            v.retain(|r| !r.stop);
        }
        v.truncate(a.limit);
    }
    let mut out = String::new();
    if a.format.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&t)?)?;
    } else if a.format.csv {
        out = keyness::to_csv(&t);
    } else {
        writeln!(
            out,
            "{} transcripts, {} words, against {} words",
            t.set_docs, t.set_words, t.rest_words
        )?;
        for (title, rows) in [
            ("more frequent in the set", &t.over),
            ("less frequent", &t.under),
        ] {
            writeln!(out, "\n{title}")?;
            writeln!(
                out,
                "{:20} {:>8} {:>8} {:>10} {:>10} {:>10} {:>7}",
                "word", "set", "rest", "set/1M", "rest/1M", "G2", "log2 r"
            )?;
            for r in rows {
                writeln!(
                    out,
                    "{:20} {:>8} {:>8} {:>10.1} {:>10.1} {:>10.1} {:>7.2}{}",
                    r.word,
                    r.set,
                    r.rest,
                    r.set_per_million,
                    r.rest_per_million,
                    r.g2,
                    r.log_ratio,
                    if r.stop { "  (stop word)" } else { "" }
                )?;
            }
        }
    }
    emit(&out)
}
