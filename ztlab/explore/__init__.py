"""Questions over a whole account snapshot, answered by the policy engine on the policies
`ztlab.access` gathers: who can act on a resource, what a principal can reach
(`who_can`), and how a principal can make itself an administrator (`escalation`)."""
