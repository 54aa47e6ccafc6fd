"""The lab workspace: documents the learner writes (session policies) and how the grader reads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from ztlab.labs.workspace import WorkspaceFileError, read_session_policy


def test_missing_session_policy_names_the_file(tmp_path):
    with pytest.raises(WorkspaceFileError) as exc:
        read_session_policy("session-policy.json", tmp_path)
    assert str(tmp_path / "session-policy.json") in str(exc.value)
    assert "does not exist" in str(exc.value)


def test_broken_json_reports_line_and_column(tmp_path):
    (tmp_path / "session-policy.json").write_text('{\n  "Version": "2012-10-17",\n  "Statement": [,]\n}\n')
    with pytest.raises(WorkspaceFileError) as exc:
        read_session_policy("session-policy.json", tmp_path)
    assert "session-policy.json:3:" in str(exc.value)


def test_policy_with_a_principal_is_not_a_session_policy(tmp_path):
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}
    (tmp_path / "p.json").write_text(json.dumps(document))
    with pytest.raises(WorkspaceFileError) as exc:
        read_session_policy("p.json", tmp_path)
    assert "Principal" in str(exc.value)


def test_lab_set_up_without_a_workspace_says_how_to_recover():
    with pytest.raises(WorkspaceFileError) as exc:
        read_session_policy("session-policy.json", None)
    assert "ztlab lab reset" in str(exc.value)


@pytest.mark.server
def test_grade_gives_apply_scripts_the_workspace(tmp_path):
    """An autograded shell script writes the session policy into $ZTLAB_WORKSPACE with plain shell and
    fixes the role with the real aws CLI; the grader reads both."""
    script = tmp_path / "fix.sh"
    script.write_text(textwrap.dedent("""\
        set -euo pipefail
        account=$(aws sts get-caller-identity --query Account --output text)
        cat > trust.json <<JSON
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${account}:root"},
          "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}
        JSON
        aws iam update-assume-role-policy --role-name claims-analyst --policy-document file://trust.json
        aws iam update-role --role-name claims-analyst --max-session-duration 3600
        cat > "$ZTLAB_WORKSPACE/session-policy.json" <<'JSON'
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::meridian-claims-lake/claims/2026/q4/*"},
          {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::meridian-claims-lake",
           "Condition": {"StringLike": {"s3:prefix": "claims/2026/q4/*"}}}]}
        JSON
        """))
    env = {k: v for k, v in os.environ.items() if k != "ZTLAB_WORKSPACE"}
    done = subprocess.run([sys.executable, "-m", "ztlab", "lab", "grade", "jit-analyst-access", "--apply", str(script),
                           "--format", "json"], capture_output=True, text=True, env=env, timeout=240)
    assert done.returncode == 0, done.stderr + done.stdout
    report = json.loads(done.stdout)
    assert report["score"] == report["max_score"]
