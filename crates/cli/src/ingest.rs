//! `stenogram ingest`: raw transcripts (plain text, Kremlin HTML, JSON lines, gzipped
//! or not) into schema-1 JSON, one `<out>/<id>.json` per transcript.
//!
//! This file owns the I/O around the pure parsers in `stenogram_core::ingest`:
//! finding inputs, decoding bytes (UTF-8, gzip), sidecar metadata, atomic writes,
//! progress, error reporting (`file[:line]: message`) and the exit status, which is
//! non-zero whenever any input or record was skipped. One bad item never loses the
//! good ones.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use stenogram_core::bundle::file_stem_for_id;
use stenogram_core::ingest::{self, speakers::CorpusSpeakers, Format, FrontMatter, IngestError};
use stenogram_core::Transcript;

use crate::fsio::{expand_inputs, write_atomic};

/// Arguments of `stenogram ingest`.
#[derive(clap::Args)]
pub struct Args {
    /// Files or folders of raw transcripts: `.txt` (plain text, optional `<stem>.meta`
    /// sidecar), `.html`/`.htm` (Kremlin pages), `.jsonl`/`.ndjson` (one record per
    /// line), each optionally gzipped (`.gz`). Folders are searched recursively.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Folder to write `<id>.json` files into.
    #[arg(long)]
    out: PathBuf,
    /// Also write the corpus-wide speaker list (label variants merged) to this JSON file.
    #[arg(long)]
    speakers: Option<PathBuf>,
    /// Refuse an input file (other than JSON lines) larger than this, after
    /// decompression; the size on disk is checked before reading.
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_BYTES)]
    max_file_bytes: u64,
    /// Refuse a JSON-lines record longer than this (a JSON-lines file is read a line at
    /// a time, so it may be of any size).
    #[arg(long, default_value_t = 16 << 20)]
    max_line_bytes: usize,
    /// Follow symbolic links to folders outside an input folder.
    #[arg(long)]
    follow_links: bool,
}

/// The default of `--max-file-bytes`: the core's own limit on one input.
pub const DEFAULT_MAX_FILE_BYTES: u64 = ingest::MAX_INPUT_BYTES as u64;

/// JSON-lines records parsed together: enough to keep every core busy, few enough
/// (with `--max-line-bytes`) to bound the memory of a file of any size.
const LINES_PER_BATCH: usize = 2048;

/// Runs `f` for one item (a file, a record); a panic in it is reported as a problem of
/// that item, and the run goes on with the others.
fn guarded<T>(run: &Run, origin: &str, f: impl FnOnce() -> T) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(v) => Some(v),
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            run.report(format!(
                "{origin}: internal error while parsing ({what}); skipped: please report it with this input"
            ));
            None
        }
    }
}

/// Test hook (debug builds only): panics while handling the record or file whose
/// transcript id is `STENOGRAM_TEST_PANIC_ID`, so tests can check that one panic does
/// not end the run.
fn test_panic(id: &str) {
    if cfg!(debug_assertions) && std::env::var("STENOGRAM_TEST_PANIC_ID").is_ok_and(|v| v == id) {
        panic!("test panic for {id}");
    }
}

/// Shared state of one run: problems reported so far, ids written, counters.
struct Run {
    out: PathBuf,
    problems: Mutex<Vec<String>>,
    written: Mutex<HashMap<String, String>>,
    speakers: Option<Mutex<CorpusSpeakers>>,
    progress: ProgressBar,
}

impl Run {
    fn report(&self, msg: String) {
        self.progress.suspend(|| eprintln!("stenogram: {msg}"));
        self.problems.lock().expect("poisoned").push(msg);
    }

    /// Writes one transcript, refusing a second transcript with the same id.
    fn write(&self, t: &Transcript, origin: &str) -> bool {
        {
            let mut w = self.written.lock().expect("poisoned");
            if let Some(first) = w.get(&t.id) {
                let msg = format!(
                    "{origin}: id {:?} was already written from {first}; skipped (give it another id in front matter or rename the file)",
                    t.id
                );
                drop(w);
                self.report(msg);
                return false;
            }
            w.insert(t.id.clone(), origin.to_string());
        }
        let path = self.out.join(format!("{}.json", file_stem_for_id(&t.id)));
        let bytes = match serde_json::to_vec_pretty(t) {
            Ok(b) => b,
            Err(e) => {
                self.report(format!("{origin}: cannot serialise: {e}"));
                return false;
            }
        };
        if let Err(e) = write_atomic(&path, &bytes) {
            self.report(format!("{origin}: {e:#}"));
            return false;
        }
        if let Some(s) = &self.speakers {
            s.lock().expect("poisoned").add(t);
        }
        true
    }
}

