"""Wildcard matching in time linear in pattern x text, whatever the pattern.

A policy is untrusted input: `arn:aws:s3:::*?*?*?*?*?*?*?*?*?*?Z` made a backtracking regex take
20 s per request. Every pattern the engine meets (Action, Resource, StringLike, ArnLike,
principal ARNs) is compiled here into a plain predicate, never into a regex:

- no wildcard: string equality;
- wildcards that match any character (`*`, `?`): the text is cut at each `*` and every piece
  is placed at its leftmost possible position (`str.find`). The leftmost placement is always
  safe, because a piece that ends earlier leaves more text for the rest; each piece is looked
  for once, so the work is at most pattern x text. When every wildcard of a pattern is of this
  kind, compile_text builds the pieces from the string itself (str.split), lazily: a policy's
  10,000-character Resources cost `policy lint` next to nothing, and a tuple per character cost
  about a second per MB;
- wildcards that may not cross a colon (the first five segments of an ARN): the pattern runs
  as a set of states advanced one character at a time, held as bits of one integer, so one
  character costs a few integer operations over all states at once.

A token is (kind, char, bounded): LIT with its character, ONE for `?`, STAR for `*`; bounded
wildcards do not match ":".
"""

from __future__ import annotations

from typing import Callable

LIT, ONE, STAR = 0, 1, 2
Token = tuple[int, str, bool]
Matcher = Callable[[str], bool]


def compile_tokens(tokens: tuple[Token, ...]) -> Matcher:
    """A predicate telling whether a whole text matches the token sequence."""
    if all(kind == LIT for kind, _, _ in tokens):
        literal = "".join(ch for _, ch, _ in tokens)
        return literal.__eq__
    if not any(bounded for kind, _, bounded in tokens if kind != LIT):
        return _glob([t for t in tokens])
    return _states(tokens)


# ------------------------------------------------------------------ unbounded wildcards
class _Piece:
    """The text between two `*`: fixed length, literal runs with one `?` between each two.

    Runs are plain strings (no tuple per run or per character): a long pattern makes few objects
    for the garbage collector to walk again and again while it is compiled."""

    __slots__ = ("length", "runs", "anchor", "anchor_at")

    def __init__(self, runs: list[str]) -> None:
        self.runs = runs
        self.length = sum(map(len, runs)) + len(runs) - 1
        # the longest literal run is the one to search for: it has the fewest false starts
        self.anchor_at, self.anchor, pos = 0, "", 0
        for run in runs:
            if len(run) > len(self.anchor):  # the first longest
                self.anchor_at, self.anchor = pos, run
            pos += len(run) + 1

    @classmethod
    def of_tokens(cls, tokens: list[Token]) -> _Piece:
        runs: list[str] = []
        run: list[str] = []
        for kind, ch, _ in tokens:
            if kind == LIT:
                run.append(ch)
            else:
                runs.append("".join(run))
                run = []
        runs.append("".join(run))
        return cls(runs)

    @classmethod
    def of_text(cls, text: str) -> _Piece:
        """`text` with every `?` a wildcard."""
        return cls(text.split("?"))

    def at(self, text: str, pos: int) -> bool:
        for run in self.runs:
            if run and not text.startswith(run, pos):
                return False
            pos += len(run) + 1
        return True

    def find(self, text: str, start: int, end: int) -> int:
        """The leftmost p in [start, end - length] where the piece matches, else -1."""
        last = end - self.length
        if last < start:
            return -1
        if not self.anchor:
            return start
        off, anchor = self.anchor_at, self.anchor
        i = text.find(anchor, start + off, last + off + len(anchor))
        while i >= 0:
            if self.at(text, i - off):
                return i - off
            i = text.find(anchor, i + 1, last + off + len(anchor))
        return -1


def compile_text(pattern: str) -> Matcher:
    """The matcher compile_tokens makes for `pattern` read as unbounded wildcards (every `*` and
    `?` one, no literal `*` or `?`), built from str.split instead of a tuple per character, and
    only once a text long enough to match is asked about: `policy lint` compiles every Resource
    of a policy but asks few of them anything, and a 10,000-character pattern rejects a short ARN
    by its length alone."""
    if "*" not in pattern and "?" not in pattern:
        return pattern.__eq__
    least = len(pattern) - pattern.count("*")
    built: list[Matcher] = []

    def match(text: str) -> bool:
        if len(text) < least:
            return False
        if not built:
            built.append(_split_glob(pattern))
        return built[0](text)

    return match


