"""CIS 4.x: a metric filter on the CloudTrail log group, an alarm on its metric, someone subscribed."""

from __future__ import annotations

import re
from typing import ClassVar, Iterable

from ztlab.checks.base import Check
from ztlab.checks.logging._trails import log_group_name, logging_on
from ztlab.checks.model import Finding
from ztlab.snapshot import AccountSnapshot


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


class MetricAlarmCheck(Check):
    sections = ("cloudtrail", "cloudwatch")
    # Each inner tuple is a term the filter pattern must contain (whitespace and case ignored).
    required_terms: ClassVar[tuple[str, ...]]
    event_text: ClassVar[str]

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        ids = [snapshot.account_id, snapshot.account_arn]
        for part in ("alarms", "metric_filters"):
            why = snapshot.cloudwatch.unreadable(part)
            if why:
                yield self.unknown(snapshot.account_arn, f"CloudWatch {part.replace('_', ' ')} could not be read: {why}", ids=ids)
                return
        groups = {log_group_name(t) for t in snapshot.cloudtrail.trails
                  if t.trail.get("IsMultiRegionTrail") and logging_on(t) is not False and log_group_name(t)}
        if not groups:
            yield self.failed(snapshot.account_arn, f"No multi-region trail delivers to CloudWatch Logs, so nothing can alarm on {self.event_text}.", ids=ids)
            return
        terms = [_squash(t) for t in self.required_terms]
        # Several filters may feed one metric (one filter per error code, say): the metric counts the
        # events when the filters feeding it cover every term between them.
        covered: dict[tuple, set[str]] = {}
        feeding: dict[tuple, list[dict]] = {}
        for f in snapshot.cloudwatch.metric_filters:
            if f.get("logGroupName") not in groups:
                continue
            pattern = _squash(f.get("filterPattern", ""))
            for t in f.get("metricTransformations") or []:
                metric = (t.get("metricNamespace"), t.get("metricName"))
                covered.setdefault(metric, set()).update(term for term in terms if term in pattern)
                feeding.setdefault(metric, []).append(f)
        metrics = {m for m, found in covered.items() if found >= set(terms)}
        filters = [f for m in sorted(metrics, key=str) for f in feeding[m]]
        if not filters:
            yield self.failed(snapshot.account_arn, f"No metric filter on the trail's log group ({', '.join(sorted(groups))}) matches {self.event_text}.",
                              evidence={"required_terms": list(self.required_terms)}, ids=ids)
            return
        topics = {t.arn: t for t in snapshot.sns.topics}
        alarms = [a for a in snapshot.cloudwatch.alarms if (a.get("Namespace"), a.get("MetricName")) in metrics]
        if not alarms:
            yield self.failed(snapshot.account_arn, f"Metric filter {filters[0].get('filterName')} counts {self.event_text} but no alarm watches its metric.", ids=ids)
            return
        for alarm in alarms:
            actions = alarm.get("AlarmActions") or []
            subscribed = [a for a in actions if a in topics and topics[a].subscriptions]
            if subscribed or (actions and snapshot.sns.unreadable()):
                yield self.passed(alarm.get("AlarmArn") or snapshot.account_arn,
                                  f"Alarm {alarm.get('AlarmName')} notifies {', '.join(actions)} on {self.event_text}.", ids=ids)
                return
        yield self.failed(snapshot.account_arn, f"The alarm on {self.event_text} notifies no subscribed SNS topic, so nobody would hear it.", ids=ids)
