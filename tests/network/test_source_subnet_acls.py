"""An address inside the VPC sends through its own subnet's network ACL (issue 11).

AWS filters a packet as it leaves a subnet and as it enters one, and a stateless reply crosses both
again the other way; traffic between two addresses of one subnet crosses none. So a flow from an
address range a security group names, or from a tier in a known subnet, is closed by an outbound
deny on the sender's subnet, or by an inbound one there that drops the replies, and a needed flow is
broken by them: the verdict says so and names the entry.

The account: VPC 10.0.0.0/16 with subnets web (10.0.1.0/24), app (10.0.2.0/24) and db (10.0.3.0/24),
one group per tier placed in its subnet, every subnet on the VPC's default ACL (all allowed) unless a
test gives it its own.
"""

from __future__ import annotations

from tests.checks.helpers import ACCOUNT, snap
from ztlab.content.models.lab import ReachabilityObjective
from ztlab.labs.objectives.reachability import grade_reachability

VPC = {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": ACCOUNT}
SUBNETS = {"web": "10.0.1.0/24", "app": "10.0.2.0/24", "db": "10.0.3.0/24"}
PLACEMENT = {f"sg-{tier}": [f"subnet-{tier}"] for tier in SUBNETS}
ALL = {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}


def entry(number: int, egress: bool, action: str, cidr: str, protocol: str = "-1", ports: tuple[int, int] | None = None) -> dict:
    e = {"RuleNumber": number, "Egress": egress, "RuleAction": action, "Protocol": protocol, "CidrBlock": cidr}
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    return e


def tcp(port: int, **source) -> dict:
    perm = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
    if "cidr" in source:
        perm["IpRanges"] = [{"CidrIp": source["cidr"]}]
    if "group" in source:
        perm["UserIdGroupPairs"] = [{"GroupId": source["group"]}]
    return perm


def account(db_in: list[dict], app_out: list[dict] | None = None, acls: dict[str, list[dict]] | None = None):
    """The three tiers; `db_in` are sg-db's inbound rules, `app_out` sg-app's outbound ones (default: 5432 to
    sg-db); `acls` gives a subnet its own network ACL (tier -> entries)."""
    def group(tier, inbound=(), outbound=()):
        return {"GroupId": f"sg-{tier}", "GroupName": tier, "VpcId": "vpc-1", "OwnerId": ACCOUNT,
                "IpPermissions": list(inbound), "IpPermissionsEgress": list(outbound)}
    groups = [group("web"), group("app", outbound=app_out if app_out is not None else [tcp(5432, group="sg-db")]),
              group("db", inbound=db_in)]
    subnets = [{"SubnetId": f"subnet-{tier}", "VpcId": "vpc-1", "CidrBlock": cidr} for tier, cidr in SUBNETS.items()]
    default = {"NetworkAclId": "acl-default", "VpcId": "vpc-1", "IsDefault": True, "Associations": [],
               "Entries": [dict(ALL, Egress=False), dict(ALL, Egress=True)]}
    own = [{"NetworkAclId": f"acl-{tier}", "VpcId": "vpc-1", "IsDefault": False, "Entries": entries,
            "Associations": [{"SubnetId": f"subnet-{tier}", "NetworkAclId": f"acl-{tier}"}]}
           for tier, entries in (acls or {}).items()]
    return snap(ec2={"vpcs": [VPC], "subnets": subnets, "security_groups": groups, "network_acls": [default, *own]})


def only_the_app_reaches_the_db(snapshot, *extra_flows):
    spec = {"placement": PLACEMENT, "exactly": {"subjects": ["sg-db"], "direction": "inbound", "flows": [
        {"source": "sg-app", "target": "sg-db", "ports": 5432}, *extra_flows]}}
    return grade_reachability(ReachabilityObjective.model_validate(spec), snapshot, {})


def sampled(snapshot, source: str, expect: str, protocol: str = "tcp"):
    spec = {"placement": PLACEMENT, "flows": [{"source": source, "target": "sg-db", "port": 5432, "protocol": protocol,
                                              "expect": expect}]}
    return grade_reachability(ReachabilityObjective.model_validate(spec), snapshot, {})


# The classic "the web subnet never talks to the data subnet" ACL: deny first, then everything else.
WEB_NEVER_TO_DB = [entry(90, True, "deny", "10.0.3.0/24"), dict(ALL, Egress=True), dict(ALL, Egress=False)]
# A web subnet that takes in only HTTPS: replies to its own outgoing connections cannot come back.
WEB_ONLY_HTTPS_IN = [dict(ALL, Egress=True), entry(100, False, "allow", "0.0.0.0/0", "6", (443, 443))]
WEB_SUBNET_RULE = [tcp(5432, group="sg-app"), tcp(5432, cidr="10.0.1.0/24")]


def test_an_outbound_deny_on_the_source_subnet_closes_a_forbidden_flow():
    # sg-db also admits the web subnet's range. With every ACL open that is a flow nobody intended...
    opened = only_the_app_reaches_the_db(account(WEB_SUBNET_RULE))
    assert opened.status == "FAIL" and "10.0.1.0/24 -> sg-db (db) on TCP 5432" in opened.message, opened.message
    assert "acl-default rule 100 (outbound allow)" in opened.message, "the message names the entries it passes"
    assert sampled(account(WEB_SUBNET_RULE), "10.0.1.0/24", "closed").status == "FAIL"
    # ...but every packet from there leaves through the web subnet's ACL, whose rule 90 drops it.
    closed = account(WEB_SUBNET_RULE, acls={"web": WEB_NEVER_TO_DB})
    assert only_the_app_reaches_the_db(closed).status == "PASS", only_the_app_reaches_the_db(closed).message
    assert sampled(closed, "10.0.1.0/24", "closed").status == "PASS"


def test_a_deny_numbered_after_an_allow_on_the_source_subnet_closes_nothing():
    allow_first = [dict(ALL, Egress=True), entry(200, True, "deny", "10.0.3.0/24"), dict(ALL, Egress=False)]
    verdict = only_the_app_reaches_the_db(account(WEB_SUBNET_RULE, acls={"web": allow_first}))
    assert verdict.status == "FAIL" and "acl-web rule 100 (outbound allow)" in verdict.message, verdict.message


def test_traffic_inside_one_subnet_crosses_no_acl():
    # The db subnet's ACL refuses every packet both ways, yet its own addresses still reach the database:
    # an ACL filters what enters and leaves a subnet, not what stays inside it.
    sealed = {"db": [entry(100, False, "deny", "0.0.0.0/0"), entry(100, True, "deny", "0.0.0.0/0")]}
    own_range = [tcp(5432, group="sg-app"), tcp(5432, cidr="10.0.3.0/24")]
    forbidden = only_the_app_reaches_the_db(account(own_range, acls=sealed))
    assert forbidden.status == "FAIL" and "10.0.3.0/24 -> sg-db (db) on TCP 5432" in forbidden.message, forbidden.message
    assert "network ACLs" not in forbidden.message.split("10.0.3.0/24 ->", 1)[1].split("Missing flow")[0]
    assert sampled(account(own_range, acls=sealed), "10.0.3.0/24", "closed").status == "FAIL"
    # Needed from its own subnet, it works through the same sealed ACL (only the app's flow is cut).
    needed = only_the_app_reaches_the_db(account(own_range, acls=sealed), {"source": "10.0.3.0/24", "target": "sg-db", "ports": 5432})
    assert "10.0.3.0/24 cannot reach" not in needed.message and "Unintended flow" not in needed.message, needed.message
    assert sampled(account(own_range, acls=sealed), "10.0.3.0/24", "open").status == "PASS"


def test_replies_refused_at_the_source_subnet_close_a_tcp_flow_but_not_udp():
    # The web subnet lets its packets out but takes in only HTTPS: the database's replies to the client port
    # are dropped on the way back, so no TCP connection is made.
    closed = account(WEB_SUBNET_RULE, acls={"web": WEB_ONLY_HTTPS_IN})
    assert only_the_app_reaches_the_db(closed).status == "PASS", only_the_app_reaches_the_db(closed).message
    assert sampled(closed, "10.0.1.0/24", "closed").status == "PASS"
    # One reply port admitted back from the db subnet is enough for a connection.
    one_port = WEB_ONLY_HTTPS_IN + [entry(110, False, "allow", "10.0.3.0/24", "6", (40000, 40000))]
    reopened = only_the_app_reaches_the_db(account(WEB_SUBNET_RULE, acls={"web": one_port}))
    assert reopened.status == "FAIL" and "its reply to port 40000 by acl-default rule 100 (outbound allow), acl-web rule 110 (inbound allow)" in reopened.message, reopened.message
    # A UDP datagram does its harm one way: no reply is needed, and it still gets out.
    udp = [{"IpProtocol": "udp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.0.1.0/24"}]}]
    assert sampled(account(udp, acls={"web": WEB_ONLY_HTTPS_IN}), "10.0.1.0/24", "closed", "udp").status == "FAIL"


