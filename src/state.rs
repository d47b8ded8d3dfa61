//! The state a reader would share, kept in the URL: the query, the filters, the sort
//! and the page. Views read it from the router's query map and write it back through
//! navigation, so back/forward, reload and deep links restore a view exactly.

use crate::router::Query;
use stenogram_core::search::{Facet, Filters, SearchOptions, Sort};

/// Values listed per facet (the most frequent, plus any selected): enough to pick from;
/// an archive with thousands of speakers is narrowed by the search box instead.
pub const FACET_LIMIT: usize = 50;

/// Hits per page of results.
pub const PAGE: usize = 20;

/// The facets with a list of values to pick from, in the order the sidebar shows them;
/// each is a URL key ([`Facet::name`]). The year has its own control (a histogram, and
/// `from`/`to` in the URL).
pub fn listed_facets() -> impl Iterator<Item = Facet> {
    Facet::ALL.into_iter().filter(|&f| f != Facet::Year)
}

/// Everything that determines a result list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchState {
    pub q: String,
    /// `(facet, value)` pairs, in the order they were chosen.
    pub filters: Vec<(Facet, String)>,
    /// Inclusive year range.
    pub years: Option<(i32, i32)>,
    pub sort: Sort,
    /// How many pages of results are shown (incremental loading).
    pub pages: usize,
    /// The open workbench view and its own settings.
    pub bench: BenchState,
}

impl SearchState {
    /// Reads the state from a route's query parameters.
    pub fn from_query(q: &Query) -> SearchState {
        SearchState::from_lookup(|k| q.get_all(k))
    }

    /// Reads the state through `get_all`, which gives every (decoded) value of a key.
    pub fn from_lookup(get_all: impl Fn(&str) -> Vec<String>) -> SearchState {
        let get = |k: &str| get_all(k).into_iter().next();
        let mut filters = Vec::new();
        for f in listed_facets() {
            for v in get_all(f.name()) {
                if !v.is_empty() && !filters.contains(&(f, v.clone())) {
                    filters.push((f, v));
                }
            }
        }
        let year = |k: &str| {
            get(k)
                .and_then(|v| v.parse::<i32>().ok())
                .filter(|y| (1000..3000).contains(y))
        };
        let years = match (year("from"), year("to")) {
            (Some(a), Some(b)) => Some((a.min(b), a.max(b))),
            (Some(a), None) => Some((a, a)),
            (None, Some(b)) => Some((b, b)),
            (None, None) => None,
        };
        SearchState {
            q: get("q").unwrap_or_default(),
            filters,
            years,
            sort: get("sort").and_then(|s| s.parse().ok()).unwrap_or_default(),
            pages: get("pages")
                .and_then(|p| p.parse().ok())
                .filter(|&p| p >= 1)
                .unwrap_or(1)
                .min(1000),
            bench: BenchState::from_lookup(&get_all),
        }
    }

    /// The query string (with a leading `?`, or empty) that restores this state.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<(String, String)> = Vec::new();
        if !self.q.is_empty() {
            parts.push(("q".into(), self.q.clone()));
        }
        for (f, v) in &self.filters {
            parts.push((f.name().into(), v.clone()));
        }
        if let Some((a, b)) = self.years {
            parts.push(("from".into(), a.to_string()));
            parts.push(("to".into(), b.to_string()));
        }
        if self.sort != Sort::Relevance {
            parts.push(("sort".into(), self.sort.name().into()));
        }
        if self.pages > 1 {
            parts.push(("pages".into(), self.pages.to_string()));
        }
        self.bench.write(&mut parts);
        if parts.is_empty() {
            return String::new();
        }
        let body = parts
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        format!("?{body}")
    }

    /// Its filters alone (facet values and years): the scope a quote is checked in.
    pub fn filters_only(&self) -> SearchState {
        SearchState {
            filters: self.filters.clone(),
            years: self.years,
            ..SearchState::default()
        }
    }

    /// Whether a value of a facet is selected.
    pub fn has(&self, f: Facet, v: &str) -> bool {
        self.filters.iter().any(|(g, w)| *g == f && w == v)
    }

    /// This state with the value toggled; a change of filters starts from the first page.
    pub fn toggled(&self, f: Facet, v: &str) -> SearchState {
        let mut s = self.clone();
        if s.has(f, v) {
            s.filters.retain(|(g, w)| !(*g == f && w == v));
        } else {
            s.filters.push((f, v.to_string()));
        }
        s.pages = 1;
        s
    }

    /// The engine's options for this state: all shown pages at once, facets counted
    /// with the [`FACET_LIMIT`] most frequent values of each listed.
    pub fn options(&self) -> SearchOptions {
        let mut filters = Filters::default();
        for (f, v) in &self.filters {
            filters.values[*f].push(v.clone());
        }
        if let Some((a, b)) = self.years {
            filters.values[Facet::Year] = (a..=b).map(|y| y.to_string()).collect();
        }
        SearchOptions {
            sort: self.sort,
            offset: 0,
            limit: PAGE * self.pages,
            filters,
            facets: true,
            facet_limit: Some(FACET_LIMIT),
            ..SearchOptions::default()
        }
    }

    /// Whether any query or filter is set (otherwise home shows the browse view).
    pub fn is_active(&self) -> bool {
        !self.q.trim().is_empty() || !self.filters.is_empty() || self.years.is_some()
    }
}

