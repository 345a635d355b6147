"""Fill empty translations of a .po file from a JSON object {msgid: msgstr}.

Usage: python scripts/po_fill.py locale/en/LC_MESSAGES/django.po translations.json [missing.json]
Only empty entries are filled (plural entries when both forms are in the JSON); existing
translations are kept. The optional third argument receives the msgids still untranslated.
A small tool for translators working without Poedit; `make messages` compiles the result.
"""

import json
import sys


def _unquote(lines):
    parts = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts.append(json.loads(line if line.startswith('"') else line.split(" ", 1)[1]))
    return "".join(parts)


def _unfuzzy(line):
    if not line.startswith("#,"):
        return line
    flags = [flag.strip() for flag in line[2:].split(",") if flag.strip() and flag.strip() != "fuzzy"]
    return "#, " + ", ".join(flags) if flags else "#,"


def _parse(block):
    """(lines, msgid start, msgid_plural index or None, msgstr index) or None for headers/comments."""
    lines = block.split("\n")
    try:
        start = next(n for n, line in enumerate(lines) if line.startswith("msgid "))
        stop = next(n for n, line in enumerate(lines) if line.startswith("msgstr"))
    except StopIteration:
        return None
    plural = next((n for n, line in enumerate(lines) if line.startswith("msgid_plural")), None)
    return lines, start, plural, stop


def fill(text, mapping):
    blocks = text.split("\n\n")
    filled, missing = 0, []
    for i, block in enumerate(blocks):
        parsed = _parse(block)
        if parsed is None:
            continue
        lines, start, plural, stop = parsed
        msgid = _unquote(lines[start : plural or stop])
        if not msgid:
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines[:start])
        if _unquote(lines[stop:]) and not fuzzy:
            continue  # already translated (a fuzzy guess by makemessages is not: msgfmt ignores it)
        plural_id = _unquote(lines[plural:stop]) if plural is not None else None
        if plural is not None and msgid in mapping and plural_id in mapping:
            forms = sum(1 for line in lines[stop:] if line.startswith("msgstr["))
            values = [mapping[msgid]] + [mapping[plural_id]] * (forms - 1)
            lines = lines[:stop] + [f"msgstr[{n}] " + json.dumps(v, ensure_ascii=False) for n, v in enumerate(values)]
        elif plural is None and msgid in mapping:
            lines = lines[:stop] + ["msgstr " + json.dumps(mapping[msgid], ensure_ascii=False)]
        else:
            missing.append(msgid if plural is None else [msgid, plural_id])
            continue
        lines = [_unfuzzy(line) for line in lines if not line.startswith("#|")]
        blocks[i] = "\n".join(line for line in lines if line != "#,")
        filled += 1
    return "\n\n".join(blocks), filled, missing


if __name__ == "__main__":
    with open(sys.argv[2], encoding="utf-8") as source:
        mapping = json.load(source)
    with open(sys.argv[1], encoding="utf-8") as po:
        text, filled, missing = fill(po.read(), mapping)
    with open(sys.argv[1], "w", encoding="utf-8") as po:
        po.write(text)
    print(f"{filled} entries filled, {len(missing)} still empty")
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w", encoding="utf-8") as out:
            json.dump(missing, out, ensure_ascii=False, indent=1)