def test_a_needed_flow_cut_only_by_the_source_subnets_outbound_acl_fails_naming_the_entry():
    # The app subnet's ACL copies "never to the data subnet": the app's own connections to the database die there.
    cut = {"app": [entry(90, True, "deny", "10.0.3.0/24"), dict(ALL, Egress=True), dict(ALL, Egress=False)]}
    snapshot = account([tcp(5432, group="sg-app")], acls=cut)
    verdict = only_the_app_reaches_the_db(snapshot)
    assert verdict.status == "FAIL" and "Missing flow: sg-app (app) cannot reach sg-db (db) on TCP 5432" in verdict.message
    assert "the network ACL of subnet-app refuses it: acl-app rule 90 (outbound deny)" in verdict.message, verdict.message
    still_works = sampled(snapshot, "sg-app", "open")
    assert still_works.status == "FAIL" and "acl-app rule 90 (outbound deny)" in still_works.message, still_works.message
    # The same for an address range of the app subnet that the database admits by CIDR.
    by_range = account([tcp(5432, cidr="10.0.2.0/24")], acls=cut)
    spec = {"placement": PLACEMENT, "exactly": {"subjects": ["sg-db"], "direction": "inbound", "flows": [
        {"source": "10.0.2.0/24", "target": "sg-db", "ports": 5432}]}}
    verdict = grade_reachability(ReachabilityObjective.model_validate(spec), by_range, {})
    assert verdict.status == "FAIL" and "10.0.2.0/24 cannot reach sg-db (db) on TCP 5432" in verdict.message, verdict.message
    assert "acl-app rule 90 (outbound deny)" in verdict.message


