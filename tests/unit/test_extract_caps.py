"""extract.js cuts the page text where it enters the extension, at the limit Python's Page.capped uses:
one number in two languages, checked equal here."""

import re

from precis.summarize import MAX_PAGE_CHARS
from precis_build.paths import REPO_ROOT


def test_extract_js_cuts_the_text_at_python_s_page_limit():
    source = (REPO_ROOT / "extension" / "content" / "extract.js").read_text(encoding="utf-8")
    found = re.findall(r"const MAX_TEXT_CHARS = ([\d_]+);", source)
    assert found and int(found[0].replace("_", "")) == MAX_PAGE_CHARS == 100_000
