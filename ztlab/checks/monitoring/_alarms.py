"""CIS 4.x: a metric filter on the CloudTrail log group, an alarm on its metric, someone subscribed.

A filter is judged by what it counts, not by the text it contains: each check lists sample CloudTrail
events the metric must count and events it must not (so `A && B` where `A || B` was meant, or a
filter that counts everything, fails). Several filters may feed one metric; the metric counts an
event when any of them matches it.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Iterable

from ztlab.checks.base import Check
from ztlab.checks.logging._trails import log_group_name, logging_on
from ztlab.checks.model import Finding
from ztlab.checks.monitoring._filter_pattern import FilterPatternError, compile_pattern
from ztlab.snapshot import AccountSnapshot


def watched_metrics(alarm: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    """(namespace, metric name) the alarm watches: the classic fields, or the MetricStat queries of an
    alarm built with --metrics (the same metric, described another way)."""
    if alarm.get("MetricName"):
        return [(alarm.get("Namespace"), alarm.get("MetricName"))]
    out = []
    for query in alarm.get("Metrics") or []:
        metric = (query.get("MetricStat") or {}).get("Metric") or {}
        if metric.get("MetricName"):
            out.append((metric.get("Namespace"), metric.get("MetricName")))
    return out


class MetricAlarmCheck(Check):
    sections = ("cloudtrail", "cloudwatch")
    # Sample CloudTrail events: every one of `counted_events` must be counted, none of `ignored_events`.
    counted_events: ClassVar[tuple[dict, ...]]
    ignored_events: ClassVar[tuple[dict, ...]]
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
        counted: dict[tuple, set[int]] = {}
        noisy: dict[tuple, list[dict]] = {}
        feeding: dict[tuple, list[dict]] = {}
        unreadable: list[str] = []
        for f in snapshot.cloudwatch.metric_filters:
            if f.get("logGroupName") not in groups:
                continue
            try:
                match = compile_pattern(f.get("filterPattern", ""))
            except FilterPatternError as exc:
                unreadable.append(f"{f.get('filterName')}: {exc}")
                continue
            hits = {i for i, event in enumerate(self.counted_events) if match(event)}
            wrong = [event for event in self.ignored_events if match(event)]
            for t in f.get("metricTransformations") or []:
                metric = (t.get("metricNamespace"), t.get("metricName"))
                counted.setdefault(metric, set()).update(hits)
                noisy.setdefault(metric, []).extend(wrong)
                feeding.setdefault(metric, []).append(f)
        every = set(range(len(self.counted_events)))
        metrics = {m for m, hits in counted.items() if hits == every and not noisy[m]}
        if not metrics:
            yield self.failed(snapshot.account_arn, self._no_filter_message(groups, counted, noisy, unreadable, [f for fs in feeding.values() for f in fs]),
                              evidence={"counted_events": list(self.counted_events), "ignored_events": list(self.ignored_events)}, ids=ids)
            return
        filters = [f for m in sorted(metrics, key=str) for f in feeding[m]]
        topics = {t.arn: t for t in snapshot.sns.topics}
        alarms = [a for a in snapshot.cloudwatch.alarms if set(watched_metrics(a)) & metrics]
        if not alarms:
            yield self.failed(snapshot.account_arn, f"Metric filter {filters[0].get('filterName')} counts {self.event_text} but no alarm watches its metric.", ids=ids)
            return
        disabled = []
        for alarm in alarms:
            actions = alarm.get("AlarmActions") or []
            if alarm.get("ActionsEnabled") is False:
                disabled.append(alarm.get("AlarmName"))
                continue
            subscribed = [a for a in actions if a in topics and topics[a].subscriptions]
            if subscribed or (actions and snapshot.sns.unreadable()):
                yield self.passed(alarm.get("AlarmArn") or snapshot.account_arn,
                                  f"Alarm {alarm.get('AlarmName')} notifies {', '.join(actions)} on {self.event_text}.", ids=ids)
                return
        if disabled:
            yield self.failed(snapshot.account_arn, f"Alarm {', '.join(disabled)} on {self.event_text} has its actions disabled "
                              "(ActionsEnabled=false): it changes state but notifies nobody. "
                              "`aws cloudwatch enable-alarm-actions --alarm-names ...`", ids=ids)
            return
        yield self.failed(snapshot.account_arn, f"The alarm on {self.event_text} notifies no subscribed SNS topic, so nobody would hear it.", ids=ids)

    def _no_filter_message(self, groups: set[str], counted: dict, noisy: dict, unreadable: list[str],
                           feeding_all: list[dict]) -> str:
        text = f"No metric filter on the trail's log group ({', '.join(sorted(groups))}) counts every case of {self.event_text}"
        missed = [self.counted_events[i] for i in range(len(self.counted_events))
                  if not any(i in hits for hits in counted.values())]
        if missed:
            text += f"; none counts an event like {_event_text(missed[0])}"
            if any("&&" in (f.get("filterPattern") or "") for f in feeding_all):
                text += " (terms joined with && where || was meant? one event has one errorCode)"
        elif any(noisy.values()):
            wrong = next(w for w in noisy.values() if w)[0]
            text += f" without also counting events it must not, such as {_event_text(wrong)}"
        else:
            text += " into one metric"
        if unreadable:
            text += ". Not a valid filter pattern: " + "; ".join(unreadable)
        return text + "."


def _event_text(event: dict) -> str:
    return json.dumps(event, separators=(",", ":"))
