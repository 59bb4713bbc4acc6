"""A page longer than the map step reads (precis.summarize.MAX_MAP_CHUNKS parts), summarized from the panel
with the real extension and model in headless Chromium: the summary is made of the first parts, and the panel
says how many of how many it read. The model is loaded with a 1024-position context, so that a page of ~20,000
characters is already more parts than the cap (at the default 4096 it would take ~100,000 characters and many
minutes on the CPU device)."""

import html

import pytest

from precis.summarize import MAX_MAP_CHUNKS
from precis_build import browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOWNS = ["Arden", "Belmont", "Corran", "Dunmere", "Elsworth", "Fallow", "Garrow", "Hollin", "Iverby", "Jessop",
         "Kelda", "Lorne", "Marrick", "Nether", "Oakham", "Pellow"]


def _paragraph(n: int, town: str) -> str:
    return (f"The council of {town} met for the {n + 1}th time this year to decide the fate of its old mill. "
            f"Farmers from {town} said the mill had ground their wheat since {1700 + 7 * n} and should stay open. "
            f"The mayor of {town} answered that repairs would cost {n + 2} hundred thousand pounds, more than "
            f"the town could raise, and proposed a museum instead. After a long evening the council voted "
            f"{n + 5} to {n + 3} to keep the mill grinding for one more season while a trust looks for money. "
            f"Children from the {town} school will paint the mill's door in the spring, and the miller, who "
            f"is {40 + n} years old, promised to show visitors how the stones turn every Saturday morning. ")


@pytest.fixture
def long_page_url(tmp_path):
    body = "".join(f"<h2>{html.escape(t)}</h2><p>{html.escape(_paragraph(i, t) * 2)}</p>" for i, t in enumerate(TOWNS))
    (tmp_path / "mills.html").write_text(f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Mills"
                                         f"</title></head><body><article>{body}</article></body></html>",
                                         encoding="utf-8")
    with browser.serve_folder(tmp_path) as url:
        yield f"{url}/mills.html"


def test_a_page_over_the_map_cap_is_summarized_from_its_first_parts_and_the_panel_says_so(ext, long_page_url):
    panel = ext.open_with_panel(long_page_url)
    panel.evaluate("window.precisEngine.request('load_model', {source: 'package', context: 1024}).then(() => true)")
    ext.reset_request()
    ext.request_summary("page")
    progress = []
    result = ext.wait_for_request(timeout=900, on_progress=lambda s: progress.append(s["task"]))
    assert result is not None, panel.evaluate("document.getElementById('notice').textContent")
    parts = result["stats"]["parts"]
    assert parts["summarized"] == MAX_MAP_CHUNKS < parts["total"], parts
    assert result["text"].strip()
    # What the panel showed while it read the parts, and what it says now.
    assert any(t.startswith(f"Long page: reading part ") and t.endswith(f" of {MAX_MAP_CHUNKS}…") for t in progress)
    notice = panel.evaluate("document.getElementById('notice').textContent")
    assert notice == f"Summarized the first {MAX_MAP_CHUNKS} of {parts['total']} parts of this page."
