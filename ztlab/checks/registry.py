"""The check catalogue: discovered from the domain folders, listed and filtered by id, principle, severity.

A check lives in `ztlab/checks/<domain>/<check_id>.py` and defines one `Check` subclass whose
metadata id equals the file name, so a finding's id always tells you which file to open.
Modules whose names start with `_` hold shared helpers.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from functools import lru_cache
from typing import Iterable

from ztlab.checks.base import Check, Scope
from ztlab.checks.model import Finding, severity_rank
from ztlab.snapshot import AccountSnapshot

DOMAINS: tuple[str, ...] = ("iam", "identity", "organizations", "s3", "network", "compute", "encryption", "logging", "monitoring")


class UnknownCheck(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


class CatalogueError(Exception):
    """A check module that breaks the catalogue's rules (caught by the tests, never by users)."""


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Check]:
    package = importlib.import_module("ztlab.checks")
    found: dict[str, Check] = {}
    for domain in DOMAINS:
        domain_pkg = importlib.import_module(f"{package.__name__}.{domain}")
        for info in pkgutil.iter_modules(domain_pkg.__path__):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{domain_pkg.__name__}.{info.name}")
            classes = [
                obj for obj in vars(module).values()
                if isinstance(obj, type) and issubclass(obj, Check) and obj.__module__ == module.__name__ and hasattr(obj, "metadata")
            ]
            if len(classes) != 1:
                raise CatalogueError(f"{module.__name__} must define exactly one check, found {len(classes)}")
            cls = classes[0]
            if cls.metadata.id != info.name:
                raise CatalogueError(f"{module.__name__}: check id {cls.metadata.id!r} must equal the module name")
            if cls.metadata.id in found:
                raise CatalogueError(f"duplicate check id {cls.metadata.id!r}")
            cls.metadata = cls.metadata.model_copy(update={"domain": domain})
            found[cls.metadata.id] = cls()
    return dict(sorted(found.items(), key=lambda kv: (DOMAINS.index(kv[1].metadata.domain), kv[0])))


def all_checks() -> list[Check]:
    return list(_catalogue().values())


def get_check(check_id: str) -> Check:
    catalogue = _catalogue()
    if check_id not in catalogue:
        close = difflib.get_close_matches(check_id, list(catalogue), n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else " List them with: ztlab audit checks"
        raise UnknownCheck(f"no check with id {check_id!r}.{hint}")
    return catalogue[check_id]


def select_checks(
    ids: Iterable[str] | None = None,
    principles: Iterable[str] | None = None,
    min_severity: str | None = None,
    domains: Iterable[str] | None = None,
) -> list[Check]:
    """Checks matching every given filter (ids are exact; unknown ids raise UnknownCheck)."""
    checks = [get_check(i) for i in ids] if ids else all_checks()
    if principles:
        wanted = set(principles)
        checks = [c for c in checks if c.metadata.principle in wanted]
    if min_severity:
        floor = severity_rank(min_severity)
        checks = [c for c in checks if severity_rank(c.metadata.severity) >= floor]
    if domains:
        wanted_domains = set(domains)
        checks = [c for c in checks if c.metadata.domain in wanted_domains]
    return checks


def run_checks(snapshot: AccountSnapshot, checks: Iterable[Check] | None = None, scope: Scope = None) -> list[Finding]:
    findings: list[Finding] = []
    scope_list = list(scope) if scope is not None else None
    for check in checks if checks is not None else all_checks():
        findings.extend(check.run(snapshot, scope_list))
    return findings
