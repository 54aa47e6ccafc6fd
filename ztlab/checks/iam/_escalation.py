"""One check per privilege-escalation family (ztlab.explore.escalation): each user and role of
the account either has no path of the family to administrator (PASS) or has one, shown step by
step with the statements that allow each step (FAIL)."""

from __future__ import annotations

from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import Finding
from ztlab.snapshot import AccountSnapshot


class EscalationCheck(Check):
    sections = ("iam",)
    family = ""

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        from ztlab.access import AccessReadError
        from ztlab.explore.escalation import finder_for, principals

        finder = finder_for(snapshot)
        arns = principals(snapshot)
        if not arns:
            yield self.account_not_applicable(snapshot, "The account has no IAM users or roles of its own.")
        for arn in arns:
            name = arn.rsplit("/", 1)[-1]
            try:
                found = [p for p in finder.paths(arn) if p.family == self.family]
            except AccessReadError as exc:
                yield self.unknown(arn, str(exc), ids=[name])
                continue
            if not found:
                yield self.passed(arn, f"{name} has no path to administrator of this kind.", ids=[name])
                continue
            path = found[0]
            yield self.failed(arn, f"{name} can make itself an administrator: {path.describe()}.",
                              evidence={"paths": [p.as_dict() for p in found]}, ids=[name])
