//! The facets a search is filtered and counted by: the one list of them.
//!
//! [`Facet`] names each facet (its name in queries, URLs and JSON, its label, its slot)
//! and says where a transcript's values come from ([`Facet::values`]). [`FacetMap`] holds
//! one value per facet, indexed by [`Facet`]: the index meta's value dictionaries, the
//! engine's counts, [`super::Filters`] and [`super::Facets`] are all one, so adding a
//! facet is one variant here (plus ingest filling the field it reads).

use std::collections::BTreeMap;
use std::ops::{Index, IndexMut};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::Transcript;

/// One facet. The order of [`Facet::ALL`] is the order of slots, of the app's facet
/// panel and of the index meta's value dictionaries (a new facet goes last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    /// The speakers of a transcript's turns; `speaker:` also scopes a query's words.
    Speaker,
    /// The year of the transcript's date (or of its `year`); queried with `date:`.
    Year,
    /// The place, and the places tagged.
    Place,
    Topic,
    Kind,
    /// Countries and organisations mentioned (see `docs/ingest.md`).
    Mentions,
    /// The speaking delegation of a UN General Debate address; for other transcripts,
    /// the country where the place lies, when ingest knows it.
    Country,
}

/// Where a facet's values come from, which decides how the index stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The speakers of the turns: stored with the turns, which scoped queries need.
    Turns,
    /// The date: stored as a column; the values are the years.
    Date,
    /// [`Facet::values`]: stored as a value dictionary and per-document value lists.
    Values,
}

impl Facet {
    /// Number of facets.
    pub const COUNT: usize = 7;

    /// Every facet, in slot order.
    pub const ALL: [Facet; Facet::COUNT] = [
        Facet::Speaker,
        Facet::Year,
        Facet::Place,
        Facet::Topic,
        Facet::Kind,
        Facet::Mentions,
        Facet::Country,
    ];

    /// Position in [`Facet::ALL`] and in a [`FacetMap`].
    pub fn slot(self) -> usize {
        self as usize
    }

    /// The name in queries (`place:`), URLs (`?place=`) and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Speaker => "speaker",
            Facet::Year => "year",
            Facet::Place => "place",
            Facet::Topic => "topic",
            Facet::Kind => "kind",
            Facet::Mentions => "mentions",
            Facet::Country => "country",
        }
    }

    /// The label shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Facet::Speaker => "Speaker",
            Facet::Year => "Year",
            Facet::Place => "Place",
            Facet::Topic => "Topic",
            Facet::Kind => "Kind",
            Facet::Mentions => "Mentions",
            Facet::Country => "Country",
        }
    }

    /// The facet called `name` ([`Facet::name`], exactly).
    pub fn from_name(name: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the query language has a `name:` condition for it (the year has `date:`).
    pub fn in_query(self) -> bool {
        self != Facet::Year
    }

    /// Whether a `name:` condition must equal a whole value (a speaker's name) rather
    /// than hold the typed words in a row ("place:moscow" matches "Moscow, Kremlin").
    pub fn matches_whole_value(self) -> bool {
        self == Facet::Speaker
    }

    pub(crate) fn source(self) -> Source {
        match self {
            Facet::Speaker => Source::Turns,
            Facet::Year => Source::Date,
            _ => Source::Values,
        }
    }

    /// Whether the index stores this facet as a value dictionary and per-document value
    /// lists ([`Facet::values`]), in a part of its own (`PartId::Facet`).
    pub fn has_values(self) -> bool {
        self.source() == Source::Values
    }

    /// The transcript's values of this facet, as given (the index keeps them raw): for a
    /// facet of [`Source::Values`]; empty for the speaker and the year, which the index
    /// takes from the turns and the date.
    pub fn values(self, t: &Transcript) -> Vec<String> {
        match self {
            Facet::Speaker | Facet::Year => Vec::new(),
            Facet::Place => t.place.iter().chain(&t.tags.places).cloned().collect(),
            Facet::Topic => t.tags.topics.clone(),
            Facet::Kind => t.kind.iter().cloned().collect(),
            Facet::Mentions => t
                .mentions
                .countries
                .iter()
                .chain(&t.mentions.organisations)
                .map(|m| m.name.clone())
                .collect(),
            Facet::Country => t.country.iter().cloned().collect(),
        }
    }
}

impl std::fmt::Display for Facet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One `T` per facet, indexed by [`Facet`]. In JSON, an object keyed by facet name
/// (missing names read as `T::default()`, unknown ones are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FacetMap<T>([T; Facet::COUNT]);

impl<T> FacetMap<T> {
    /// The map holding `f(facet)` for every facet.
    pub fn from_fn(f: impl FnMut(Facet) -> T) -> FacetMap<T> {
        FacetMap(Facet::ALL.map(f))
    }

    /// (facet, value) in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (Facet, &T)> {
        Facet::ALL.into_iter().zip(&self.0)
    }

    /// (facet, value) in slot order, mutably.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (Facet, &mut T)> {
        Facet::ALL.into_iter().zip(&mut self.0)
    }

    /// The map of `f(facet, value)`.
    pub fn map<U>(&self, mut f: impl FnMut(Facet, &T) -> U) -> FacetMap<U> {
        FacetMap::from_fn(|k| f(k, &self[k]))
    }
}

impl<T> Index<Facet> for FacetMap<T> {
    type Output = T;
    fn index(&self, f: Facet) -> &T {
        &self.0[f.slot()]
    }
}

impl<T> IndexMut<Facet> for FacetMap<T> {
    fn index_mut(&mut self, f: Facet) -> &mut T {
        &mut self.0[f.slot()]
    }
}

impl<T: Serialize> Serialize for FacetMap<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter().map(|(f, v)| (f.name(), v)))
    }
}

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for FacetMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut m: BTreeMap<String, T> = BTreeMap::deserialize(d)?;
        Ok(FacetMap::from_fn(|f| {
            m.remove(f.name()).unwrap_or_default()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_names_and_json_agree() {
        for (i, f) in Facet::ALL.into_iter().enumerate() {
            assert_eq!(f.slot(), i);
            assert_eq!(Facet::from_name(f.name()), Some(f));
            assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{f}\""));
        }
        let mut m: FacetMap<Vec<u32>> = FacetMap::default();
        m[Facet::Kind].push(3);
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains("\"kind\":[3]"), "{json}");
        let back: FacetMap<Vec<u32>> =
            serde_json::from_str(r#"{"kind":[3],"unknown":[1]}"#).unwrap();
        assert_eq!(back, m);
    }
}
