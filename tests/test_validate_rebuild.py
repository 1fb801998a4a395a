"""A rebuild after the last build's graph conformed validates only what it rewrote (with
what the shapes read about the rest): it must find what a validation of the whole graph
finds."""
from kg.pipeline import build
from kg.validate import validate_file


def _post(folder, name, number, text):
    (folder / name).write_text(f"---\ntitle: 周报第{number}期\ndate: 2014-0{number}-10\n---\n\n## 业界动态\n\n{text}\n",
                               encoding="utf-8")


def _archive(folder):
    folder.mkdir()
    _post(folder, "a.md", 1, "Zorbix项目发布了新版本。Mirantis与Zorbix合作。")
    _post(folder, "b.md", 2, "Mirantis发布了Fuel。")
    _post(folder, "c.md", 3, "红帽与Zorbix项目合作。")
    _post(folder, "d.md", 4, "IBM发布了PowerKVM。")
    _post(folder, "e.md", 5, "思科收购了Metacloud。")
    _post(folder, "f.md", 6, "Mirantis完成了B轮1000万美元融资，由Intel Capital领投。")
    return folder


def test_a_rebuild_validates_what_it_rewrote_and_agrees_with_a_whole_check(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts, out = _archive(tmp_path / "posts"), tmp_path / "out"
    first = build([posts], out)
    assert first.violations == [] and first.validated == "the whole graph"
    # c.md now names Zorbix a company: the vote flips, and a.md's statements follow
    _post(posts, "c.md", 3, "Zorbix公司与红帽合作。Zorbix公司与思科合作。Zorbix公司与IBM合作。")
    again = build([posts], out)
    assert "rewrote" in again.validated
    assert again.violations == validate_file(out / "graph.ttl") == []


def test_a_rebuild_finds_a_violation_in_what_it_rewrote(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts, out = _archive(tmp_path / "posts"), tmp_path / "out"
    build([posts], out)
    import kg.graph_turtle
    import kg.validation_parts
    real = kg.graph_turtle.post_turtle_chunks

    def with_a_second_title(assembly, order, types):     # a post with two titles breaks PostShape
        chunks, triples = real(assembly, order, types)
        if assembly.posts[order].name == "d.md":
            subject = bytes(chunks[0]).split(b"\n", 1)[0]
            chunks = [*chunks, b"\n" + subject + b' <https://w3id.org/kgnews/ontology#title> "again" .\n']
        return chunks, triples + (assembly.posts[order].name == "d.md")
    for module in (kg.graph_turtle, kg.validation_parts):        # graph.ttl, and what a rebuild checks
        monkeypatch.setattr(module, "post_turtle_chunks", with_a_second_title)
    _post(posts, "d.md", 4, "IBM发布了PowerKVM 2.1。")
    again = build([posts], out)
    assert "rewrote" in again.validated
    assert again.violations == validate_file(out / "graph.ttl")
    assert [v.message for v in again.violations] == ["a post has one title, a string"]


def _fragments(posts):
    from kg.cache import ExtractionCache
    from kg.extract import extract_post
    from kg.fragment import post_fragment
    from kg.lexicon import load_lexicon
    from kg.namespace import RESOURCE_BASE
    from kg.posts import read_post
    lexicon = load_lexicon()
    return [post_fragment(extract_post(read_post(p), lexicon), lexicon,
                          digest=ExtractionCache.digest(p.read_bytes(), p.name, RESOURCE_BASE))
            for p in sorted(posts.glob("*.md"))]


def _assembly(posts):
    from kg.assemble import Assembly
    from kg.lexicon import load_lexicon
    assembly = Assembly()
    assembly.update(_fragments(posts))
    assembly.resolve(load_lexicon())
    return assembly


def test_a_graph_validated_in_parts_has_the_violations_of_the_whole(tmp_path):
    from kg.assemble import Assembly
    from kg.graph_turtle import turtle
    from kg.lexicon import load_lexicon
    from kg.validate import validate_parts, validate_turtle
    from kg.validation_parts import validation_parts
    posts = _archive(tmp_path / "posts")
    assert all(validate_parts(validation_parts(_assembly(posts), count)) == [] for count in (1, 2, 3))
    # the faults of _broken_fragments: e.md's acquisition has no statement left to say where it
    # was read (the entities' part must see the other parts' statements); f.md's round is in
    # the entities' part, its entry in another
    assembly = Assembly()
    assembly.update(_broken_fragments(posts))
    assembly.resolve(load_lexicon())
    whole = validate_turtle(turtle(assembly)[0])
    assert {v.message for v in whole} == {"a post has one title, a string",
                                          "a relation of this node has no rdf:Statement with its provenance",
                                          "a funding round has one ISO 4217 currency code"}
    for count in (1, 2, 3):
        assert validate_parts(validation_parts(assembly, count)) == whole


def test_a_rebuild_reads_one_statement_of_each_relation_it_checks(tmp_path):
    # a hub's relation may be stated in thousands of posts: the rebuild's context carries one
    import pyoxigraph as ox

    from kg.lexicon import load_lexicon
    posts = tmp_path / "posts"
    posts.mkdir()
    for number in range(1, 6):
        _post(posts, f"p{number}.md", number, "思科收购了Metacloud。")
    _post(posts, "q.md", 7, "思科发布了新的路由器。")
    assembly = _assembly(posts)
    (posts / "q.md").write_text((posts / "q.md").read_text(encoding="utf-8").replace("路由器", "交换机"),
                                encoding="utf-8")
    assembly.update(_fragments(posts))
    assembly.resolve(load_lexicon())
    assert any("cisco" in key or "思科" in key for key in assembly.touched_entities)
    from kg.validation_parts import validation_scope
    _, context = validation_scope(assembly)
    store = ox.Store()
    store.load(context, format=ox.RdfFormat.TURTLE)
    stated = [tuple(row) for row in store.query(
        "SELECT ?s ?p ?o WHERE { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }",
        prefixes={"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"})]
    assert stated and len(stated) == len(set(stated))



def _broken_fragments(posts):
    """The archive's fragments with three faults: d.md a post with a second title (the posts'
    part), e.md an acquisition whose statement is gone, f.md a round's currency no ISO code
    (the entities' part)."""
    from dataclasses import replace
    fragments = {fragment.name: fragment for fragment in _fragments(posts)}
    d, e, f = fragments["d.md"], fragments["e.md"], fragments["f.md"]
    subject = d.turtle.split(b"\n", 1)[0]
    again = b"\n" + subject + b' <https://w3id.org/kgnews/ontology#title> "again" .\n'
    fragments["d.md"] = replace(d, turtle=d.turtle + again)
    assert e.statements and f.rounds
    fragments["e.md"] = replace(e, statements=())
    fragments["f.md"] = replace(f, rounds=tuple(replace(r, currency="dollars") for r in f.rounds))
    return list(fragments.values())


def test_the_posts_part_checked_before_resolve_and_the_rest_after_have_the_violations_of_the_whole(tmp_path):
    from kg.assemble import Assembly
    from kg.graph_turtle import turtle
    from kg.lexicon import load_lexicon
    from kg.validate import validate_parts, validate_turtle
    from kg.validation_parts import entities_validation_part, posts_validation_parts
    assembly = Assembly()
    assembly.update(_broken_fragments(_archive(tmp_path / "posts")))
    assert any(fragment.unresolved for fragment in assembly.posts.values())     # placeholders still in
    makers = [posts_validation_parts(assembly, count) for count in (1, 2, 3)]
    assembly.resolve(load_lexicon())
    whole = validate_turtle(turtle(assembly)[0])
    assert {v.message for v in whole} == {"a post has one title, a string",
                                          "a relation of this node has no rdf:Statement with its provenance",
                                          "a funding round has one ISO 4217 currency code"}
    rest = validate_parts([entities_validation_part(assembly)])
    for make in makers:
        posts_part = validate_parts(make())
        assert [v.message for v in posts_part] == ["a post has one title, a string"]
        assert sorted({*posts_part, *rest}, key=lambda v: (v.node, v.path, v.message)) == whole


def test_the_shapes_read_of_what_an_entry_mentions_only_that_it_is_an_iri():
    """What lets the posts' part be checked before the entities are resolved (their IRIs
    stand in as placeholders there): a shape that read a mentioned entity's class or label
    would need the entities beside the posts."""
    from kg.validate import _shape_queries, shapes_path
    mentions = "<https://w3id.org/kgnews/ontology#mentions>"
    reading = [q for q in _shape_queries(shapes_path()) if mentions in q.sparql]
    assert reading and {q.component for q in reading} == {"nodeKind"}


def test_a_parallel_build_checks_the_posts_beside_resolve_and_agrees_with_a_whole_check(tmp_path, monkeypatch):
    import kg.pipeline
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    made = []
    real = kg.pipeline.posts_validation_parts
    monkeypatch.setattr(kg.pipeline, "posts_validation_parts",
                        lambda assembly, count: made.append(count) or real(assembly, count))
    posts, out = _archive(tmp_path / "posts"), tmp_path / "out"
    result = build([posts], out, jobs=2)
    assert made == [2] and result.validated == "the whole graph"
    assert result.violations == validate_file(out / "graph.ttl") == []


def test_a_state_not_vouched_for_by_its_own_token_is_validated_whole(tmp_path, monkeypatch):
    """The state is saved while the graph is still being checked; whether that graph conformed
    is written beside it afterwards, for that state's token only. A build stopped between the
    two (no word), or a word about another state, leaves the next build to check everything."""
    from kg.state import CONFORMS_FILE
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts, out = _archive(tmp_path / "posts"), tmp_path / "out"
    assert build([posts], out).violations == []
    token = (out / CONFORMS_FILE).read_bytes()
    _post(posts, "d.md", 4, "IBM发布了PowerKVM 2.1。")
    assert "rewrote" in build([posts], out).validated               # vouched for: a scoped check
    assert (out / CONFORMS_FILE).read_bytes() not in (b"", token)     # a new state, a new token
    for word in (None, token):         # no word (stopped before it), or the word of an older state
        if word is None:
            (out / CONFORMS_FILE).unlink()
        else:
            (out / CONFORMS_FILE).write_bytes(word)
        _post(posts, "e.md", 5, f"思科收购了Metacloud{'公司' if word else ''}。")
        again = build([posts], out)
        assert again.validated == "the whole graph" and again.violations == []


def test_the_posts_part_leaves_out_exactly_what_no_shape_reads(tmp_path):
    """A post's fragment marks the lines of predicates no shape reads (kgo:position,
    kgo:section, kgo:link) and the nodes of classes none reads (kgo:Link, with its text and
    URL); the posts' part of the whole check leaves them out, and nothing else."""
    import pyoxigraph as ox

    from kg.assemble import filled as _filled
    from kg.validation_parts import _stand_in
    from kg.fragment import without_unread
    from kg.turtle import PREFIXES
    from kg.validate import shapes_read
    posts = _archive(tmp_path / "posts")
    (posts / "g.md").write_text("---\ntitle: 周报第7期\n---\n\n## 社区\n\n"
                                "1. Zorbix项目发布了[新版本](https://example.org/zorbix)。\n"
                                "2. 红帽发布了[Fuel](https://example.org/fuel)和[文档](https://example.org/d)。\n",
                                encoding="utf-8")
    read_predicates, read_classes = shapes_read()
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()).encode("utf-8")
    type_ = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    left_out = set()
    for fragment in _fragments(posts):
        def triples(turtle):
            return {(q.subject.value, q.predicate.value, str(q.object))
                    for q in ox.parse(head + _filled(turtle, _stand_in), format=ox.RdfFormat.TURTLE)}
        whole, checked = triples(fragment.turtle), triples(without_unread(fragment.turtle, fragment.unread))
        unread_nodes = {s for s, p, o in whole if p == type_ and o.strip("<>") not in read_classes} - \
            {s for s, p, o in whole if p != type_ and p in read_predicates}
        expected = {(s, p, o) for s, p, o in whole if p in read_predicates and s not in unread_nodes}
        assert checked == expected
        left_out |= {p.rsplit("#", 1)[-1] for s, p, o in whole - checked}
    assert {"position", "section", "link", "linkText", "url", "type"} <= left_out


def test_a_fragment_marks_nothing_when_the_shapes_may_read_anything(tmp_path, monkeypatch):
    import kg.validate
    posts = _archive(tmp_path / "posts")
    marked = _fragments(posts)
    monkeypatch.setattr(kg.validate, "shapes_read", lambda: None)
    unmarked = _fragments(posts)
    assert all(f.unread for f in marked) and not any(f.unread for f in unmarked)
    assert [f.turtle for f in marked] == [f.turtle for f in unmarked]
