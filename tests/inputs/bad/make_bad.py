"""Write the bad-input fixtures: each file here but ``good.txt`` must give exactly one InputError.

- ``empty.txt``: no bytes at all;
- ``binary.txt``: the start of a PNG image (NUL bytes) under a text name;
- ``undecodable.txt``: text with bytes that are neither UTF-8 nor GB18030 (0xFF never
  starts a character in either) nor any Chinese or Unicode encoding;
- ``records.jsonl``: one good record and one line that is not JSON;
- ``good.txt``: a short readable bulletin, to show the rest still reads.

Run ``python make_bad.py`` to rewrite the files next to this script.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

GOOD = "中国科协召开学会工作座谈会\n\n会议交流了学会改革经验。\n\n中国科协学会服务中心\n\n[2019-03-15]\n"


def files() -> dict[str, bytes]:
    """Every fixture file name with its exact bytes."""
    record = {"id": "ok", "text": GOOD, "date": "2019-03-15"}
    png_start = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x10" * 2 + b"\x08\x06\x00\x00\x00"
    return {
        "empty.txt": b"",
        "binary.txt": png_start,
        "undecodable.txt": b"report \xff\xfe\xff data \xff\xff end\n" * 3,
        "records.jsonl": (json.dumps(record, ensure_ascii=False) + "\n{not json\n").encode("utf-8"),
        "good.txt": GOOD.encode("utf-8"),
    }


def main() -> None:
    for name, data in files().items():
        (HERE / name).write_bytes(data)
        print(f"wrote {HERE / name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
