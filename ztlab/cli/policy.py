"""`ztlab policy simulate` (shaped like `aws iam simulate-custom-policy`) and `ztlab policy lint`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from ztlab.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from ztlab.untrusted.files import FileRefused, MiB, read_bytes_capped

# The largest policy AWS stores is a 20 KB bucket policy; 100 times that still lints in about a
# second, while a 20 MB file would take the matchers a minute.
MAX_POLICY_BYTES = 2 * MiB


@click.group()
def policy() -> None:
    """Evaluate and lint IAM policies with ztlab's engine (no AWS account needed)."""


class ListOption(click.Option):
    """A repeatable option that also takes every following word up to the next option, as the
    AWS CLI's list parameters do: `--action-names s3:GetObject s3:PutObject`."""

    def add_to_parser(self, parser, ctx) -> None:  # type: ignore[no-untyped-def]
        super().add_to_parser(parser, ctx)
        for opt in self.opts:
            parser_option = parser._long_opt.get(opt)  # click has no public hook for this
            if parser_option is None:
                continue
            original = parser_option.process

            def process(value, state, original=original):  # type: ignore[no-untyped-def]
                original(value, state)
                while state.rargs and not state.rargs[0].startswith("-"):
                    original(state.rargs.pop(0), state)
            parser_option.process = process


class InputError(Exception):
    """Bad command-line input: the message is shown as is."""


def _read_value(raw: str, option: str) -> tuple[str, str]:
    """(text, where) for a parameter that may be `file://path`."""
    if raw.startswith("file://"):
        path = Path(raw[len("file://"):]).expanduser()
        try:
            return read_bytes_capped(path, MAX_POLICY_BYTES).decode("utf-8-sig"), str(path)
        except FileRefused as exc:
            raise InputError(f"{option}: {exc}") from None
        except UnicodeDecodeError:
            raise InputError(f"{option}: {path} is not UTF-8 text") from None
    return raw, option


def _json_value(raw: str, option: str) -> object:
    text, where = _read_value(raw, option)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def _policies(values: tuple[str, ...], option: str) -> list[object]:
    """Each value is a policy (JSON text or file://), or a JSON list of policies."""
    out: list[object] = []
    for raw in values:
        text, where = _read_value(raw, option)
        stripped = text.lstrip()
        if stripped.startswith("["):
            try:
                items = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
            out.extend(items)
        else:
            out.append(text)  # parsed later with positions
    return out


def _names(values: tuple[str, ...]) -> list[str]:
    return [v for raw in values for v in re.split(r"[\s,]+", raw.strip()) if v]


_SHORTHAND = re.compile(r"ContextKeyName=(?P<name>[^,]+),ContextKeyValues=(?P<values>.*?),ContextKeyType=(?P<type>\w+)$")


