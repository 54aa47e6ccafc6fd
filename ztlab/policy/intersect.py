"""Which strings two wildcard patterns both match: `arn:aws:s3:::payroll/*` against a statement's
`arn:aws:s3:::*/2026/*` gives `arn:aws:s3:::payroll/*2026/*` (and friends).

Patterns are token sequences (ztlab.policy.wildcards). The intersection of two of them is a
finite union of patterns of the same kind: at each step either both sides consume the same
character, or a `*` on one side lets the other side move on. `overlaps` answers "is there a
common string?" in pattern x pattern steps; `intersect` lists the union (capped, since it can
grow with the number of `*`), and `example` writes a concrete string of a pattern.
"""

from __future__ import annotations

from functools import lru_cache

from ztlab.policy.wildcards import LIT, ONE, STAR, Token

Tokens = tuple[Token, ...]
LIMIT = 24  # patterns listed per intersection; the answer says when it stopped there


def _both(a: Token, b: Token) -> Token | None:
    """The one-character token matching what both fixed tokens match, or None."""
    if a[0] == LIT and b[0] == LIT:
        return a if a[1] == b[1] else None
    if a[0] == LIT or b[0] == LIT:
        lit, one = (a, b) if a[0] == LIT else (b, a)
        return None if (one[2] and lit[1] == ":") else lit
    return (ONE, "", a[2] or b[2])


def _eats(star: Token, token: Token) -> Token | None:
    """What a `*` consuming one character of `token` leaves as that character, or None."""
    if token[0] == LIT:
        return None if (star[2] and token[1] == ":") else token
    return (ONE, "", star[2] or token[2])


def overlaps(p: Tokens, q: Tokens) -> bool:
    """Is there a string both patterns match?"""
    return _overlaps(p, q)


@lru_cache(maxsize=4096)
def _overlaps(p: Tokens, q: Tokens) -> bool:
    # reachable (i, j) pairs: the first i tokens of p and j of q have matched a common prefix
    seen = {(0, 0)}
    todo = [(0, 0)]
    while todo:
        i, j = todo.pop()
        if i == len(p) and j == len(q):
            return True
        nxt = []
        a = p[i] if i < len(p) else None
        b = q[j] if j < len(q) else None
        if a is not None and a[0] == STAR:
            nxt.append((i + 1, j))
        if b is not None and b[0] == STAR:
            nxt.append((i, j + 1))
        if a is not None and b is not None:
            if a[0] == STAR and b[0] == STAR:
                pass  # both may consume a character: equivalent to one of the moves above, then the other
            elif a[0] == STAR:
                if _eats(a, b) is not None:
                    nxt.append((i, j + 1))
            elif b[0] == STAR:
                if _eats(b, a) is not None:
                    nxt.append((i + 1, j))
            elif _both(a, b) is not None:
                nxt.append((i + 1, j + 1))
        for state in nxt:
            if state not in seen:
                seen.add(state)
                todo.append(state)
    return False


def intersect(p: Tokens, q: Tokens, limit: int = LIMIT) -> tuple[list[Tokens], bool]:
    """(patterns whose union is exactly what both match, complete). complete is False when the
    list stopped at `limit`; the patterns listed are then a part of the intersection."""
    if not overlaps(p, q):
        return [], True
    memo: dict[tuple[int, int], list[Tokens]] = {}
    cut = [False]

    def go(i: int, j: int) -> list[Tokens]:
        key = (i, j)
        if key in memo:
            return memo[key]
        out: list[Tokens] = []
        if i == len(p) and j == len(q):
            out = [()]
        elif _overlaps(p[i:], q[j:]):
            a = p[i] if i < len(p) else None
            b = q[j] if j < len(q) else None
            if a is not None and b is not None and a[0] == STAR and b[0] == STAR:
                star = (STAR, "", a[2] or b[2])
                out = [(star,) + rest for rest in go(i + 1, j) + go(i, j + 1)]
            elif a is not None and a[0] == STAR:
                out = list(go(i + 1, j))
                t = _eats(a, b) if b is not None else None
                if t is not None:
                    out += [(t,) + rest for rest in go(i, j + 1)]
            elif b is not None and b[0] == STAR:
                out = list(go(i, j + 1))
                t = _eats(b, a) if a is not None else None
                if t is not None:
                    out += [(t,) + rest for rest in go(i + 1, j)]
            elif a is not None and b is not None:
                t = _both(a, b)
                if t is not None:
                    out = [(t,) + rest for rest in go(i + 1, j + 1)]
        out = _simplify(out)
        if len(out) > limit:
            out, cut[0] = out[:limit], True
        memo[key] = out
        return out

    return go(0, 0), not cut[0]


def _simplify(patterns: list[Tokens]) -> list[Tokens]:
    """Drop duplicates and runs of `*` (`**` matches what `*` matches)."""
    out: dict[Tokens, None] = {}
    for pattern in patterns:
        squeezed: list[Token] = []
        for token in pattern:
            if token[0] == STAR and squeezed and squeezed[-1][0] == STAR:
                if token[2] != squeezed[-1][2]:
                    squeezed[-1] = (STAR, "", False)  # a bounded and an unbounded run: the wider
                continue
            squeezed.append(token)
        out[tuple(squeezed)] = None
    return list(out)


def example(tokens: Tokens, filler: str = "") -> str:
    """A string the pattern matches: `*` becomes `filler`, `?` becomes `x` (never a colon).
    The filler must hold no colon."""
    return "".join(ch if kind == LIT else ("x" if kind == ONE else filler) for kind, ch, _ in tokens)


def pattern_text(tokens: Tokens) -> str:
    """The pattern as a policy writes it (a literal `*` or `?` as `${*}` / `${?}`)."""
    out = []
    for kind, ch, _ in tokens:
        if kind == LIT:
            out.append("${" + ch + "}" if ch in "*?$" else ch)
        else:
            out.append("?" if kind == ONE else "*")
    return "".join(out)
