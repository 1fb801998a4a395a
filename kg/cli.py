"""The command line: each command parses options, calls one library function of the same
name, and prints its result. Errors that kg expects (KgError) print as one line."""
import sys
from dataclasses import replace
from pathlib import Path

import click

from kg.resources import VERSION
from kg.errors import KgError
from kg.posts import DEFAULT_LIMITS


@click.group()
@click.version_option(VERSION, prog_name="kg")
def main():
    """kg: knowledge graphs from newsletter archives."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder for graph.ttl and graph.html.")
@click.option("--base", default=None, help="Base IRI for minted resources (default https://w3id.org/kgnews/resource/).")
@click.option("--strict", is_flag=True, help="Exit non-zero when any post had a problem.")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the graph against ontology/shapes.ttl (SHACL).")
@click.option("--jobs", "-j", type=int, default=0,
              help="Extract posts in this many processes (default: one per CPU core this process may use).")
@click.option("--no-cache", is_flag=True, help="Extract every post again instead of reusing cached extractions.")
@click.option("--follow-symlinks", is_flag=True,
              help="Read symbolic links to files outside the folders given, and follow links to folders.")
@click.option("--max-post-bytes", type=click.IntRange(min=1024), default=DEFAULT_LIMITS.max_bytes, show_default=True,
              help="Read at most this many bytes of a post (the rest is left out, with a warning).")
@click.option("--whole-files", is_flag=True,
              help="Read each file as one post, even one whose level-2 headings are dates (## 2025.03.01), "
                   "which is otherwise read as one post per dated heading.")
def build(paths, out_dir, base, strict, validate, jobs, no_cache, follow_symlinks, max_post_bytes, whole_files):
    """Build the graph of PATHS (posts or folders of posts; the bundled example archive when none)."""
    from kg.namespace import RESOURCE_BASE
    from kg.pipeline import available_cores, build as run_build
    try:
        result = run_build(paths, out_dir, base=base or RESOURCE_BASE, validate=validate,
                           jobs=jobs if jobs >= 1 else available_cores(),
                           use_cache=not no_cache, follow_symlinks=follow_symlinks,
                           limits=replace(DEFAULT_LIMITS, max_bytes=max_post_bytes, dated_sections=not whole_files))
    except KgError as error:
        click.echo(f"kg: {error}", err=True)
        sys.exit(2)
    for problem in result.problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"posts {result.posts} ({result.cached} from the cache), entries {result.entries}, triples {result.triples}")
    click.echo("entities: " + (", ".join(f"{k} {v}" for k, v in sorted(result.entities.items())) or "none")
               + f" (total {sum(result.entities.values())})")
    click.echo("relations: " + (", ".join(f"{k} {v}" for k, v in sorted(result.relations.items())) or "none")
               + f" (total {sum(result.relations.values())})")
    click.echo(f"funding rounds: {result.rounds}")
    if result.violations is not None:
        if result.violations:
            click.echo(f"validation: {len(result.violations)} violations of ontology/shapes.ttl "
                       f"in {result.validated} (kg validate lists them)")
        else:
            click.echo(f"validation: conforms to ontology/shapes.ttl ({result.validated})")
    for path in result.files:
        click.echo(f"wrote {path}")
    html = next((p for p in result.files if p.suffix == ".html"), None)
    if html:
        click.echo(f"open {html.resolve().as_uri()} in a browser to explore the graph")
    if strict and (result.problems or result.violations):
        sys.exit(1)


@main.command()
@click.argument("graph", required=False, type=click.Path(path_type=Path), default=Path("output/graph.ttl"))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Page to write (default: GRAPH's name with -view.html, beside it; never the build's graph.html).")
@click.option("--types", default=None, help="Only these entity types, comma-separated (Company,Product).")
@click.option("--focus", default=None, help="Only the neighbourhood of the entity with this name or alias.")
@click.option("--depth", type=int, default=1, show_default=True, help="Steps around --focus.")
@click.option("--initial", type=int, default=300, show_default=True,
              help="Nodes drawn when the page opens (the most connected); search and expand bring in the rest.")
def render(graph, out, types, focus, depth, initial):
    """Re-render the explorer page from an existing GRAPH (default output/graph.ttl)."""
    from kg.namespace import ENTITY_TYPES
    from kg.render import render as run_render
    chosen = [t.strip() for t in types.split(",")] if types else None
    unknown = [t for t in chosen or [] if t not in ENTITY_TYPES]
    if unknown:
        click.echo(f"kg: unknown type {unknown[0]!r}: use {', '.join(ENTITY_TYPES)}", err=True)
        sys.exit(2)
    try:
        page = run_render(graph, out, chosen, focus, depth, initial)
    except KgError as error:
        click.echo(f"kg: {error}", err=True)
        sys.exit(2)
    click.echo(f"wrote {page}")
    click.echo(f"open {page.resolve().as_uri()} in a browser to explore the graph")


@main.command()
@click.argument("graph", required=False, type=click.Path(path_type=Path), default=Path("output/graph.ttl"))
@click.option("--engine", type=click.Choice(["auto", "sparql", "pyshacl"]), default="auto", show_default=True,
              help="pyshacl: pySHACL, the reference engine; sparql: the shapes compiled to SPARQL on pyoxigraph "
                   "(the same violations, fast on big graphs); auto: pyshacl up to 5 MB of graph, sparql beyond")
def validate(graph, engine):
    """Check GRAPH (default output/graph.ttl) against ontology/shapes.ttl; exit 1 on any violation."""
    from kg.validate import engine_for, validate_file
    if not graph.is_file():
        click.echo(f"kg: {graph}: no such file (build first: kg build)", err=True)
        sys.exit(2)
    try:
        engine = engine_for(graph, engine)
        violations = validate_file(graph, engine)
    except Exception as error:           # a file that is not Turtle
        click.echo(f"kg: {graph}: not a readable RDF graph ({error})", err=True)
        sys.exit(2)
    for violation in violations:
        click.echo(str(violation))
    if violations:
        click.echo(f"{len(violations)} violations ({engine})", err=True)
        sys.exit(1)
    click.echo(f"{graph}: conforms to ontology/shapes.ttl ({engine})")


def _params(pairs) -> dict[str, str]:
    params = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r}: write NAME=VALUE", param_hint="--param")
        key, value = pair.split("=", 1)
        params[key.strip()] = value
    return params


@main.command()
@click.argument("query_text", metavar="QUERY|FILE.rq|NAME", required=False)
@click.option("--graph", type=click.Path(path_type=Path), default=Path("output/graph.ttl"), show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml"]), default="table",
              show_default=True, help="table, or a W3C SPARQL results format; CONSTRUCT/DESCRIBE give Turtle.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A named query's parameter.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
def query(query_text, graph, fmt, params, list_queries):
    """Run SPARQL over a built graph: a query, a .rq file, or a named query (kg query --list)."""
    from kg.query import named_queries
    from kg.query import query as run_query
    if list_queries:
        for name, named in named_queries().items():
            takes = f"  [{', '.join(named.params)}]" if named.params else ""
            click.echo(f"{name:<20} {named.description}{takes}")
        return
    if not query_text:
        raise click.UsageError("give a query, a .rq file or a named query (kg query --list)")
    try:
        click.echo(run_query(graph, query_text, _params(params), fmt))
    except KgError as error:
        click.echo(f"kg: {error}", err=True)
        sys.exit(2)


@main.command()
@click.option("--format", "fmt", required=True,
              type=click.Choice(["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "graphml", "gexf", "csv"]),
              help="RDF formats (nquads and trig: one named graph per post), GraphML/GEXF for Gephi, CSV tables.")
@click.option("--graph", type=click.Path(path_type=Path), default=Path("output/graph.ttl"), show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="File to write (a folder for csv); default beside the graph (graph.nt, graph-export.ttl, ...).")
def export(fmt, graph, out):
    """Export a built graph in another format."""
    from kg.export import export as run_export
    try:
        files = run_export(graph, fmt, out)
    except KgError as error:
        click.echo(f"kg: {error}", err=True)
        sys.exit(2)
    for path in files:
        click.echo(f"wrote {path}")


@main.command()
@click.option("--graph", type=click.Path(path_type=Path), default=Path("output/graph.ttl"), show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a query may run before it is stopped.")
@click.option("--max-result", type=click.IntRange(min=1024), default=64 << 20, show_default=True,
              help="Bytes an answer may have; a query whose answer grows past it is stopped.")
@click.option("--cors", default=None, metavar="ORIGIN",
              help="Let pages of this origin (https://example.org) read answers; by default none may.")
def serve(graph, host, port, timeout, max_result, cors):
    """Serve a read-only SPARQL endpoint (/sparql) and the explorer page (/) for a built graph."""
    from kg.serve import ServeLimits
    from kg.serve import serve as run_serve
    try:
        server = run_serve(graph, host, port, limits=ServeLimits(seconds=timeout, result_bytes=max_result),
                           cors=cors)
    except (KgError, OSError) as error:
        click.echo(f"kg: {error}", err=True)
        sys.exit(2)
    click.echo(f"SPARQL endpoint: {server.url}/sparql   explorer: {server.url}/   (Ctrl-C stops)")
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


@main.command()
@click.option("--endpoint", required=True, help="Graph Store Protocol URL (oxigraph: http://host:7878/store).")
@click.option("--graph", type=click.Path(path_type=Path), default=Path("output/graph.ttl"), show_default=True)
@click.option("--post", "posts", multiple=True, help="Only this post's graph (its file name); repeatable.")
@click.option("--auth", default=None, envvar="KG_PUSH_AUTH", help="user:password for HTTP basic auth (or KG_PUSH_AUTH).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True,
              help="Seconds the whole push may take.")
def push(endpoint, graph, posts, auth, timeout):
    """Load a built graph into a SPARQL store, one named graph per post (PUT replaces it)."""
    from kg.push import push as run_push
    try:
        result = run_push(graph, endpoint, posts, auth, timeout)
    except KgError as error:
        click.echo(f"kg: {error}", err=True)
        sys.exit(2)
    click.echo(f"pushed {result.graphs} post graphs ({result.triples} triples) to {endpoint}")


@main.command()
@click.argument("text", required=False)
@click.option("--post", "post_path", type=click.Path(path_type=Path), default=None, help="A post file to read an item of.")
@click.option("--line", type=int, default=None, help="With --post: the line of the item to explain.")
def explain(text, post_path, line):
    """Show what kg reads in one news item: names, types and why, patterns matched, facts."""
    from kg.explain import entry_at
    from kg.explain import explain as run_explain
    from kg.lexicon import load_lexicon
    try:
        if post_path is not None:
            if line is None:
                raise click.UsageError("--post needs --line N")
            post, entry = entry_at(post_path, line)
            found = run_explain(entry.text, load_lexicon(), entry.section, post, entry.position)
        elif not text:
            raise click.UsageError("give a TEXT, or --post FILE --line N")
        else:
            found = run_explain(text, load_lexicon())
    except KgError as error:
        click.echo(f"kg: {error}", err=True)
        sys.exit(2)
    click.echo("mentions:")
    for surface, kind, how, name in found.mentions:
        alias = f" (= {name})" if name != surface else ""
        click.echo(f"  {surface}{alias}: {kind}, from {how}")
    for reading in found.sentences:
        click.echo(f"sentence: {reading.text}")
        click.echo(f"  as patterns see it: {reading.shape}")
        for view in reading.views:
            click.echo(f"  and read again as a clause: {view}")
        for source, predicate in reading.matched:
            click.echo(f"  matched {predicate} ({source})")
    click.echo("facts:" if found.facts else "facts: none")
    for subject, predicate, obj, evidence in found.facts:
        click.echo(f"  {subject} {predicate} {obj}    [{evidence}]")
    for described in found.rounds:
        click.echo(f"funding round: {described}")


@main.group()
def lexicon():
    """The lexicon of known names (ontology/lexicon)."""


@lexicon.command("check")
def lexicon_check():
    """List names or aliases that two lexicon lines give to different things."""
    from kg.lexicon import lexicon_clashes
    try:
        clashes = lexicon_clashes()
    except KgError as error:
        click.echo(f"kg: {error}", err=True)
        sys.exit(2)
    for clash in clashes:
        click.echo(clash)
    click.echo(f"{len(clashes)} clashes")


@lexicon.command("import")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Lexicon folder to write registry-*.tsv into (default: kg's ontology/lexicon).")
def lexicon_import(source, into):
    """Write registry-*.tsv lexicon files from the public registries in SOURCE."""
    from kg.registries import import_registries
    from kg.resources import ontology_dir
    try:
        written = import_registries(source, into or ontology_dir() / "lexicon")
    except KgError as error:
        click.echo(f"kg: {error}", err=True)
        sys.exit(2)
    for name, rows in written.items():
        click.echo(f"{name}: {rows} entries")


if __name__ == "__main__":
    main()
