"""The command line: each command parses options, calls one library function of the same
name, and prints its result. Errors that kg expects (KgError) print as one line."""
import sys
from pathlib import Path

import click

from kg import __version__
from kg.errors import KgError


@click.group()
@click.version_option(__version__, prog_name="kg")
def main():
    """kg: knowledge graphs from newsletter archives."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder for graph.ttl and graph.html.")
@click.option("--base", default=None, help="Base IRI for minted resources (default https://w3id.org/kgnews/resource/).")
@click.option("--strict", is_flag=True, help="Exit non-zero when any post had a problem.")
def build(paths, out_dir, base, strict):
    """Build the graph of PATHS (posts or folders of posts; the bundled example archive when none)."""
    from kg.namespace import RESOURCE_BASE
    from kg.pipeline import build as run_build
    try:
        result = run_build(paths, out_dir, base=base or RESOURCE_BASE)
    except KgError as error:
        click.echo(f"kg: {error}", err=True)
        sys.exit(2)
    for problem in result.problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"posts {result.posts}, entries {result.entries}, triples {result.triples}")
    click.echo("entities: " + (", ".join(f"{k} {v}" for k, v in sorted(result.entities.items())) or "none")
               + f" (total {sum(result.entities.values())})")
    click.echo("relations: " + (", ".join(f"{k} {v}" for k, v in sorted(result.relations.items())) or "none")
               + f" (total {sum(result.relations.values())})")
    click.echo(f"funding rounds: {result.rounds}")
    for path in result.files:
        click.echo(f"wrote {path}")
    html = next((p for p in result.files if p.suffix == ".html"), None)
    if html:
        click.echo(f"open {html.resolve().as_uri()} in a browser to explore the graph")
    if strict and result.problems:
        sys.exit(1)


@main.group()
def lexicon():
    """The lexicon of known names (ontology/lexicon)."""


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
