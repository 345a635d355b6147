"""Template hygiene that merges can break without any page failing outright."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TITLE_BLOCK = re.compile(r"{% block title %}(.*?){% endblock %}", re.S)


def test_page_titles_hold_no_markup():
    """A section pasted into the title block ends up as raw text in the browser tab."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for title in TITLE_BLOCK.findall(path.read_text(encoding="utf-8")):
            if "<" in title or "\n" in title.strip():
                offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reports:export_list", "reports:charts"])
def test_statistics_and_exports_pages_show_each_section_once(login_as, coordinator, name):
    text = login_as(coordinator).get(reverse(name)).text
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    assert "<section" not in title and "&lt;section" not in title
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), sorted(i for i in set(ids) if ids.count(i) > 1)
