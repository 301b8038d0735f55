"""Validated rules kept between runs, so that a command does not parse and check the YAML again.

Loading ``ontology/`` (some 4,000 gazetteer entries, the lexicon, the rule lists, their patterns
compiled and checked) takes about a second; every ``castkg build`` and every worker process it
starts paid it. :func:`cached_rules` keeps the loaded :class:`~castkg.rules.Rules` as a pickle under
a key of everything they came from: the rule files' bytes, the folder they were read from (error
messages and ``Rules.directory`` name it) and castkg's code (:func:`~castkg.fingerprint.code_digest`).
An edited rule file, another checkout or another castkg is a new key, so an entry is never stale;
rules that fail validation are never kept. Reading the pickle takes about a quarter of a second.

The entries live in ``$CASTKG_RULES_CACHE`` if set (``off`` turns the cache off), else in
``$XDG_CACHE_HOME/castkg/rules`` or ``~/.cache/castkg/rules``, made readable by their owner only;
an entry that another user owns is never read. A folder that cannot be written only loses the gain.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from castkg.fingerprint import code_digest, digest_of, rules_files
from castkg.graphs import ontology_dir
from castkg.rules import Rules, load_rules

log = logging.getLogger(__name__)

ENVIRONMENT = "CASTKG_RULES_CACHE"
"""A folder for the entries, or ``off``."""
KEPT = 8
"""Entries kept: a few rule versions (a user editing rules, two checkouts) without growing forever."""


def cache_folder(environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where loaded rules are kept, or None when the user turned the cache off."""
    chosen = environ.get(ENVIRONMENT, "").strip()
    if chosen.lower() in {"off", "0", "no", "false"}:
        return None
    if chosen:
        return Path(chosen)
    base = environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home (a bare container's user): no cache, no error
            return None
    return Path(base) / "castkg" / "rules"


def cached_rules(directory: str | Path | None = None, folder: Path | None = None) -> Rules:
    """The rules under ``directory`` (as :func:`~castkg.rules.load_rules`), from the cache in
    ``folder`` (default :func:`cache_folder`) when it holds them; loaded and kept there when not."""
    root = Path(directory) if directory else ontology_dir()
    where = folder or cache_folder()
    if where is None or not root.is_dir():
        return load_rules(root)  # a missing folder is load_rules' error to report
    key = _key(root)
    kept = _read(where / f"{key}.pickle")
    if kept is not None:
        return kept
    rules = load_rules(root)
    if _key(root) == key:  # a rule file edited while it loaded: keep nothing under the old key
        _write(where / f"{key}.pickle", rules)
    return rules


def _key(root: Path) -> str:
    files = dict(rules_files(root))
    files["\0folder"] = str(root.resolve()).encode()
    files["\0code"] = code_digest().encode()
    files["\0pickle"] = str(pickle.HIGHEST_PROTOCOL).encode()
    return digest_of(files)[:40]


def _read(entry: Path) -> Rules | None:
    try:
        with entry.open("rb") as file:
            if os.fstat(file.fileno()).st_uid != os.getuid():
                log.warning("rules cache %s: not yours, not read", entry)
                return None
            rules = pickle.load(file)  # noqa: S301 (our own folder, owner-only, checked above)
    except FileNotFoundError:
        return None
    except Exception as error:  # a damaged or foreign entry is a miss, made again
        log.debug("rules cache %s: unreadable (%s), loading the rules", entry, error)
        return None
    if not isinstance(rules, Rules):
        return None
    log.debug("rules from the cache %s", entry)
    return rules


def _write(entry: Path, rules: Rules) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = io.BytesIO()
        _Pickler(data, protocol=pickle.HIGHEST_PROTOCOL).dump(rules)
        with tempfile.NamedTemporaryFile(dir=entry.parent, suffix=".part", delete=False) as part:
            part.write(data.getvalue())  # made with mode 0600
        os.replace(part.name, entry)  # whole or not at all, even with two builds at once
        _prune(entry.parent)
    except OSError as error:
        log.debug("rules cache %s: not written (%s)", entry, error)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEPT:]:
        old.unlink(missing_ok=True)


def _mapping_proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


class _Pickler(pickle.Pickler):
    """Pickles the read-only mappings the rules are made of (``MappingProxyType`` is not picklable)."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:
            return _mapping_proxy, (dict(obj),)
        return NotImplemented
