"""The learner's terminal: export lines for each shell, and a sub-shell with a visible marker."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

SHELLS = ("bash", "zsh", "fish", "powershell")
PROMPT_MARKER = "(ztlab-sandbox)"


def detect_shell(shell_path: str | None = None, *, exact: bool = False) -> str:
    """bash, zsh, fish or powershell from a shell's path. Any other shell gets bash syntax (POSIX
    `export` works in sh, dash, ksh), or "other" with `exact=True` (it has no --rcfile to hook)."""
    name = Path(shell_path or os.environ.get("SHELL", "")).name.lower()
    if name in ("pwsh", "powershell", "pwsh.exe", "powershell.exe"):
        return "powershell"
    for known in ("zsh", "fish", "bash"):
        if name == known or name.startswith(known + "-") or name.startswith(known + "5"):
            return known
    if exact:
        return "other"
    return "powershell" if sys.platform == "win32" and not name else "bash"


def _ps_quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def format_exports(env: dict[str, str | None], shell: str) -> str:
    lines = []
    for name, value in env.items():
        if shell == "fish":
            lines.append(f"set -e {name};" if value is None else f"set -gx {name} {shlex.quote(value)};")
        elif shell == "powershell":
            lines.append(
                f"Remove-Item Env:{name} -ErrorAction SilentlyContinue"
                if value is None
                else f"$Env:{name} = {_ps_quote(value)}"
            )
        else:
            lines.append(f"unset {name}" if value is None else f"export {name}={shlex.quote(value)}")
    return "\n".join(lines)


def eval_hint(shell: str) -> str:
    return {
        "fish": "ztlab sandbox env --shell fish | source",
        "powershell": "ztlab sandbox env --shell powershell | Invoke-Expression",
    }.get(shell, f'eval "$(ztlab sandbox env --shell {shell})"')


def apply_environment(base: dict[str, str], env: dict[str, str | None]) -> dict[str, str]:
    result = dict(base)
    for name, value in env.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def subshell_command(shell_path: str, shell: str, env: dict[str, str | None], workdir: Path) -> tuple[list[str], dict[str, str]]:
    """The command and extra environment that open `shell_path` with the sandbox variables and a
    prompt marker. The user's own start-up files still run first; our settings are applied after
    them, so a `.bashrc` that exports AWS_PROFILE cannot point the sandbox shell at real AWS."""
    exports = format_exports(env, shell)
    extra: dict[str, str] = {"ZTLAB_SANDBOX_SHELL": "1"}
    if shell == "bash":
        rc = workdir / "bashrc"
        rc.write_text(
            '[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"\n'
            f"{exports}\n"
            f'PS1="{PROMPT_MARKER} ${{PS1-\\$ }}"\n',
            encoding="utf-8",
        )
        return [shell_path, "--rcfile", str(rc), "-i"], extra
    if shell == "zsh":
        original = os.environ.get("ZDOTDIR", os.path.expanduser("~"))
        (workdir / ".zshrc").write_text(
            f'ZDOTDIR={shlex.quote(original)}\n[ -f "$ZDOTDIR/.zshrc" ] && . "$ZDOTDIR/.zshrc"\n'
            f"{exports}\n"
            f'PROMPT="{PROMPT_MARKER} $PROMPT"\n',
            encoding="utf-8",
        )
        extra["ZDOTDIR"] = str(workdir)
        return [shell_path, "-i"], extra
    if shell == "fish":
        init = (
            f"{exports}\n"
            "functions -c fish_prompt __ztlab_user_prompt\n"
            f"function fish_prompt; echo -n '{PROMPT_MARKER} '; __ztlab_user_prompt; end"
        )
        return [shell_path, "--init-command", init], extra
    if shell == "powershell":
        init = f"{exports}\n" + "function prompt { '" + PROMPT_MARKER + " PS ' + $(Get-Location) + '> ' }"
        return [shell_path, "-NoExit", "-Command", init], extra
    extra["PS1"] = f"{PROMPT_MARKER} $ "
    return [shell_path], extra
