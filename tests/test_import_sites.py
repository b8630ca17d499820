"""`toolkit import` of posts from static sites: Jekyll front matter made plain, the site syntax
kept in the source and reported, never offered for translation."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import Project

DATA = Path(__file__).parent / "data" / "import"


def test_jekyll_post_date_with_time_and_zone_becomes_its_day(project: Project, capsys) -> None:
    capsys.readouterr()
    post = DATA / "2024-09-03-slapen.md"
    assert project.run("import", str(post), "--slug", "slapen") == 0
    said = capsys.readouterr().out
    assert "date '2024-09-03 10:00:00 +0200' written as 2024-09-03" in said
    assert "sources/slapen.md:9: info: Liquid tag {% include toc.html %} ignored" in said
    text = project.read("sources/slapen.md")
    front = yaml.safe_load(text.split("---\n")[1])
    assert str(front["date"]) == "2024-09-03" and front["author"] == "Marieke"
    assert "layout" not in front
    assert "{% include toc.html %}" in text and "{: .notice--info}" in text  # kept in the source
    capsys.readouterr()
    assert project.run("update", "--lang", "de") == 0
    pot = project.read("locales/slapen.pot")
    assert "{%" not in pot and "{:" not in pot and "{{" not in pot
    assert "[mijn site](/adem.html)" in pot
