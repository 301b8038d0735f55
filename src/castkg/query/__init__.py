"""SPARQL over castkg graphs, one module per concern:

* :mod:`~castkg.query.data` — loading data: RDF files, build folders, store folders and rdflib
  graphs into pyoxigraph, with the merge of the article graphs as the default graph;
* :mod:`~castkg.query.run` — running: parameters, prefixes, SERVICE and row limits, errors with
  line and column, the answer materialised as a :class:`Result`;
* :mod:`~castkg.query.results` — formatting: the W3C results formats, Turtle and the aligned table;
* :mod:`~castkg.query.named` — the named queries shipped in ``queries/*.rq``;
* :mod:`~castkg.query.scan` — reading a query's text as Oxigraph does (the SERVICE guard);
* :mod:`~castkg.query.diagnose` — one-line errors and warnings about a query;
* :mod:`~castkg.query.sandbox` — running a query in a worker: no network, bounded memory.

The standard prefixes (ckg, ckr, rdf, rdfs, skos, xsd, prov, schema: :data:`castkg.graphs.PREFIXES`)
are known to every query without a ``PREFIX`` line. The names below are the public API; import
them from here.
"""

from __future__ import annotations

from castkg.graphs import PREFIXES
from castkg.query.data import (
    ONTOLOGY_GRAPH,
    Data,
    add_ontology,
    data_file,
    is_store,
    load_data,
    merge_into_default_graph,
    open_oxigraph,
    to_oxigraph,
)
from castkg.query.diagnose import syntax_error, unknown_terms
from castkg.query.named import (
    NamedQuery,
    Param,
    check_params,
    check_value,
    named_queries,
    named_query,
    parse_header,
    queries_dir,
)
from castkg.query.results import (
    FORMATS,
    Result,
    display_width,
    format_result,
    short_text,
    term_text,
    to_csv,
    to_json,
    to_table,
    to_tsv,
    to_turtle,
    to_xml,
)
from castkg.query.run import (
    MAX_DEPTH,
    RowLimitExceeded,
    ServiceRefused,
    is_update,
    keywords,
    param_term,
    param_value,
    prepare,
    query_form,
    run_query,
    substitute,
    uses_service,
)

STANDARD_PREFIXES = PREFIXES
"""The prefixes every query knows without declaring them: :data:`castkg.graphs.PREFIXES`."""

__all__ = [
    "FORMATS",
    "MAX_DEPTH",
    "ONTOLOGY_GRAPH",
    "STANDARD_PREFIXES",
    "Data",
    "NamedQuery",
    "Param",
    "Result",
    "add_ontology",
    "RowLimitExceeded",
    "ServiceRefused",
    "check_params",
    "check_value",
    "data_file",
    "display_width",
    "format_result",
    "is_store",
    "is_update",
    "keywords",
    "load_data",
    "merge_into_default_graph",
    "named_queries",
    "named_query",
    "open_oxigraph",
    "param_term",
    "param_value",
    "parse_header",
    "prepare",
    "queries_dir",
    "query_form",
    "run_query",
    "short_text",
    "substitute",
    "syntax_error",
    "term_text",
    "to_csv",
    "to_json",
    "to_oxigraph",
    "to_table",
    "to_tsv",
    "to_turtle",
    "to_xml",
    "unknown_terms",
    "uses_service",
]
