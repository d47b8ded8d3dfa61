//! The country facet (issue 11, step 7): a UN General Debate address carries its speaking
//! delegation in `Transcript.country`; a reader can filter by it, query it with
//! `country:`, and sees its counts. Fails before the facet existed: `country:` was an
//! unknown field and `Facet::Country` did not exist.

mod common;

use stenogram_core::model::Transcript;
use stenogram_core::search::{parse, Facet, FacetCount, Filters, SearchOptions};

fn address(id: &str, country: Option<&str>, text: &str) -> Transcript {
    let mut t = Transcript::new(id, id);
    t.year = Some(2015);
    t.country = country.map(str::to_owned);
    t.summary = vec![text.into()];
    t
}

fn corpus() -> Vec<Transcript> {
    vec![
        address("FRA_70_2015", Some("France"), "Climate and Syria."),
        address(
            "RUS_70_2015",
            Some("Russian Federation"),
            "Syria and terrorism.",
        ),
        address("FRA_71_2016", Some("France"), "Climate again."),
        address("kremlin-1", None, "Syria, seen from Moscow."),
    ]
}

fn ids(ix: &stenogram_core::search::Index, q: &str, opts: &SearchOptions) -> Vec<String> {
    let mut v: Vec<String> = ix
        .search(&parse(q).unwrap(), opts)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    v.sort();
    v
}

#[test]
fn a_country_is_a_query_field_a_filter_and_a_facet() {
    let ix = common::load(&corpus());
    let opts = SearchOptions::default();
    assert_eq!(
        ids(&ix, "country:france", &opts),
        ["FRA_70_2015", "FRA_71_2016"]
    );
    assert_eq!(ids(&ix, "syria country:russian", &opts), ["RUS_70_2015"]);
    assert_eq!(ids(&ix, "syria -country:france", &opts).len(), 2);

    let filtered = SearchOptions {
        filters: Filters::default().with(Facet::Country, "France"),
        ..SearchOptions::default()
    };
    assert_eq!(
        ids(&ix, "climate", &filtered),
        ["FRA_70_2015", "FRA_71_2016"]
    );

    let res = ix.search(&parse("syria").unwrap(), &filtered).unwrap();
    assert_eq!(res.total, 1);
    // The facet's counts ignore its own selection (disjunctive), and list every country.
    let countries = &res.facets[Facet::Country];
    assert_eq!(
        countries.values,
        vec![
            FacetCount {
                value: "France".into(),
                count: 1
            },
            FacetCount {
                value: "Russian Federation".into(),
                count: 1
            },
        ]
    );
    assert_eq!(countries.distinct, 2);
    // In JSON (CLI `--json`, the worker's answers) it is the facet named "country".
    let json = serde_json::to_value(&res.facets).unwrap();
    assert_eq!(json["country"]["values"][0]["value"], "France");
}