def _split_glob(pattern: str) -> Matcher:
    texts = pattern.split("*")
    if len(texts) == 1:
        return _fixed(_Piece.of_text(pattern))
    middles = [text if "?" not in text else _Piece.of_text(text) for text in texts[1:-1] if text]
    return _glob_pieces(_Piece.of_text(texts[0]), middles, _Piece.of_text(texts[-1]))


def _glob(tokens: list[Token]) -> Matcher:
    pieces: list[list[Token]] = [[]]
    for token in tokens:
        if token[0] == STAR:
            pieces.append([])
        else:
            pieces[-1].append(token)
    if len(pieces) == 1:
        return _fixed(_Piece.of_tokens(pieces[0]))
    middles: list[str | _Piece] = [_Piece.of_tokens(p) for p in pieces[1:-1] if p]
    return _glob_pieces(_Piece.of_tokens(pieces[0]), middles, _Piece.of_tokens(pieces[-1]))


def _fixed(piece: _Piece) -> Matcher:
    """`?` only, no `*`: a fixed length."""
    return lambda text: len(text) == piece.length and piece.at(text, 0)


def _glob_pieces(first: _Piece, middles: list[str | _Piece], last: _Piece) -> Matcher:
    """The pattern cut at each `*`: what comes before the first and after the last, and the
    non-empty pieces between (a plain string when it holds no `?`)."""
    if not middles and len(first.runs) == 1 and len(last.runs) == 1:  # `prefix*suffix`, the usual shape
        prefix, suffix = first.runs[0], last.runs[0]  # (`s3:Get*`, `arn:...:bucket/*`)
        least = len(prefix) + len(suffix)
        return lambda text: len(text) >= least and text.startswith(prefix) and text.endswith(suffix)
    least = first.length + last.length + sum(len(p) if p.__class__ is str else p.length for p in middles)

    def match(text: str) -> bool:
        n = len(text)
        if n < least or not first.at(text, 0):
            return False
        pos, end = first.length, n - last.length
        for piece in middles:
            if piece.__class__ is str:  # no `?`: str.find places it
                found = text.find(piece, pos, end)
                if found < 0:
                    return False
                pos = found + len(piece)
                continue
            found = piece.find(text, pos, end)
            if found < 0:
                return False
            pos = found + piece.length
        return last.at(text, end)

    return match


# ------------------------------------------------------------------ colon-bounded wildcards
def _states(tokens: tuple[Token, ...]) -> Matcher:
    # literal characters at either end must sit exactly there: compare them directly and run
    # the state machine over the middle only
    lo, hi = 0, len(tokens)
    while lo < hi and tokens[lo][0] == LIT:
        lo += 1
    while hi > lo and tokens[hi - 1][0] == LIT:
        hi -= 1
    prefix = "".join(ch for _, ch, _ in tokens[:lo])
    suffix = "".join(ch for _, ch, _ in tokens[hi:])
    middle = tokens[lo:hi]
    size = len(middle)
    accept = 1 << size
    # state i: the first i tokens of the middle have matched. For each character, `step`
    # holds the states whose token consumes it and moves on, `stay` the `*` states that
    # consume it and stay.
    literal: dict[str, int] = {}
    one_any = one_bounded = star_any = star_bounded = stars = 0
    for i, (kind, ch, bounded) in enumerate(middle):
        bit = 1 << i
        if kind == LIT:
            literal[ch] = literal.get(ch, 0) | bit
        elif kind == ONE:
            if bounded:
                one_bounded |= bit
            else:
                one_any |= bit
        else:
            stars |= bit
            if bounded:
                star_bounded |= bit
            else:
                star_any |= bit
    other = (one_any | one_bounded, star_any | star_bounded)
    table = {ch: (bits | one_any | one_bounded, star_any | star_bounded) for ch, bits in literal.items()}
    table[":"] = (literal.get(":", 0) | one_any, star_any)

    def close(state: int) -> int:
        # a `*` may match nothing: its state also stands for the next one
        while True:
            more = state | ((state & stars) << 1)
            if more == state:
                return state
            state = more

    start = close(1)
    least = len(prefix) + len(suffix)

    def match(text: str) -> bool:
        n = len(text)
        if n < least or not text.startswith(prefix) or not text.endswith(suffix):
            return False
        state = start
        get = table.get
        for ch in text[len(prefix):n - len(suffix)]:
            step, stay = get(ch, other)
            state = ((state & step) << 1) | (state & stay)
            if not state:
                return False
            if state & stars:
                state = close(state)
        return bool(state & accept)

    return match