/// The tabs of one search: the results, and the workbench's views over them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum View {
    #[default]
    Results,
    Kwic,
    Trend,
    Colloc,
    Keyness,
}

impl View {
    /// Every tab, in the order shown.
    pub const ALL: [View; 5] = [
        View::Results,
        View::Kwic,
        View::Trend,
        View::Colloc,
        View::Keyness,
    ];

    /// The URL value of `view=` (none for the results).
    pub fn key(self) -> &'static str {
        match self {
            View::Results => "results",
            View::Kwic => "kwic",
            View::Trend => "trend",
            View::Colloc => "colloc",
            View::Keyness => "keyness",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            View::Results => "Results",
            View::Kwic => "Concordance",
            View::Trend => "Trends",
            View::Colloc => "Collocates",
            View::Keyness => "Distinctive words",
        }
    }

    fn parse(s: &str) -> View {
        View::ALL
            .into_iter()
            .find(|v| v.key() == s)
            .unwrap_or_default()
    }
}

/// The concordance's page sizes, the default first. Twenty lines is a screen or two on
/// a phone and Sketch Engine's default; a page costs one request per transcript it
/// shows, so twenty lines of a common word in the old UN speeches (one or two each)
/// cost a third of the fetches of fifty.
pub const LINES_PER_PAGE: [usize; 3] = [20, 50, 100];

/// `text` as one of [`LINES_PER_PAGE`]; the default when it is none of them.
pub fn lines_per_page(text: &str) -> usize {
    text.parse()
        .ok()
        .filter(|p| LINES_PER_PAGE.contains(p))
        .unwrap_or(LINES_PER_PAGE[0])
}

/// A workbench view's own settings (the query and filters are the search's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchState {
    pub view: View,
    /// Concordance order (`order=left1`): a [`stenogram_core::workbench::kwic::KwicSort`]
    /// name; `sort=` is the results' order.
    pub order: String,
    /// Concordance page, from 1.
    pub page: usize,
    /// Concordance lines per page (`per=50`): one of [`LINES_PER_PAGE`], the first by
    /// default.
    pub per: usize,
    /// A collocate whose pairs the concordance shows (`near=` a stem).
    pub near: Option<String>,
    /// Trend queries besides the search's own (`vs=`, repeated).
    pub vs: Vec<String>,
    /// Trend buckets by month (`by=month`); by year otherwise.
    pub by_month: bool,
    /// Trend of the first query split by its top speakers (`split=speakers`).
    pub split: bool,
    /// Least frequency of a collocate or distinctive word (`min=`).
    pub min: Option<u64>,
    /// Stop words hidden (`stop=hide`).
    pub hide_stop: bool,
}

impl Default for BenchState {
    fn default() -> Self {
        BenchState {
            view: View::Results,
            order: String::new(),
            page: 1,
            per: LINES_PER_PAGE[0],
            near: None,
            vs: Vec::new(),
            by_month: false,
            split: false,
            min: None,
            hide_stop: false,
        }
    }
}

impl BenchState {
    fn from_lookup(get_all: &impl Fn(&str) -> Vec<String>) -> BenchState {
        let get = |k: &str| get_all(k).into_iter().next().unwrap_or_default();
        BenchState {
            view: View::parse(&get("view")),
            order: get("order"),
            page: get("page")
                .parse()
                .ok()
                .filter(|&p| p >= 1)
                .unwrap_or(1)
                .min(100_000),
            per: lines_per_page(&get("per")),
            near: Some(get("near")).filter(|n| !n.is_empty()),
            vs: get_all("vs")
                .into_iter()
                .filter(|v| !v.trim().is_empty())
                .take(4)
                .collect(),
            by_month: get("by") == "month",
            split: get("split") == "speakers",
            min: get("min").parse().ok().filter(|&m| m >= 1),
            hide_stop: get("stop") == "hide",
        }
    }

    fn write(&self, parts: &mut Vec<(String, String)>) {
        let mut put = |k: &str, v: String| parts.push((k.into(), v));
        if self.view != View::Results {
            put("view", self.view.key().into());
        }
        if !self.order.is_empty() {
            put("order", self.order.clone());
        }
        if self.page > 1 {
            put("page", self.page.to_string());
        }
        if self.per != LINES_PER_PAGE[0] {
            put("per", self.per.to_string());
        }
        if let Some(n) = &self.near {
            put("near", n.clone());
        }
        for v in &self.vs {
            put("vs", v.clone());
        }
        if self.by_month {
            put("by", "month".into());
        }
        if self.split {
            put("split", "speakers".into());
        }
        if let Some(m) = self.min {
            put("min", m.to_string());
        }
        if self.hide_stop {
            put("stop", "hide".into());
        }
    }
}