def _context_entries(values: tuple[str, ...]) -> list[object]:
    out: list[object] = []
    for raw in values:
        text, where = _read_value(raw, "--context-entries")
        m = _SHORTHAND.match(text.strip())
        if m:  # the AWS CLI shorthand
            out.append({"ContextKeyName": m["name"], "ContextKeyValues": m["values"].split(","),
                        "ContextKeyType": m["type"]})
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: expected JSON like [{{\"ContextKeyName\": \"aws:SourceIp\", "
                             f"\"ContextKeyValues\": [\"203.0.113.5\"], \"ContextKeyType\": \"ip\"}}] "
                             f"(invalid JSON at column {exc.colno}: {exc.msg})") from None
        out.extend(value if isinstance(value, list) else [value])
    return out


@policy.command()
@click.option("--policy-input-list", "policy_inputs", cls=ListOption, multiple=True, metavar="POLICY",
              help="Identity-based policy: JSON text or file://path. Repeatable, or a JSON list.")
@click.option("--permissions-boundary-policy-input-list", "boundary_inputs", cls=ListOption, multiple=True, metavar="POLICY",
              help="The permissions boundary (one policy).")
@click.option("--action-names", "action_names", cls=ListOption, multiple=True, metavar="ACTIONS",
              help="Actions to simulate, e.g. s3:GetObject (space or comma separated, repeatable).")
@click.option("--resource-arns", "resource_arns", cls=ListOption, multiple=True, metavar="ARNS",
              help="Resources to simulate (default *).")
@click.option("--resource-policy", metavar="POLICY", help="Resource-based policy: JSON text or file://path.")
@click.option("--resource-owner", metavar="ACCOUNT", help="Account id (or arn:aws:iam::ID:root) owning the resource.")
@click.option("--caller-arn", metavar="ARN",
              help="Caller: user, role session, root, federated user ARN; 'anonymous'; or a service "
                   "principal like cloudtrail.amazonaws.com.")
@click.option("--context-entries", "context_entries", cls=ListOption, multiple=True, metavar="JSON",
              help="Context keys: JSON list of {ContextKeyName, ContextKeyValues, ContextKeyType}, "
                   "file://path, or the AWS CLI shorthand.")
@click.option("--scp-input-list", metavar="JSON", help="SCPs: a JSON list of levels, each a list of policies.")
@click.option("--rcp-input-list", metavar="JSON",
              help="Resource control policies of the resource's organisation: a JSON list of levels.")
@click.option("--session-policy", "session_inputs", cls=ListOption, multiple=True, metavar="POLICY", help="Session policy (repeatable).")
@click.option("--case", "cases", cls=ListOption, multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="A JSON file holding the whole input with the API's parameter names (or a list of "
                   "such objects). Repeatable: one JSON line per case.")
@click.option("--output", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def simulate(ctx: click.Context, policy_inputs, boundary_inputs, action_names, resource_arns, resource_policy,
             resource_owner, caller_arn, context_entries, scp_input_list, rcp_input_list, session_inputs, cases,
             output) -> None:
    """Simulate requests against policies, like `aws iam simulate-custom-policy`.

    Exit 0 when everything was evaluated (whatever the decisions), 2 for bad input.

    \b
    Example:
      ztlab policy simulate --policy-input-list file://policy.json \\
        --action-names s3:GetObject --resource-arns arn:aws:s3:::reports/jan.csv \\
        --context-entries '[{"ContextKeyName":"aws:SecureTransport","ContextKeyValues":["false"],"ContextKeyType":"boolean"}]'
    """
    from ztlab.policy import PolicyError
    from ztlab.policy.simulate import SimulationInputError, simulate_document

    direct = any([policy_inputs, boundary_inputs, action_names, resource_arns, resource_policy, resource_owner,
                  caller_arn, context_entries, scp_input_list, rcp_input_list, session_inputs])
    if cases:
        if direct:
            _fail(ctx, "--case holds the whole input; do not combine it with other parameters")
        ctx.exit(_run_cases(cases, output))
    if not action_names:
        _fail(ctx, "--action-names is required (e.g. --action-names s3:GetObject), or give --case FILE")
    try:
        data: dict[str, object] = {
            "PolicyInputList": _policies(policy_inputs, "--policy-input-list"),
            "ActionNames": _names(action_names),
        }
        if boundary_inputs:
            data["PermissionsBoundaryPolicyInputList"] = _policies(boundary_inputs,
                                                                   "--permissions-boundary-policy-input-list")
        if resource_arns:
            data["ResourceArns"] = _names(resource_arns)
        if resource_policy:
            data["ResourcePolicy"] = _read_value(resource_policy, "--resource-policy")[0]
        if resource_owner:
            data["ResourceOwner"] = resource_owner
        if caller_arn:
            data["CallerArn"] = caller_arn
        if context_entries:
            data["ContextEntries"] = _context_entries(context_entries)
        if scp_input_list:
            data["ServiceControlPolicyInputList"] = _json_value(scp_input_list, "--scp-input-list")
        if rcp_input_list:
            data["ResourceControlPolicyInputList"] = _json_value(rcp_input_list, "--rcp-input-list")
        if session_inputs:
            data["SessionPolicyInputList"] = _policies(session_inputs, "--session-policy")
        result, warnings = simulate_document(data, source="")
    except (InputError, SimulationInputError) as exc:
        _fail(ctx, str(exc).lstrip(": "))
    except PolicyError as exc:
        _fail(ctx, f"{exc}\n  Fix the policy document at that location, then run again.")
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if output == "json":
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(_table(result["EvaluationResults"]))
    ctx.exit(EXIT_OK)


def _fail(ctx: click.Context, message: str) -> None:
    click.echo(f"ztlab policy: {message}", err=True)
    ctx.exit(EXIT_USAGE)


def _run_cases(paths: tuple[Path, ...], output: str) -> int:
    from ztlab.policy import PolicyError
    from ztlab.policy.jsonpos import JSONSyntaxError, load_located
    from ztlab.policy.simulate import SimulationInputError, simulate_document

    status = EXIT_OK
    for path in paths:
        try:
            text = read_bytes_capped(path, MAX_POLICY_BYTES).decode("utf-8-sig")
            located = load_located(text)
        except FileRefused as exc:
            _case_error(str(path), f"the case file {exc.reason}", output)
            status = EXIT_USAGE
            continue
        except UnicodeDecodeError:
            _case_error(str(path), "the case file is not UTF-8 text", output)
            status = EXIT_USAGE
            continue
        except JSONSyntaxError as exc:
            _case_error(str(path), f"{exc.message} at line {exc.line}, column {exc.column}", output)
            status = EXIT_USAGE
            continue
        documents = located.value
        entries = ([(f"{path}#{i}", doc, f"/{i}") for i, doc in enumerate(documents)]
                   if isinstance(documents, list) else [(str(path), documents, "")])
        for label, doc, pointer in entries:
            try:
                result, warnings = simulate_document(doc, source=label, located=located, pointer=pointer)
            except (SimulationInputError, PolicyError) as exc:
                _case_error(label, str(exc), output)
                status = EXIT_USAGE
                continue
            for warning in warnings:
                click.echo(f"warning: {warning}", err=True)
            if output == "json":
                click.echo(json.dumps({"Case": label, **result}))
            else:
                description = doc.get("Description") if isinstance(doc, dict) else None
                click.echo(f"== {label}" + (f": {description}" if description else ""))
                click.echo(_table(result["EvaluationResults"]) + "\n")
    return status


def _case_error(label: str, message: str, output: str) -> None:
    if message.startswith(label):
        message = message[len(label):].lstrip(": ") or message
    click.echo(f"ztlab policy: {label}: {message}", err=True)
    if output == "json":
        click.echo(json.dumps({"Case": label, "Error": message}))


def _missing(result: dict) -> list[str]:
    """Missing keys sit under ResourceSpecificResults when a resource was named (as in the API)."""
    keys = list(result["MissingContextValues"])
    for specific in result.get("ResourceSpecificResults", []):
        keys += [k for k in specific["MissingContextValues"] if k not in keys]
    return keys


def _table(results: list[dict]) -> str:
    rows = [("ACTION", "RESOURCE", "DECISION", "DECIDED BY", "MISSING CONTEXT")]
    for r in results:
        statements = ", ".join(
            f"{m['SourcePolicyId']}{m['Pointer']}" + (f" ({m['Sid']})" if m.get("Sid") else "")
            for m in r["MatchedStatements"])
        if r.get("Rule"):
            statements = f"AWS rule: {r['Rule']}"
        elif not statements and r.get("FailedLayer"):
            statements = f"no Allow in the {r['FailedLayer']} layer"
        if r.get("MatchingResourcePatterns"):  # a resource pattern: what exactly is reachable
            statements += f" on {', '.join(r['MatchingResourcePatterns'])} (e.g. {r['ExampleResource']})"
        rows.append((r["EvalActionName"], r["EvalResourceName"], r["EvalDecision"], statements or "-",
                     ", ".join(_missing(r)) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        lines.append("  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines)





@policy.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(["auto", "identity", "resource", "boundary", "session", "scp"]),
              default="auto", show_default=True,
              help="Where the policy is attached (auto: resource if a statement names a Principal).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="warning", show_default=True,
              help="Exit 1 when a finding has this severity or a higher one.")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def lint(ctx: click.Context, files: tuple[Path, ...], kind: str, fail_on: str, output: str) -> None:
    """Zero-trust findings on IAM policy documents: wildcards, NotAction/NotResource, public
    principals, missing TLS/MFA/source conditions, unknown actions, mistyped conditions.

    Each finding has its location (JSON pointer, line, column) and a fix. Exit 0 when no finding
    reaches --fail-on, 1 when one does, 2 for usage errors.
    """
    from ztlab.policy.lint import at_or_above, lint_text

    findings = []
    for path in files:
        try:
            data = read_bytes_capped(path, MAX_POLICY_BYTES)
        except FileRefused as exc:
            _fail(ctx, str(exc))
        findings.extend(lint_text(data, name=str(path), kind=None if kind == "auto" else kind))
    failing = at_or_above(findings, fail_on)
    if output == "json":
        click.echo(json.dumps({"Findings": [f.as_json() for f in findings]}, indent=2))
    else:
        for finding in findings:
            click.echo(finding.render())
        counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
        summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
        click.echo(f"{len(files)} file(s): {summary}." if findings else f"{len(files)} file(s): no findings.")
    ctx.exit(EXIT_FAIL if failing else EXIT_OK)


def _account_commands() -> None:
    from ztlab.cli.policy_account import can_command, escalations_command, who_can_command

    policy.add_command(who_can_command)
    policy.add_command(can_command)
    policy.add_command(escalations_command)


_account_commands()
