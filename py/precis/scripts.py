"""The writing systems Précis tells apart, as regex character-class bodies: one definition for Python
(text units, facts, the summary's shape, the page's language) and for JS (extract.js's word count receives
CJK_CLASS from the engine's contract, precis.engine.Engine.contract). Pure data: runs in Pyodide."""

# Han ideographs: extension A, the unified block, the compatibility block.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Hiragana, katakana and the katakana phonetic extensions.
KANA = "\u3040-\u30ff\u31f0-\u31ff"
HIRAGANA = "\u3040-\u309f"
HANGUL = "\uac00-\ud7af"
# 々 〆 〇: iteration and ideographic marks that sit inside Chinese and Japanese words.
CJK_MARKS = "\u3005-\u3007"
# Chinese, Japanese and Korean: scripts written without spaces between words.
CJK_CLASS = KANA + HAN + HANGUL + CJK_MARKS
