"""The base every check derives from: metadata, scope filtering and finding helpers.

A check implements `evaluate(snapshot)` and yields findings built with `self.passed`, `self.failed`,
`self.unknown` and `self.not_applicable`. `run()` adds what every check must do the same way: answer
UNKNOWN when its data could not be read, filter by scope, and say so when nothing was in scope.

Most checks ask one question of every resource of a kind: they derive from `ResourceCheck` and
write only `resources()`, `names()` and `judge()`; the loop, the "there is none" answer and the
UNKNOWN for a resource whose data cannot be read are the template's, the same in every check.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any, ClassVar, Iterable

from ztlab.access import AccessReadError
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
        """Every finding in scope, or one UNKNOWN saying that nothing in scope was found."""
        wanted = list(scope) if scope is not None else None
        findings = self.run_in_scope(snapshot, wanted)
        if wanted is not None and not findings:
            return [self.unknown(snapshot.account_arn, f"nothing in scope ({', '.join(wanted)}) was found in the account",
                                 ids=[snapshot.account_id])]
        return findings

    def run_in_scope(self, snapshot: AccountSnapshot, scope: list[str] | None) -> list[Finding]:
        """The findings in scope, possibly none; an unreadable service or a check bug is one UNKNOWN.

        Lab objectives ask this rather than `run`: to them a resource that is gone is an answer of its
        own (fix it rather than delete it), not an UNKNOWN about the account.
        """
        for name in self.sections:
            why = getattr(snapshot, name).unreadable()
            if why:
                return [self.unknown(snapshot.account_arn, f"the {name} service could not be read: {why}", ids=[snapshot.account_id])]
        try:
            findings = list(self.evaluate(snapshot))
        except Exception as exc:  # noqa: BLE001 - a check bug must never read as a PASS
            return [self.unknown(snapshot.account_arn, f"the check could not evaluate this account ({type(exc).__name__}: {exc})",
                                 ids=[snapshot.account_id])]
        if scope is None:
            return findings
        return [f for f in findings if in_scope(f, scope)]

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


class Unreadable(Exception):
    """What `judge()` raises when part of its resource could not be read: the finding is UNKNOWN
    with this reason, never a PASS on data that is not there."""


class Subject:
    """One resource being judged: the finding helpers, already pointed at its ARN and ids."""

    def __init__(self, check: Check, arn: str, ids: Iterable[str]) -> None:
        self.check, self.arn, self.ids = check, arn, [i for i in ids if i]

    def passed(self, message: str, **kw: Any) -> Finding:
        return self.check.passed(self.arn, message, ids=self.ids, **kw)

    def failed(self, message: str, **kw: Any) -> Finding:
        return self.check.failed(self.arn, message, ids=self.ids, **kw)

    def unknown(self, reason: str, **kw: Any) -> Finding:
        return self.check.unknown(self.arn, reason, ids=self.ids, **kw)

    def not_applicable(self, message: str, **kw: Any) -> Finding:
        return self.check.not_applicable(self.arn, message, ids=self.ids, **kw)


class ResourceCheck(Check):
    """A check that asks one question of every resource of a kind.

    `resources()` lists them; with none the account gets one `empty_status` finding (NOT_APPLICABLE
    unless set) saying `empty_message`.
    `names()` gives a resource's ARN and the ids a scope may name; `judge()` returns its finding(s)
    through the `Subject` helpers, and raises `Unreadable` (or AccessReadError, for a policy it
    depends on) when it cannot tell: that resource is UNKNOWN, the others are still judged.
    """

    empty_message: ClassVar[str] = ""
    # NOT_APPLICABLE: nothing to judge. FAIL where having none is itself the problem (no trail at all).
    empty_status: ClassVar[Status] = "NOT_APPLICABLE"
    # "section.part" entries the resource list comes from: unread, the account is UNKNOWN (not empty)
    reads: ClassVar[tuple[str, ...]] = ()

    def resources(self, snapshot: AccountSnapshot) -> Iterable[Any]:
        raise NotImplementedError

    def names(self, snapshot: AccountSnapshot, resource: Any) -> tuple[str, list[str]]:
        raise NotImplementedError

    def unread(self, snapshot: AccountSnapshot, resource: Any) -> str | None:
        """Why a part of `resource` that judge() needs was not read (None: all read)."""
        return None

    def judge(self, snapshot: AccountSnapshot, resource: Any, subject: Subject) -> Finding | Iterable[Finding]:
        raise NotImplementedError

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        for read in self.reads:
            section, part = read.split(".", 1)
            why = getattr(snapshot, section).unreadable(part)
            if why:
                yield self.unknown(snapshot.account_arn, f"{section} {part.replace('_', ' ')} could not be read: {why}",
                                   ids=[snapshot.account_id])
                return
        items = list(self.resources(snapshot))
        if not items:
            yield self.finding(self.empty_status, snapshot.account_arn, self.empty_message, ids=[snapshot.account_id])
            return
        for item in items:
            subject = Subject(self, *self.names(snapshot, item))
            why = self.unread(snapshot, item)
            if why:
                yield subject.unknown(why)
                continue
            try:
                verdict = self.judge(snapshot, item, subject)
                found = [verdict] if isinstance(verdict, Finding) else list(verdict)
            except (Unreadable, AccessReadError) as exc:
                found = [subject.unknown(str(exc))]
            yield from found


def in_scope(finding: Finding, scope: list[str]) -> bool:
    """A scope entry names a finding by its ARN, by a name or id the ARN ends with, or by a wildcard
    pattern over either (`arn:aws:s3:::logs-*`, `sg-*`)."""
    names = [finding.resource, *finding.resource_ids]
    return any(fnmatchcase(name, pattern) or name.endswith((":" + pattern, "/" + pattern))
               for pattern in scope for name in names)
