//! The rows and the id lookup, as the worker serves them: it fetches the row and id
//! shards a caller needs (through [`fetch_bytes`]), checks them with the core's stores
//! ([`Rows`](stenogram_core::bundle::Rows), [`IdIndex`](stenogram_core::bundle::IdIndex))
//! and keeps them for the next call. Home needs none: [`Engine::summary`] is in the
//! manifest.

use stenogram_core::bundle::{DocMeta, Summary};

use crate::{fetch_bytes, Engine, LoadError};

impl Engine {
    /// The rows of `docs`, in their order, fetching the shards not loaded yet. A number
    /// past the corpus is an error (it came from another bundle's URL or results).
    pub async fn rows(&self, docs: &[u32]) -> Result<Vec<DocMeta>, LoadError> {
        // Fetched together: a concordance page's transcripts lie in dozens of shards.
        let missing = self.rows.borrow().missing(docs);
        let urls: Vec<String> = missing
            .iter()
            .map(|&p| format!("{}{}", self.base, self.rows_info.row_path(p)))
            .collect();
        let got = futures_util::future::join_all(urls.iter().map(|u| fetch_bytes(u))).await;
        for (p, bytes) in missing.into_iter().zip(got) {
            self.rows.borrow_mut().add(p, &bytes?)?;
        }
        let rows = self.rows.borrow();
        docs.iter()
            .map(|&d| {
                rows.get(d)
                    .cloned()
                    .ok_or_else(|| LoadError::UnknownId(format!("#{d}")))
            })
            .collect()
    }

    /// The document number of the transcript `id` (a reading URL's), fetching its id
    /// shard if needed; `None` when no transcript has it.
    pub async fn doc_of(&self, id: &str) -> Result<Option<u32>, LoadError> {
        let missing = self.ids.borrow().missing(&[id]);
        for p in missing {
            let bytes = fetch_bytes(&format!("{}{}", self.base, self.rows_info.id_path(p))).await?;
            self.ids.borrow_mut().add(p, &bytes)?;
        }
        Ok(self.ids.borrow().get(id))
    }

    /// What home shows before any query: counts, dates, the newest rows, the browse's
    /// facets (from the manifest; nothing to fetch).
    pub fn summary(&self) -> &Summary {
        &self.summary
    }
}
