"""Grounding on a Chinese page and the highlight in the page, in the real extension (issue 10).

The Chinese page is extracted as the panel extracts it, grounded by the engine worker's Python
(Pyodide, the wheel of this checkout), and its passage is found and highlighted in the page,
across inline elements and without spaces. On a Turkish page, case folding makes "İ" two
units: the highlighted range must still be exactly the passage.
"""

import json

import pytest

pytestmark = pytest.mark.browser

SUMMARY = ("- 维尔河上的石桥于十月一日重新开放。\n"
           "- 修缮工程耗资340万欧元。\n"
           "- 镇长安娜·伯格表示，这座桥允许7.5吨以上的卡车通行。\n"
           "- 全国桥梁修缮行业去年的产值达到三千一百四十亿元。")


def test_chinese_page_gets_passages_checks_and_highlights(ext, pages_url):
    panel = ext.open_with_panel(f"{pages_url}/zh_article.html")
    before = ext.driver.execute_script("return document.body.innerHTML")
    shown = panel.evaluate(f"""(async () => {{
        const {{ extractPage, showPassage }} = await import('./page_access.js');
        const tab = await window.precisPanel.activeTab();
        const page = await extractPage(tab.id, {{ url: tab.url }});
        const grounding = await window.precisEngine.ground({json.dumps(SUMMARY)}, page.text);
        const points = grounding.points.map(p => [p.supported, p.unsupported_spans,
                                                  grounding.passages[String(p.passage)]?.text ?? null]);
        const first = grounding.passages[String(grounding.points[0].passage)].text;
        const result = await showPassage(tab.id, first);
        return {{ points, first, result }};
    }})()""")
    assert shown["points"] == [
        [True, [], "埃斯特比镇维尔河上的石桥于2024年10月1日重新开放，此前修缮工程持续了十一个月。"],
        [False, ["340万欧元"], "工程耗资240万欧元，大部分由地区议会承担。"],
        [False, ["这座桥允许7.5吨以上的卡车通行"], "镇长安娜·伯格表示，这座桥不允许7.5吨以上的卡车通行。"],
        [True, [], "全国桥梁修缮行业去年的产值达到3140亿元。"],
    ]
    # Found in the page although <b>维尔河</b> splits it and no space separates anything.
    assert shown["result"]["found"] is True
    assert shown["result"]["text"] == shown["first"]
    assert ext.driver.execute_script("return CSS.highlights.has('precis-passage')")
    assert ext.driver.execute_script("return document.body.innerHTML") == before


def test_highlight_offsets_survive_case_folding(ext, pages_url):
    # Thirteen "İ" before the passage: folded, each is two units; the range must not drift.
    panel = ext.open_with_panel(f"{pages_url}/fold.html")
    passage = "The stone bridge over the Vell river reopened on the first of October."
    result = panel.evaluate(f"""(async () => {{
        const {{ showPassage }} = await import('./page_access.js');
        const tab = await window.precisPanel.activeTab();
        return showPassage(tab.id, {json.dumps(passage)});
    }})()""")
    assert result["found"] is True and result["text"] == passage
    turkish = panel.evaluate("""(async () => {
        const { showPassage } = await import('./page_access.js');
        const tab = await window.precisPanel.activeTab();
        return showPassage(tab.id, "İstanbul'da İİİ köprü.");
    })()""")
    assert turkish["found"] is True and turkish["text"] == "İstanbul'da İİİ köprü."
