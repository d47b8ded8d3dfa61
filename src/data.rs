//! Fetching the corpus bundle: the manifest at start, each transcript on demand.
//!
//! Every failure is a typed [`LoadError`] that the views show in place; none is
//! collapsed into "nothing".

use std::sync::Arc;

use stenogram_core::bundle::{self, BundleError, DocMeta, Manifest, MANIFEST_FILE};
use stenogram_core::Transcript;

/// Where the bundle sits, relative to the document's `<base href>`.
pub const BUNDLE_DIR: &str = "corpus/";

/// Why a part of the bundle could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    #[error("Could not reach {url}: {message}. If you are offline, this part is not available offline yet: connect and retry.")]
    Network { url: String, message: String },
    #[error("{url} answered HTTP {status}. The corpus may be missing from this site; rebuild it with `cargo xtask dist`.")]
    Status { url: String, status: u16 },
    #[error("No transcript has the id “{0}”. The link may be wrong or from another corpus.")]
    UnknownId(String),
    #[error(transparent)]
    Bundle(#[from] BundleError),
}

/// The loaded manifest, shared read-only by every view.
#[derive(Debug)]
pub struct Corpus {
    pub manifest: Manifest,
}

impl Corpus {
    /// The metadata of the transcript `id`.
    pub fn doc(&self, id: &str) -> Option<&DocMeta> {
        self.manifest.docs.iter().find(|d| d.id == id)
    }
}

async fn fetch_text(path: &str) -> Result<String, LoadError> {
    let url = format!("{BUNDLE_DIR}{path}");
    let resp = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|e| LoadError::Network {
            url: url.clone(),
            message: e.to_string(),
        })?;
    if !resp.ok() {
        return Err(LoadError::Status {
            url,
            status: resp.status(),
        });
    }
    resp.text().await.map_err(|e| LoadError::Network {
        url,
        message: e.to_string(),
    })
}

/// Loads and checks `manifest.json`.
pub async fn load_corpus() -> Result<Arc<Corpus>, LoadError> {
    let text = fetch_text(MANIFEST_FILE).await?;
    let manifest = Manifest::from_json(&text)?;
    Ok(Arc::new(Corpus { manifest }))
}

/// Loads and checks the transcript `id`.
pub async fn load_transcript(
    corpus: Arc<Corpus>,
    id: String,
) -> Result<Arc<Transcript>, LoadError> {
    let meta = corpus
        .doc(&id)
        .ok_or_else(|| LoadError::UnknownId(id.clone()))?;
    let text = fetch_text(&meta.file).await?;
    Ok(Arc::new(bundle::transcript_from_json(&meta.file, &text)?))
}