def test_a_needed_flow_whose_replies_cannot_get_back_into_the_source_subnet_fails_naming_the_rule():
    # Nothing numbered admits the replies back into the app subnet: the `*` rule drops them.
    no_replies = {"app": [dict(ALL, Egress=True), entry(100, False, "allow", "10.0.1.0/24", "6", (8080, 8080))]}
    verdict = only_the_app_reaches_the_db(account([tcp(5432, group="sg-app")], acls=no_replies))
    assert verdict.status == "FAIL", verdict.message
    assert "refuses its reply to client port 32768: acl-app rule * (inbound deny)" in verdict.message, verdict.message


def test_a_backend_subnet_kept_from_the_web_tier_breaks_no_internet_flow():
    # "Customers reach the web tier" (0.0.0.0/0) is about clients outside the VPC: the db subnet's ACL, which
    # lets out only replies to the app subnet, does not break it. Outside clients are still demanded.
    def web_from_the_internet(snapshot):
        snapshot.ec2.security_groups[0]["IpPermissions"] = [tcp(443, cidr="0.0.0.0/0")]
        spec = {"placement": PLACEMENT, "exactly": {"subjects": ["sg-web"], "direction": "inbound", "flows": [
            {"source": "0.0.0.0/0", "target": "sg-web", "ports": 443}]}}
        return grade_reachability(ReachabilityObjective.model_validate(spec), snapshot, {})
    db_replies_only = {"db": [entry(100, False, "allow", "10.0.2.0/24", "6", (5432, 5432)),
                              entry(100, True, "allow", "10.0.2.0/24", "6", (1024, 65535))]}
    assert web_from_the_internet(account([], acls=db_replies_only)).status == "PASS"
    no_replies_out = {"web": [entry(100, False, "allow", "0.0.0.0/0", "6", (443, 443)),
                              entry(100, True, "allow", "10.0.0.0/16")]}
    verdict = web_from_the_internet(account([], acls=no_replies_out))
    assert verdict.status == "FAIL" and "0.0.0.0/0 except 10.0.0.0/16 cannot reach sg-web (web) on TCP 443" in verdict.message
    assert "refuses its reply to client port 32768: acl-web rule * (outbound deny)" in verdict.message, verdict.message


def test_a_range_admits_a_tier_only_where_its_subnet_holds_addresses_in_it():
    # A group whose subnet is unknown (here the VPC's default group, sending anything anywhere) may sit in any
    # subnet, but sg-db's range rule admits only members in the web subnet, whose ACL never reaches the db
    # subnet. Sitting next to the database it would cross no ACL, but its address would not be in the range.
    def with_default_group(acls):
        snapshot = account(WEB_SUBNET_RULE, acls=acls)
        snapshot.ec2.security_groups.append({"GroupId": "sg-default", "GroupName": "default", "VpcId": "vpc-1", "OwnerId": ACCOUNT,
                                             "IpPermissions": [], "IpPermissionsEgress": [
                                                 {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]})
        return only_the_app_reaches_the_db(snapshot)
    assert with_default_group({"web": WEB_NEVER_TO_DB}).status == "PASS", with_default_group({"web": WEB_NEVER_TO_DB}).message
    # Without the ACL the default group's members in the web subnet do reach the database.
    verdict = with_default_group({})
    flows = [e["unintended"] for e in verdict.evidence if "unintended" in e]
    assert verdict.status == "FAIL" and any(f.startswith("sg-default (default) -> sg-db (db) on TCP 5432") for f in flows), flows


def test_a_needed_flow_of_a_placed_tier_needs_a_rule_that_admits_the_subnet_it_sits_in():
    # sg-db admits the web subnet's range, not the app subnet the app tier sits in: the app cannot connect.
    verdict = only_the_app_reaches_the_db(account([tcp(5432, cidr="10.0.1.0/24")]))
    assert verdict.status == "FAIL", verdict.message
    assert "sg-app (app) cannot reach sg-db (db) on TCP 5432: no inbound rule of sg-db (db) admits sg-app (app)'s members in subnet-app" in verdict.message
