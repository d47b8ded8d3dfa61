//! Installing the tools the build and the checks need, idempotently: each is checked
//! first and installed only when missing or at the wrong version.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// Trunk 0.22 needs a newer rustc than this machine's; 0.21.14 is the newest that builds.
const TRUNK_VERSION: &str = "0.21.14";
/// Debian's binaryen (108) emits a wasm whose page stays blank; npm's 132 works.
const WASM_OPT_VERSION: &str = "132";
/// The splitter that cuts the page's wasm at its split points (xtask/src/split.rs); it
/// must read the section that `wasm_split_helpers` 0.2 (Leptos 0.8's) writes.
const WASM_SPLIT_VERSION: &str = "0.2.4";

/// What the other chores need to find the installed tools.
pub struct Env {
    /// `PATH` with the npm tools (wasm-opt, …) in front.
    pub path: OsString,
}

impl Env {
    /// A command for `program` that finds the project's tools on its `PATH`.
    pub fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("PATH", &self.path);
        c
    }
}

/// Runs `c`, echoing it, and fails with its exit status.
pub fn run(c: &mut Command) -> Result<()> {
    eprintln!("xtask: running {}", describe(c));
    let status = c
        .status()
        .with_context(|| format!("could not start {}", describe(c)))?;
    if !status.success() {
        bail!("{} failed ({status})", describe(c));
    }
    Ok(())
}

fn describe(c: &Command) -> String {
    std::iter::once(c.get_program())
        .chain(c.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first line a tool prints for `--version`, or `None` if it does not run.
fn version_of(env_path: &OsString, program: &str, arg: &str) -> Option<String> {
    let out = Command::new(program)
        .arg(arg)
        .env("PATH", env_path)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    })
}

/// Ensures every tool for building the site; with `browser`, also Chromium, its driver
/// and the npm packages of the end-to-end suite.
pub fn ensure_all(root: &Path, browser: bool) -> Result<Env> {
    let node_bin = root.join("e2e/node_modules/.bin");
    let mut paths = vec![node_bin, home_cargo_bin()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let env = Env {
        path: std::env::join_paths(paths)?,
    };
    ensure_wasm_target()?;
    ensure_npm(root, &env)?;
    ensure_trunk(&env)?;
    ensure_wasm_bindgen(root, &env)?;
    ensure_wasm_split(&env)?;
    if browser {
        ensure_chromium()?;
    }
    Ok(env)
}

fn home_cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

fn ensure_wasm_target() -> Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("rustup is needed to add the wasm32 target")?;
    if !String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

fn ensure_trunk(env: &Env) -> Result<()> {
    match version_of(&env.path, "trunk", "--version") {
        Some(v) if v.contains(TRUNK_VERSION) => Ok(()),
        _ => run(Command::new("cargo").args([
            "install",
            "trunk",
            "--locked",
            "--version",
            &format!("={TRUNK_VERSION}"),
        ])),
    }
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn locked_wasm_bindgen(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .context("Cargo.lock is missing; run `cargo generate-lockfile`")?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|v| v.trim().strip_prefix("version = \""))
            {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    bail!("Cargo.lock has no wasm-bindgen package")
}

fn ensure_wasm_bindgen(root: &Path, env: &Env) -> Result<()> {
    let want = locked_wasm_bindgen(root)?;
    if version_of(&env.path, "wasm-bindgen", "--version").is_some_and(|v| v.ends_with(&want)) {
        return Ok(());
    }
    let version = format!("={want}");
    // `--locked` fails on one of its dependencies on this toolchain; fall back without it.
    run(Command::new("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--locked",
        "--version",
        &version,
    ]))
    .or_else(|_| {
        run(Command::new("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--force",
            "--version",
            &version,
        ]))
    })
}

fn ensure_wasm_split(env: &Env) -> Result<()> {
    // The CLI prints no version; cargo's own record of installed binaries tells.
    let installed = Command::new("cargo")
        .args(["install", "--list"])
        .env("PATH", &env.path)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.starts_with(&format!("wasm_split_cli_support v{WASM_SPLIT_VERSION}")))
    {
        return Ok(());
    }
    run(Command::new("cargo").args([
        "install",
        "wasm_split_cli_support",
        "--locked",
        "--features",
        "build-binary",
        "--version",
        &format!("={WASM_SPLIT_VERSION}"),
    ]))
}

fn ensure_npm(root: &Path, env: &Env) -> Result<()> {
    let dir = root.join("e2e");
    let ok = version_of(&env.path, "wasm-opt", "--version")
        .is_some_and(|v| v.contains(&format!("version {WASM_OPT_VERSION}")))
        && dir.join("node_modules/playwright-core").exists()
        && dir.join("node_modules/axe-core").exists();
    if ok {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir))
}

fn ensure_chromium() -> Result<()> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}