/// Runs `stenogram ingest`.
pub fn run(args: Args) -> Result<ExitCode> {
    let started = Instant::now();
    // Expand each input on its own so that one missing file does not lose the rest.
    let mut files = Vec::new();
    let mut early = Vec::new();
    for input in &args.inputs {
        match expand_inputs(
            std::slice::from_ref(input),
            ingest::read::EXTENSIONS,
            args.follow_links,
        ) {
            Ok(f) => {
                files.extend(f.files);
                early.extend(f.skipped);
            }
            Err(e) => early.push(format!("{e:#}")),
        }
    }
    let total_bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    // A bar only on a terminal, and only for runs long enough to want one.
    let progress = if files.len() > 20 || total_bytes > 4 << 20 {
        let pb = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}) {msg}",
            )
            .expect("valid template"),
        );
        pb
    } else {
        ProgressBar::hidden()
    };
    let run = Run {
        out: args.out.clone(),
        problems: Mutex::new(Vec::new()),
        written: Mutex::new(HashMap::new()),
        speakers: args
            .speakers
            .as_ref()
            .map(|_| Mutex::new(CorpusSpeakers::default())),
        progress,
    };
    for msg in early {
        run.report(msg);
    }
    let count = std::sync::atomic::AtomicUsize::new(0);
    let bytes_in = std::sync::atomic::AtomicU64::new(0);
    // Big files (JSON lines) parallelise inside; small files parallelise across.
    let limits = Limits {
        file: args.max_file_bytes,
        line: args.max_line_bytes,
    };
    files.par_iter().for_each(|f| {
        let (n, b) = ingest_file(&run, f, &limits);
        count.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        bytes_in.fetch_add(b, std::sync::atomic::Ordering::Relaxed);
    });
    run.progress.finish_and_clear();
    // The renames into the output folder, made durable once for the whole run.
    if args.out.is_dir() {
        if let Err(e) = crate::fsio::sync_dir(&args.out) {
            run.report(format!("{e:#}"));
        }
    }
    if let (Some(path), Some(s)) = (&args.speakers, &run.speakers) {
        let entries = s.lock().expect("poisoned").entries();
        match serde_json::to_vec_pretty(&entries) {
            Ok(b) => {
                if let Err(e) = write_atomic(path, &b) {
                    run.report(format!("{e:#}"));
                }
            }
            Err(e) => run.report(format!("{}: cannot serialise: {e}", path.display())),
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let mb = bytes_in.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e6;
    let problems = run.problems.lock().expect("poisoned").len();
    let n = count.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "ingested {n} transcripts from {} files: {mb:.1} MB in {secs:.2} s ({:.1} MB/s){}",
        files.len(),
        mb / secs.max(1e-9),
        if problems > 0 {
            format!("; {problems} skipped (see messages above)")
        } else {
            String::new()
        }
    );
    Ok(if problems > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads, decodes and parses one file; returns (transcripts written, bytes of text).
fn ingest_file(run: &Run, path: &Path, limits: &Limits) -> (usize, u64) {
    let shown = path.display().to_string();
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    run.progress.inc(size);
    // JSON lines are read a record at a time; any other input whole, within the limit.
    let by_name = ingest::format_of(&shown, "");
    if by_name == Format::JsonLines {
        return match crate::fsio::open_input(path) {
            Ok(r) => ingest_jsonl(run, &shown, r, limits.line),
            Err(e) => {
                run.report(format!("{shown}: cannot read: {e}"));
                (0, 0)
            }
        };
    }
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let read = if gz {
        crate::fsio::open_input(path).and_then(|r| crate::fsio::read_bounded(r, limits.file))
    } else {
        crate::fsio::read_file(path, limits.file)
    };
    let bytes = match read {
        Ok(b) => b,
        Err(e) if gz && e.kind() == std::io::ErrorKind::InvalidInput => {
            run.report(format!("{shown}: not a readable gzip file: {e}"));
            return (0, 0);
        }
        Err(e) => {
            run.report(format!("{shown}: cannot read: {e}"));
            return (0, 0);
        }
    };
    let text = match ingest::read::decode(&bytes) {
        Ok(t) => t,
        Err(e) => {
            run.report(located(&shown, &e));
            return (0, 0);
        }
    };
    let n_bytes = text.len() as u64;
    let written = match ingest::format_of(&shown, text) {
        Format::JsonLines => match ingest::read::json_lines(text) {
            Ok(lines) => lines
                .par_iter()
                .map(|&(n, l)| record(run, &shown, n, l))
                .sum(),
            Err(e) => {
                run.report(format!("{shown}: {e}"));
                0
            }
        },
        f => {
            let meta = if f == Format::Text {
                match sidecar(path) {
                    Ok(m) => m,
                    Err(msg) => {
                        run.report(msg);
                        return (0, n_bytes);
                    }
                }
            } else {
                None
            };
            guarded(run, &shown, || {
                let r = ingest::read::parse_one(f, &shown, text, meta.as_ref());
                if let Ok(t) = &r {
                    test_panic(&t.id);
                }
                one(run, &shown, r)
            })
            .unwrap_or(0)
        }
    };
    (written, n_bytes)
}

/// The size limits of one run.
struct Limits {
    file: u64,
    line: usize,
}

fn one(run: &Run, shown: &str, r: Result<Transcript, IngestError>) -> usize {
    match r {
        Ok(t) => usize::from(run.write(&t, shown)),
        Err(e) => {
            run.report(located(shown, &e));
            0
        }
    }
}

fn located(shown: &str, e: &IngestError) -> String {
    // Line-bearing messages already start with "line N:"; make that `file:N:`.
    let msg = e.to_string();
    match e.line() {
        Some(l) => {
            let prefix = format!("line {l}: ");
            let rest = msg.strip_prefix(&prefix).unwrap_or(&msg);
            format!("{shown}:{l}: {rest}")
        }
        None => format!("{shown}: {msg}"),
    }
}

/// Parses and writes one JSON-lines record (line `n` of `shown`); returns 1 if written.
fn record(run: &Run, shown: &str, n: usize, line: &str) -> usize {
    guarded(
        run,
        &format!("{shown}:{n}"),
        || match ingest::jsonl::parse_record(line, n) {
            Ok(t) => {
                test_panic(&t.id);
                usize::from(run.write(&t, &format!("{shown}:{n}")))
            }
            Err(e) => {
                run.report(located(shown, &e));
                0
            }
        },
    )
    .unwrap_or(0)
}

/// Reads a JSON-lines input a line at a time (each within `max_line` bytes) and parses
/// its records in parallel batches; returns (transcripts written, bytes of text).
fn ingest_jsonl(run: &Run, shown: &str, mut r: impl BufRead, max_line: usize) -> (usize, u64) {
    let (mut written, mut bytes, mut records) = (0, 0u64, 0usize);
    let mut n = 0;
    let mut buf = Vec::new();
    let mut batch: Vec<(usize, String)> = Vec::new();
    loop {
        let got = match crate::fsio::read_line_bounded(&mut r, &mut buf, max_line) {
            Ok(g) => g,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
                run.report(format!("{shown}: not a readable gzip file: {e}"));
                break;
            }
            Err(e) => {
                run.report(format!("{shown}:{}: cannot read: {e}", n + 1));
                break;
            }
        };
        let Some(fits) = got else { break };
        n += 1;
        if !fits {
            run.report(format!(
                "{shown}:{n}: record longer than {max_line} bytes; skipped (raise --max-line-bytes if it is real)"
            ));
            records += 1;
            continue;
        }
        bytes += buf.len() as u64 + 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        records += 1;
        match ingest::read::decode(&buf) {
            Ok(text) => batch.push((n, text.trim().to_string())),
            Err(e) => run.report(format!("{shown}:{n}: {e}")),
        }
        if batch.len() >= LINES_PER_BATCH {
            written += flush(run, shown, &mut batch);
        }
    }
    written += flush(run, shown, &mut batch);
    if records == 0 {
        let e = if n == 0 {
            IngestError::Empty
        } else {
            IngestError::NoContent
        };
        run.report(format!("{shown}: {e}"));
    }
    (written, bytes)
}

fn flush(run: &Run, shown: &str, batch: &mut Vec<(usize, String)>) -> usize {
    let n = batch
        .par_iter()
        .map(|(n, l)| record(run, shown, *n, l))
        .sum();
    batch.clear();
    n
}

/// Sidecar metadata: `<stem>.meta` next to the text file, `key: value` lines.
fn sidecar(path: &Path) -> std::result::Result<Option<FrontMatter>, String> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("input");
    let p = path.with_file_name(format!("{}.meta", ingest::read::stem_of(name)));
    if !p.is_file() {
        return Ok(None);
    }
    let shown = p.display().to_string();
    let text = std::fs::read_to_string(&p)
        .map_err(|e| format!("{shown}: cannot read sidecar metadata: {e}"))?;
    FrontMatter::parse(&text, 1)
        .map(Some)
        .map_err(|e| located(&shown, &e))
}