/// Percent-encodes a query-string value: the core's, which the build's static reading
/// pages use too.
pub use stenogram_core::url::encode;

#[cfg(test)]
mod tests {
    use super::*;

    /// A query string's decoded `(key, value)` pairs, as the router would read them.
    fn query_pairs(q: &str) -> Vec<(String, String)> {
        q.trim_start_matches('?')
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap();
                (k.to_string(), percent_decode(v))
            })
            .collect()
    }

    fn state(pairs: &[(String, String)]) -> SearchState {
        SearchState::from_lookup(|k| {
            pairs
                .iter()
                .filter(|(a, _)| a == k)
                .map(|(_, v)| v.clone())
                .collect()
        })
    }

    fn params(pairs: &[(&str, &str)]) -> SearchState {
        state(
            &pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn round_trips_through_the_url() {
        let s = SearchState {
            q: "\"climate change\" -coal".into(),
            filters: vec![
                (Facet::Speaker, "Vladimir Putin".into()),
                (Facet::Speaker, "Angela Merkel".into()),
                (Facet::Place, "Sochi".into()),
            ],
            years: Some((2014, 2016)),
            sort: Sort::Newest,
            pages: 2,
            bench: BenchState::default(),
        };
        let q = s.to_query();
        assert!(
            q.starts_with(
                "?q=%22climate%20change%22%20-coal&speaker=Vladimir%20Putin&speaker=Angela"
            ),
            "{q}"
        );
        let pairs = query_pairs(&q);
        assert_eq!(state(&pairs), s);
    }

    fn percent_decode(v: &str) -> String {
        let bytes = v.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn junk_in_the_url_falls_back_to_defaults() {
        let s = params(&[("sort", "sideways"), ("pages", "-3"), ("from", "x")]);
        assert_eq!(
            s,
            SearchState {
                pages: 1,
                ..Default::default()
            }
        );
        let s = params(&[("from", "2016"), ("to", "2014")]);
        assert_eq!(s.years, Some((2014, 2016)));
    }

    #[test]
    fn every_listed_facet_is_a_url_key_and_a_filter() {
        // The country facet (issue 11, step 7) came with no code here: it is listed.
        let s = params(&[("country", "France"), ("kind", "speech"), ("from", "2015")]);
        assert_eq!(
            s.filters,
            vec![
                (Facet::Kind, "speech".into()),
                (Facet::Country, "France".into())
            ]
        );
        assert_eq!(
            s.to_query(),
            "?kind=speech&country=France&from=2015&to=2015"
        );
        let o = s.options();
        assert_eq!(o.filters.values[Facet::Country], vec!["France".to_string()]);
        assert_eq!(o.filters.values[Facet::Year], vec!["2015".to_string()]);
        assert!(listed_facets().all(|f| f != Facet::Year));
    }

    #[test]
    fn a_workbench_view_round_trips_through_the_url() {
        let s = SearchState {
            q: "peace".into(),
            pages: 1,
            bench: BenchState {
                view: View::Kwic,
                order: "left1".into(),
                page: 2,
                per: 50,
                near: Some("talk".into()),
                vs: vec!["war".into(), "\"cold war\"".into()],
                by_month: true,
                split: true,
                min: Some(4),
                hide_stop: true,
            },
            ..Default::default()
        };
        let q = s.to_query();
        assert!(
            q.starts_with("?q=peace&view=kwic&order=left1&page=2&per=50"),
            "{q}"
        );
        let pairs = query_pairs(&q);
        assert_eq!(state(&pairs), s);
        let junk = params(&[("view", "pie"), ("page", "0"), ("min", "-1"), ("per", "7")]);
        assert_eq!(junk.bench.view, View::Results);
        assert_eq!((junk.bench.page, junk.bench.min), (1, None));
        assert_eq!(junk.bench.per, LINES_PER_PAGE[0]);
    }

    #[test]
    fn toggling_adds_and_removes_and_resets_paging() {
        let s = SearchState {
            pages: 3,
            ..Default::default()
        };
        let t = s.toggled(Facet::Kind, "speech");
        assert!(t.has(Facet::Kind, "speech"));
        assert_eq!(t.pages, 1);
        assert!(!t.toggled(Facet::Kind, "speech").has(Facet::Kind, "speech"));
    }

    /// The quote checker's scope keeps the filters and the years, nothing else.
    #[test]
    fn filters_only_keeps_the_scope() {
        let s = state(&query_pairs(
            "?q=gas&speaker=Vladimir%20Putin&from=2014&to=2016&sort=newest&pages=2",
        ));
        assert_eq!(
            s.filters_only().to_query(),
            "?speaker=Vladimir%20Putin&from=2014&to=2016"
        );
    }
}
