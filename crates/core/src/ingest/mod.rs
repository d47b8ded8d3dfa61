//! Parsing raw transcripts into the [`crate::model`]. (Placeholder: owned by the ingest work.)
