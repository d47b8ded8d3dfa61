//! Text analysis, index, query language and search. (Placeholder: owned by the search work.)
