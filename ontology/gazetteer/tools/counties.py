"""Write places_counties.yaml: China's county-level divisions (县, 自治县, 旗, 县级市, 市辖区) as
gazetteer places, each ``within`` its prefecture (or its municipality) of places.yaml.

    python ontology/gazetteer/tools/counties.py ADCODES.csv > ontology/gazetteer/places_counties.yaml

ADCODES.csv is the ``resources/adcodes.csv`` of the PyPI package cpca 0.5.5 (MIT licence:
adcode,name,longitude,latitude; 12-digit administrative codes). Only names that are one place
nationwide are written, and none of one character and its level (范县 is in 示范县, 代县 in 现代
县域): 鼓楼区 or 朝阳区 (several cities have one) and 范县 are left to the rule that finds a county
after its city. The bare name of a county (滑 of 滑县, 新安 of 新安县) is an ordinary word
too often to be matched alone, so the full name is the matched alias and the bare name is the
label, not matched (``label_matched: false``), when it has two characters and names nothing else;
else the full name is the label. An autonomous county or banner is also matched by the short
name news gives it (和布克赛尔县 for 和布克赛尔蒙古自治县, 莫力达瓦旗), when that names no other place.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

SUFFIXES = ("自治县", "自治旗", "林区", "特区", "县", "旗", "区", "市")
NOT_PLACES = {"市辖区", "城区", "郊区", "矿区", "新区"}
"""Division names that are also common words, or no place of their own."""
ETHNIC = ("族", "蒙古", "达斡尔", "鄂温克", "鄂伦春")
GAZETTEER = Path(__file__).resolve().parent.parent


def bare_name(name: str, nations: list[str]) -> str:
    """The name without its level, and without the peoples of an autonomous county
    (澜沧拉祜族自治县 → 澜沧)."""
    suffix = next(s for s in SUFFIXES if name.endswith(s))
    core = name[: -len(suffix)]
    if suffix.startswith("自治"):
        changed = True
        while changed:
            changed = False
            for nation in sorted(nations, key=len, reverse=True):
                for form in (nation, nation.removesuffix("族")):
                    if len(core) > len(form) + 1 and core.endswith(form):
                        core, changed = core[: -len(form)], True
    return core


def short_name(name: str, bare: str) -> str | None:
    """The short name of an autonomous county or banner (its bare name and its level: 和布克赛尔县,
    莫力达瓦旗), or None for any other division."""
    for suffix, level in (("自治县", "县"), ("自治旗", "旗")):
        if name.endswith(suffix) and bare + suffix != name:
            return bare + level
    return None


def known_names() -> dict[str, str]:
    """Every name of places.yaml → its entry id."""
    names = {}
    for entry in yaml.safe_load((GAZETTEER / "places.yaml").read_text(encoding="utf-8")):
        for name in [entry["label"], *entry.get("aliases", []), *entry.get("known_as", [])]:
            names[name] = entry["id"]
    return names


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    nations_file = Path(sys.argv[1]).with_name("56_nations.csv")  # beside adcodes.csv in cpca
    nations = nations_file.read_text(encoding="utf-8").split() if nations_file.exists() else []
    by_code = {row["adcode"]: row["name"] for row in rows}
    known = known_names()
    counties = [r for r in rows if r["adcode"][4:6] != "00" and r["name"].endswith(SUFFIXES)]
    times = Counter(r["name"] for r in counties)
    bares = Counter(bare_name(r["name"], nations) for r in counties)
    ids: set[str] = set()
    entries = []
    for row in sorted(counties, key=lambda r: r["adcode"]):
        name, code = row["name"], row["adcode"]
        if times[name] > 1 or name in known or name in NOT_PLACES:
            continue
        if len(bare_name(name, nations)) < 2:
            continue  # 范县 in 示范县, 和县 in 各区和县, 代县 in 现代县域: found after their city only
        prefecture = by_code.get(code[:4] + "00" * 4) or by_code.get(code[:2] + "0" * 10)
        within = known.get(prefecture or "")
        if within is None:  # a county directly under its province (省直辖县级行政单位)
            within = known.get(by_code.get(code[:2] + "0" * 10, ""))
        if within is None:
            continue
        bare = bare_name(name, nations)
        slug = "-".join(lazy_pinyin(name)).replace("ü", "v").lower()
        slug = f"{slug}-{code[:6]}" if slug in ids else slug
        ids.add(slug)
        entry: dict[str, object] = {"id": slug, "class": "Place"}
        short = short_name(name, bare)
        if short in times or short in known or bares[bare] > 1:
            short = None  # another place's name, or the short form of two
        if bare not in known and bares[bare] == 1:
            entry |= {"label": bare, "label_matched": False, "aliases": [name, *([short] if short else [])]}
        else:
            entry |= {"label": name, **({"aliases": [short]} if short else {})}
        entry["within"] = within
        entries.append(entry)
    print("# China's county-level divisions, one place nationwide each: generated by tools/counties.py")
    print("# from cpca 0.5.5's adcodes.csv (MIT); do not edit by hand, rerun the tool.")
    print("# The full name (滑县, 义乌市) is matched; the bare name, where it is the label, is not.")
    print(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=200), end="")


if __name__ == "__main__":
    main()
