from pathlib import Path

from click.testing import CliRunner

from kg.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "posts"


def test_cli_build_example_archive_prints_summary_and_page(tmp_path):
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "posts 3" in result.output
    assert "graph.html" in result.output and "entities:" in result.output and "relations:" in result.output
    assert (tmp_path / "graph.ttl").stat().st_size > 0
    assert (tmp_path / "graph.html").stat().st_size > 0


def test_cli_build_reports_bad_posts_and_builds_the_rest(tmp_path):
    result = CliRunner().invoke(main, ["build", str(FIXTURES), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "empty.md: empty file" in result.output
    assert "binary.md: binary file" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "graph.ttl").is_file()


def test_cli_build_strict_fails_on_problems(tmp_path):
    result = CliRunner().invoke(main, ["build", str(FIXTURES / "empty.md"), "--out", str(tmp_path), "--strict"])
    assert result.exit_code == 1


def test_cli_build_missing_path_is_an_error_that_keeps_the_last_graph(tmp_path):
    out = tmp_path / "o"
    assert CliRunner().invoke(main, ["build", "--out", str(out)]).exit_code == 0
    before = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.html")}
    for args in ([str(tmp_path / "nope")], [str(tmp_path / "nope")]):
        result = CliRunner().invoke(main, ["build", *args, "--out", str(out), "--strict"])
        assert result.exit_code == 2
        assert "no such file or folder: nothing built" in result.output
        assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert {name: (out / name).read_bytes() for name in before} == before


def test_cli_build_a_folder_without_posts_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("not a post", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no Markdown posts" in result.output
    assert not (tmp_path / "o").exists()


def test_cli_module_entry_point_runs():
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "build" in done.stdout


def test_cli_every_command_has_help_and_is_in_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help, name
        assert f"kg {name}" in readme, name


def test_cli_lexicon_check_reports_clashes(tmp_path, monkeypatch):
    from kg import lexicon as lexicon_module
    folder = tmp_path / "lexicon"
    folder.mkdir()
    (folder / "registry-a.tsv").write_text("type\tname\taliases\nCompany\tAnsible Inc.\tAnsible\n", encoding="utf-8")
    (folder / "curated-b.tsv").write_text("type\tname\taliases\nProject\tAnsible\t\n", encoding="utf-8")
    clashes = lexicon_module.lexicon_clashes(folder)
    assert len(clashes) == 1 and "'Ansible'" in clashes[0] and "curated-b.tsv:2" in clashes[0]
    result = CliRunner().invoke(main, ["lexicon", "check"])
    assert result.exit_code == 0 and "clashes" in result.output


def test_cli_build_uses_one_process_per_core_unless_told(tmp_path, monkeypatch):
    import kg.pipeline
    from kg.pipeline import BuildResult, available_cores
    asked = []
    monkeypatch.setattr(kg.pipeline, "build", lambda *a, jobs, **k: asked.append(jobs) or BuildResult())
    for options in ([], ["--jobs", "3"]):
        result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out"), *options])
        assert result.exit_code == 0, result.output
    assert asked == [available_cores(), 3]
    import os
    assert 1 <= available_cores() <= (os.cpu_count() or 1)


def test_cli_explain_shows_names_types_patterns_and_facts(tmp_path):
    text = "据 Zorbix Networks 联合创始人兼首席技术官简·多伊(Jane Doe)说，新平台下月上线。"
    result = CliRunner().invoke(main, ["explain", text])
    assert result.exit_code == 0, result.output
    assert "Zorbix Networks: Company, from its last word" in result.output
    assert "简·多伊 (= Jane Doe): Person" in result.output       # one person, in two scripts
    assert "as patterns see it: 据 <C0> 联合创始人兼首席技术官<H2>说" in result.output
    assert "matched worksFor (relations.tsv:" in result.output
    assert "Jane Doe worksFor Zorbix Networks" in result.output
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: t\n---\n\n## 业界动态\n\n- 红帽发布了RDO。\n- Zorbix Networks收购了Quantiva。\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", "--post", str(post), "--line", "8"])
    assert result.exit_code == 0 and "Zorbix Networks acquires Quantiva" in result.output
    assert "RDO" not in result.output
    assert CliRunner().invoke(main, ["explain", "--post", str(post), "--line", "99"]).exit_code == 2


def test_cli_build_reads_a_file_of_dated_issues_as_posts_unless_told_whole_files(tmp_path):
    month = Path(__file__).parent / "fixtures" / "issues" / "2025-03-newsflash.md"
    result = CliRunner().invoke(main, ["build", str(month), "--out", str(tmp_path / "a"), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "posts 3 " in result.output
    result = CliRunner().invoke(main, ["build", str(month), "--out", str(tmp_path / "b"), "--no-cache", "--whole-files"])
    assert result.exit_code == 0, result.output
    assert "posts 1 " in result.output
