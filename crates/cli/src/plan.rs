//! `stenogram plan`: the files a cold start and each query need, with their sizes on the
//! wire as GitHub Pages sends them (JSON gzipped, the binary index files as they are),
//! as the app fetches them: the manifest, what opening the index reads (`meta.bin`), the
//! index parts (stem-dictionary shards included)
//! that `Index::plan` names until it names none, then the first page of hits' rows and
//! transcript packs (their snippets). For measuring what a first visit costs.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use stenogram_core::bundle::{Manifest, PackIndex, Rows, MANIFEST_FILE};
use stenogram_core::search::{parse, Facet, Index, SearchOptions, LAZY_FACETS};

/// Arguments of `stenogram plan`.
#[derive(clap::Args)]
pub struct Args {
    /// The bundle folder written by `stenogram build`.
    bundle: PathBuf,
    /// Queries, each measured as the first query after a cold start.
    #[arg(required = true)]
    queries: Vec<String>,
    /// Hits on the first page (their rows and snippets are fetched).
    #[arg(long, default_value_t = 20)]
    hits: usize,
    /// Print every file, not only the totals.
    #[arg(long)]
    files: bool,
    /// Ask no facet counts (the app asks them, 50 values per facet).
    #[arg(long)]
    no_facets: bool,
    /// Facets not counted (their panels closed), comma-separated: the app's first
    /// query counts all but `stenogram_core::search::LAZY_FACETS`; `--skip-facets ""`
    /// counts every facet.
    #[arg(long, value_delimiter = ',')]
    skip_facets: Option<Vec<String>>,
}

/// Bytes of `path` under `root` on the wire as GitHub Pages sends them: gzipped when it is
/// JSON, as they are when binary (`.bin`, `.fst`; the build deflates those itself).
fn wire(root: &Path, path: &str) -> Result<(Vec<u8>, u64)> {
    let p = root.join(path);
    let bytes = std::fs::read(&p).with_context(|| format!("{}: cannot read", p.display()))?;
    if !path.ends_with(".json") {
        let n = bytes.len() as u64;
        return Ok((bytes, n));
    }
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&bytes)?;
    let n = enc.finish()?.len() as u64;
    Ok((bytes, n))
}

/// One group of files and their bytes on the wire.
#[derive(Default)]
struct Group {
    files: Vec<(String, u64)>,
}

impl Group {
    fn total(&self) -> u64 {
        self.files.iter().map(|f| f.1).sum()
    }
    fn max(&self) -> u64 {
        self.files.iter().map(|f| f.1).max().unwrap_or(0)
    }
}

/// Runs `stenogram plan`.
pub fn run(args: Args) -> Result<ExitCode> {
    let root = &args.bundle;
    let mut start = Group::default();
    let (json, n) = wire(root, MANIFEST_FILE)?;
    start.files.push((MANIFEST_FILE.into(), n));
    let manifest = Manifest::from_json(std::str::from_utf8(&json)?)?;
    let info = manifest
        .index
        .as_ref()
        .context("the bundle has no index; rebuild it with `stenogram build`")?;
    let open = |p: &str, g: &mut Group| -> Result<Vec<u8>> {
        let (b, n) = wire(root, p)?;
        g.files.push((p.to_string(), n));
        Ok(b)
    };
    // As the app opens it: `meta.bin` alone, the stem dictionary in shards.
    let meta = open(&info.meta, &mut start)?;
    let fresh = || Index::open(&meta, Vec::new());
    let skip: Vec<Facet> = match &args.skip_facets {
        None => LAZY_FACETS.to_vec(),
        Some(names) => names
            .iter()
            .filter(|n| !n.is_empty())
            .map(|n| Facet::from_name(n).with_context(|| format!("--skip-facets: no facet {n:?}")))
            .collect::<Result<_>>()?,
    };
    let mut out = String::new();
    use std::fmt::Write as _;
    writeln!(
        out,
        "{} transcripts; start: {} files, {} B on the wire (largest {} B)",
        manifest.summary.docs,
        start.files.len(),
        start.total(),
        start.max()
    )?;
    if args.files {
        for (p, n) in &start.files {
            writeln!(out, "  {n:>9}  {p}")?;
        }
    }
    writeln!(
        out,
        "{:24} {:>9} {:>9} {:>9} {:>9} {:>10} {:>9}",
        "query", "parts", "rows", "packs", "query", "start+qry", "largest"
    )?;
    for q in &args.queries {
        let query = parse(q).map_err(|e| anyhow::anyhow!("{q:?}: {}", e.message))?;
        let mut ix = fresh()?;
        let (mut parts, mut rows, mut packs) =
            (Group::default(), Group::default(), Group::default());
        // As the app asks: a page of hits, 50 values per facet.
        // The hits' ids and speakers come from their rows, as in the app.
        let opts = SearchOptions {
            limit: args.hits,
            facets: !args.no_facets,
            facet_limit: Some(stenogram_core::bundle::SUMMARY_FACET_LIMIT),
            skip_facets: skip.clone(),
            hit_details: false,
            ..SearchOptions::default()
        };
        loop {
            let missing = ix.plan_for(&query, &opts)?;
            if missing.is_empty() {
                break;
            }
            for p in missing {
                let path = info
                    .part_path(p)
                    .with_context(|| format!("the manifest lists no file for {p:?}"))?;
                let b = open(&path, &mut parts)?;
                ix.add_part(p, b)?;
            }
        }
        let res = ix.search(&query, &opts)?;
        let hits: Vec<u32> = res.hits.iter().map(|h| h.doc).collect();
        let mut store = Rows::new(&manifest.rows);
        for p in store.missing(&hits) {
            let b = open(&manifest.rows.row_path(p), &mut rows)?;
            store.add(p, &b)?;
        }
        // The packs follow from the hits' numbers (their table first, if packs hold
        // several transcripts).
        let mut locate = PackIndex::new(&manifest.rows);
        if let Some(t) = locate.missing().map(str::to_string) {
            locate.add(&open(&t, &mut packs)?)?;
        }
        let mut seen = BTreeSet::new();
        for &d in &hits {
            let (file, _) = locate
                .locate(d)
                .with_context(|| format!("the bundle has no document {d}; rebuild the bundle"))?;
            if seen.insert(file.clone()) {
                open(&file, &mut packs)?;
            }
        }
        let query_bytes = parts.total() + rows.total() + packs.total();
        let largest = [start.max(), parts.max(), rows.max(), packs.max()]
            .into_iter()
            .max()
            .unwrap_or(0);
        writeln!(
            out,
            "{:24} {:>9} {:>9} {:>9} {:>9} {:>10} {:>9}",
            q,
            parts.total(),
            rows.total(),
            packs.total(),
            query_bytes,
            start.total() + query_bytes,
            largest
        )?;
        if args.files {
            for (p, n) in parts.files.iter().chain(&rows.files).chain(&packs.files) {
                writeln!(out, "  {n:>9}  {p}")?;
            }
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
