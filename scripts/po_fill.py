"""Fill empty translations of a .po file from a JSON object {msgid: msgstr}.

Usage: python scripts/po_fill.py locale/en/LC_MESSAGES/django.po translations.json
Only empty, non-plural entries are filled; existing translations are kept. A small tool for
translators working without Poedit; `make messages` compiles the result.
"""

import json
import re
import sys


def _unquote(lines):
    return "".join(
        json.loads(line.split(" ", 1)[1] if not line.startswith('"') else line) for line in lines if line.strip()
    )


def fill(po_path, mapping):
    with open(po_path, encoding="utf-8") as handle:
        text = handle.read()
    blocks = text.split("\n\n")
    filled = 0
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        if "#, fuzzy" in lines and i > 0:
            lines = [line for line in lines if line != "#, fuzzy"]
        try:
            start = next(n for n, line in enumerate(lines) if line.startswith("msgid "))
            stop = next(n for n, line in enumerate(lines) if line.startswith("msgstr"))
        except StopIteration:
            continue
        if lines[stop].startswith("msgstr[") or any(line.startswith("msgid_plural") for line in lines):
            continue
        msgid = _unquote(lines[start:stop])
        current = _unquote(lines[stop:])
        if msgid and not current and msgid in mapping:
            lines = lines[:stop] + ["msgstr " + json.dumps(mapping[msgid], ensure_ascii=False)]
            filled += 1
        blocks[i] = "\n".join(lines)
    with open(po_path, "w", encoding="utf-8") as handle:
        handle.write("\n\n".join(blocks))
    return filled


if __name__ == "__main__":
    with open(sys.argv[2], encoding="utf-8") as source:
        count = fill(sys.argv[1], json.load(source))
    print(f"{count} entries filled")
    with open(sys.argv[1], encoding="utf-8") as po:
        missing = re.findall(r'^msgstr ""\n\n', po.read(), re.M)
    print(f"{len(missing)} single-line entries still empty")
