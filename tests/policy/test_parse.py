"""Parsing: every broken document gets a PolicyError that says what and where."""

from __future__ import annotations

import json

import pytest

from ztlab.policy import PolicyError, parse_policy


def error_for(text: str | dict, **kw) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, name="p.json", **kw)
    return info.value


def test_invalid_json_has_line_and_column():
    err = error_for('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}')
    assert (err.line, err.column) == (4, 24)
    assert "invalid JSON" in err.message
    assert str(err).startswith("p.json:4:24")


def test_bad_effect_points_at_the_value():
    text = '{\n "Version": "2012-10-17",\n "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]\n}'
    err = error_for(text)
    assert err.pointer == "/Statement/0/Effect"
    assert (err.line, err.column) == (3, 27)
    assert '"Allow" or "Deny"' in err.message


def test_unknown_element_suggests_the_right_spelling():
    text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Actions": "s3:*", "Resource": "*"}]}'
    err = error_for(text)
    assert err.pointer == "/Statement/0/Actions"
    assert "'Action'" in err.message
    assert err.column == text.index('"Actions"') + 1


def test_unknown_condition_operator():
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                                                   "Condition": {"StringEqual": {"aws:username": "a"}}}]}
    err = error_for(json.dumps(doc, indent=2))
    assert err.pointer == "/Statement/0/Condition/StringEqual"
    assert err.line == 9
    assert "not a condition operator" in err.message


def test_dict_input_has_pointer_but_no_line():
    err = error_for({"Statement": [{"Effect": "Allow", "Action": 5, "Resource": "*"}]})
    assert err.pointer == "/Statement/0/Action"
    assert err.line is None and err.column is None


@pytest.mark.parametrize("statement, pointer, words", [
    ({"Effect": "Allow", "Action": "GetObject", "Resource": "*"}, "/Statement/0/Action", "service:Action"),
    ({"Effect": "Allow", "Resource": "*"}, "/Statement/0", "no Action"),
    ({"Effect": "Allow", "Action": "s3:*", "NotAction": "iam:*", "Resource": "*"}, "/Statement/0/NotAction", "not both"),
    ({"Action": "s3:*", "Resource": "*"}, "/Statement/0", "no Effect"),
    ({"Effect": "Allow", "Action": [], "Resource": "*"}, "/Statement/0/Action", "at least one"),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": ["*", 3]}, "/Statement/0/Resource/1", "strings"),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": {"User": "x"}}, "/Statement/0/Principal/User", "AWS"),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": "ten"}}},
     "/Statement/0/Condition/NumericLessThan/s3:max-keys", "not a number"),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "nope"]}}},
     "/Statement/0/Condition/IpAddress/aws:SourceIp/1", "IP address"),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "tomorrow"}}},
     "/Statement/0/Condition/DateLessThan/aws:CurrentTime", "not a date"),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"username": "a"}}},
     "/Statement/0/Condition/StringEquals/username", "prefix:name"),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:username": {"a": 1}}}},
     "/Statement/0/Condition/StringEquals/aws:username", "strings, numbers or booleans"),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NullIfExists": {"aws:username": "true"}}},
     "/Statement/0/Condition/NullIfExists", "not a condition operator"),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/a~b": []}}},
     "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1a~0b", "at least one value"),
])
def test_statement_errors(statement, pointer, words):
    err = error_for({"Version": "2012-10-17", "Statement": [statement]})
    assert err.pointer == pointer
    assert words in err.message


def test_top_level_errors():
    assert "Version" in error_for({"Version": "2020-01-01", "Statement": []}).message
    assert error_for({"Version": "2012-10-17"}).message.startswith("the policy has no Statement")
    assert "JSON object" in error_for("[1, 2]").message
    assert "empty" in error_for("   ").message
    assert "UTF-8" in error_for(b"\xff\xfe{").message


def test_kind_checks_where_the_policy_is_attached():
    with_principal = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}
    err = error_for(with_principal, kind="identity")
    assert err.pointer == "/Statement/0/Principal" and "not allowed" in err.message
    without = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    assert "needs a Principal" in error_for(without, kind="resource").message
    no_resource = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}
    assert "Resource" in error_for(no_resource, kind="scp").message
    parse_policy(with_principal, kind="resource")
    parse_policy(without, kind="identity")


def test_diagnostics_do_not_stop_parsing():
    text = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*",
         "Condition": {"ForAllValues:Bool": {"aws:SecureTransport": "true"}}},
        {"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}, indent=1)
    text = text.replace('"Sid": "A",', '"Sid": "A", "Sid": "B",', 1)
    policy = parse_policy(text)
    codes = {d.code for d in policy.diagnostics}
    assert {"set-operator-single-valued", "duplicate-key"} <= codes
    assert all(d.line for d in policy.diagnostics)


def test_normalisation_once():
    policy = parse_policy({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                                                                  "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": True},
                                                                                                 "NumericLessThan": {"s3:max-keys": 10}}}})
    st = policy.statements[0]
    assert st.pointer == "/Statement"
    assert st.actions == ["s3:GetObject"] and st.resources == ["*"]
    assert [c.values for c in st.conditions] == [("true",), ("10",)]


def test_error_is_a_value_error_and_pickles():
    import pickle
    err = error_for('{"Statement": 3}')
    assert isinstance(err, ValueError)
    again = pickle.loads(pickle.dumps(err))
    assert (again.pointer, again.line, again.column, again.message) == (err.pointer, err.line, err.column, err.message)


def test_strict_mode_rejects_set_operators_on_single_valued_keys():
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                                                   "Condition": {"ForAnyValue:StringEquals": {"aws:SourceVpc": "vpc-1"}}}]}
    assert parse_policy(doc).diagnostics[0].code == "set-operator-single-valued"
    err = error_for(json.dumps(doc), strict=True)
    assert err.pointer == "/Statement/0/Condition/ForAnyValue:StringEquals/aws:SourceVpc"
    assert err.line == 1 and "single value" in err.message


def test_url_encoded_documents_from_the_iam_api():
    from urllib.parse import quote

    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    policy = parse_policy(quote(json.dumps(doc)))
    assert policy.statements[0].actions == ["s3:GetObject"]
