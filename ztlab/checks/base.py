"""The base every check derives from: metadata, scope filtering and finding helpers.

A check implements `evaluate(snapshot)` and yields findings built with `self.passed`, `self.failed`,
`self.unknown` and `self.not_applicable`. `run()` adds what every check must do the same way: answer
UNKNOWN when its data could not be read, filter by scope, and say so when nothing was in scope.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any, ClassVar, Iterable

from ztlab.checks.model import CheckMetadata, Finding, Status
from ztlab.snapshot import AccountSnapshot

Scope = Iterable[str] | None


class Check:
    metadata: ClassVar[CheckMetadata]
    # Snapshot sections whose whole-service read must have worked for this check to say anything.
    sections: ClassVar[tuple[str, ...]] = ()

    @property
    def id(self) -> str:
        return self.metadata.id

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        raise NotImplementedError

    def run(self, snapshot: AccountSnapshot, scope: Scope = None) -> list[Finding]:
        wanted = [s for s in scope] if scope is not None else None
        for name in self.sections:
            why = getattr(snapshot, name).unreadable()
            if why:
                return [self.unknown(snapshot.account_arn, f"the {name} service could not be read: {why}", ids=[snapshot.account_id])]
        try:
            findings = list(self.evaluate(snapshot))
        except Exception as exc:  # noqa: BLE001 - a check bug must never read as a PASS
            return [self.unknown(snapshot.account_arn, f"the check could not evaluate this account ({type(exc).__name__}: {exc})",
                                 ids=[snapshot.account_id])]
        if wanted is None:
            return findings
        kept = [f for f in findings if in_scope(f, wanted)]
        if not kept:
            return [self.unknown(snapshot.account_arn, f"nothing in scope ({', '.join(wanted)}) was found in the account",
                                 ids=[snapshot.account_id])]
        return kept

    # ------------------------------------------------------------ finding helpers
    def finding(self, status: Status, resource: str, message: str, *, evidence: dict[str, Any] | None = None,
                ids: Iterable[str] = ()) -> Finding:
        m = self.metadata
        return Finding(check_id=m.id, title=m.title, principle=m.principle, severity=m.severity, status=status,
                       resource=resource, message=message, evidence=evidence or {}, resource_ids=[i for i in ids if i])

    def passed(self, resource: str, message: str, **kw: Any) -> Finding:
        return self.finding("PASS", resource, message, **kw)

    def failed(self, resource: str, message: str, **kw: Any) -> Finding:
        return self.finding("FAIL", resource, message, **kw)

    def unknown(self, resource: str, reason: str, **kw: Any) -> Finding:
        evidence = dict(kw.pop("evidence", None) or {})
        evidence.setdefault("reason", reason)
        return self.finding("UNKNOWN", resource, f"Cannot tell: {reason}", evidence=evidence, **kw)

    def not_applicable(self, resource: str, message: str, **kw: Any) -> Finding:
        return self.finding("NOT_APPLICABLE", resource, message, **kw)

    def account_not_applicable(self, snapshot: AccountSnapshot, message: str) -> Finding:
        return self.not_applicable(snapshot.account_arn, message, ids=[snapshot.account_id])


def in_scope(finding: Finding, scope: list[str]) -> bool:
    names = [finding.resource, *finding.resource_ids]
    return any(fnmatchcase(name, pattern) for pattern in scope for name in names)
