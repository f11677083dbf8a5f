"""The UPG's benturan kepentingan pages lead to each other, and the UPG dashboard to all of them.

The checker of issue 10 found the mapping (/internal/gratifikasi/benturan/pemetaan) and the quarterly evaluation
(/internal/gratifikasi/benturan/evaluasi) linked from no menu and no page: the menu's "Benturan kepentingan" opens
the declarations, which linked neither."""

from __future__ import annotations

import re

import pytest

from zi_public.models import Role

DECLARATIONS = "/internal/gratifikasi/benturan/deklarasi"
MAPPING = "/internal/gratifikasi/benturan/pemetaan"
EVALUATION = "/internal/gratifikasi/benturan/evaluasi"
PAGES = (DECLARATIONS, MAPPING, EVALUATION)


def links(html: str) -> set[str]:
    return {href.split("?")[0].split("#")[0] for href in re.findall(r'href="([^"]+)"', html)}


@pytest.mark.parametrize("role", [Role.UPG, Role.PIMPINAN])
@pytest.mark.parametrize("language", ["id", "en"])
def test_each_benturan_page_links_the_other_two(client, login_as, role, language):
    login_as(role)
    client.set_cookie("zi_lang", language)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert set(PAGES) - {path} <= links(html), path
        assert 'aria-current="page"' in html
    if language == "en":
        html = client.get(DECLARATIONS).get_data(as_text=True)
        assert "Mapping of potential conflicts of interest" in html
        assert "Quarterly evaluation of conflicts of interest" in html


def test_the_upg_dashboard_links_every_benturan_page_and_the_campaign(client, login_as):
    login_as(Role.UPG)
    html = client.get("/internal/").get_data(as_text=True)
    assert {*PAGES, "/internal/gratifikasi/kampanye"} <= links(html)
