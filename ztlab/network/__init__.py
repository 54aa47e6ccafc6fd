"""The one network rule model: addresses, security-group rules and the flows they allow.

Audit checks (ztlab.checks.network) and lab objectives (ztlab.labs.objectives.reachability) both
decide on it, so a check and an objective cannot disagree about the same account.
Layering: checks and labs import this; it imports only the snapshot shape and policy's CIDR parser.
"""
