"""Settings in three layers: built-in defaults < the configuration file < command-line flags.

The file is `.ledgercheck.yaml` (or `.ledgercheck.yml`, or `[tool.ledgercheck]` in pyproject.toml), found
by walking up from the working directory to the repository root (a folder with .git) or the file system
root, or given with `--config`. Paths in the file are relative to the file. Every command resolves its
settings here, so `audit` and later `scan` read the same keys the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledgercheck.common.errors import ConfigError
from ledgercheck.common.i18n import Front, Lang, Text
from ledgercheck.common.limits import Limits, from_options, with_values
from ledgercheck.common.location import Location
from ledgercheck.common.spec import Field, Spec, field_validator, fields_of
from ledgercheck.fileio.yamldoc import YamlDocument, load_yaml, parse_model
from ledgercheck.review.policy import FailOn, FailPolicy
from ledgercheck.rulebook.selection import Pattern

if TYPE_CHECKING:  # the rule pack is loaded lazily, to keep `--help` fast
    from ledgercheck.rulebook.loader import Rulebook

CONFIG_FILES = (".ledgercheck.yaml", ".ledgercheck.yml")
PYPROJECT = "pyproject.toml"
PYPROJECT_TABLE = ("tool", "ledgercheck")


class ConfigFile(Spec):
    """The keys of a configuration file. Names are written with dashes, like the command-line flags (a Spec:
    validated when a file is read)."""

    rules: str | None = None  # built-in pack name or pack folder
    as_of: dt.date | None = Field(default=None, key="as-of")
    since: dt.date | None = None
    fail_on: FailOn | None = Field(default=None, key="fail-on")
    fail_on_new: bool | None = Field(default=None, key="fail-on-new")
    lang: Lang | None = None
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    overrides: dict[str, dict[str, Any]] = Field(default_factory=dict)  # rule id → changes, merged like a pack's
    aliases: list[str] = Field(default_factory=list)  # extra alias tables (YAML)
    waivers: str | None = None  # the waiver file
    limits: dict[str, int | str] = Field(default_factory=dict)  # max-rows, max-cells, … (ledgercheck/limits.py)
    show_pii: bool | None = Field(default=None, key="show-pii")  # print ID and phone numbers in full
    org: str | None = None  # the organization of sheets without an organization column (ID or name)

    @field_validator("select", "ignore", "aliases", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


KNOWN_KEYS = tuple(item.alias or name for name, item in fields_of(ConfigFile).items())


@dataclass(frozen=True)
class CliOptions:
    """What the command line said; None (or empty) where a flag was not given."""

    config: Path | None = None
    no_config: bool = False
    rules: str | None = None
    as_of: dt.date | None = None
    since: dt.date | None = None
    fail_on: FailOn | None = None
    fail_on_new: bool | None = None
    lang: Lang | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    aliases: tuple[Path, ...] = ()
    waivers: Path | None = None
    limits: tuple[str, ...] = ()  # --limit NAME=VALUE
    show_pii: bool | None = None
    org: str | None = None


@dataclass(frozen=True)
class Settings:
    """Resolved settings: what a command runs with."""

    rules: str = "national"
    as_of: dt.date | None = None
    since: dt.date | None = None
    fail_on: FailOn = "error"
    fail_on_new: bool = False
    lang: Lang = "zh"
    select: tuple[Pattern, ...] = ()
    ignore: tuple[Pattern, ...] = ()
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: tuple[Path, ...] = ()
    waivers: Path | None = None
    limits: Limits = Limits()
    show_pii: bool = False  # ID and phone numbers in full instead of masked
    org: str | None = None  # the organization of sheets without an organization column (--org)
    config_file: str | None = None  # as displayed in messages
    config_doc: YamlDocument | None = None  # for override errors with file:line

    @property
    def policy(self) -> FailPolicy:
        return FailPolicy(self.fail_on, self.fail_on_new)

    def pinned(self, day: dt.date) -> Settings:
        """The same settings with the audit date fixed (for workers that must all judge as of one day)."""
        return dataclasses.replace(self, as_of=day)

    def rulebook(self) -> Rulebook:
        """The rule pack with the configuration's overrides applied, then select/ignore."""
        from ledgercheck.rulebook.loader import apply_overrides, load_rulebook
        from ledgercheck.rulebook.selection import apply_selection

        book = load_rulebook(self.rules)
        if self.overrides and self.config_doc is not None:
            apply_overrides(book, self.overrides, self.config_doc, "config", ("overrides",), ConfigError)
        return apply_selection(book, self.select, self.ignore)


def _display(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def find_config(start: Path) -> Path | None:
    """The nearest configuration file from `start` upwards, stopping at the repository root."""
    for folder in (start.resolve(), *start.resolve().parents):
        for name in CONFIG_FILES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and "tool.ledgercheck" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return pyproject
        if (folder / ".git").exists():
            return None
    return None


def _check_keys(doc: YamlDocument) -> None:
    """Unknown keys, with a suggestion: pydantic would only say 'extra inputs are not permitted'."""
    if not isinstance(doc.data, dict):
        raise ConfigError(Text("配置文件应为「键: 值」的映射", "the configuration must be a mapping of keys to values"),
                          doc.location())
    for key in doc.data:
        if key in KNOWN_KEYS:
            continue
        import difflib

        guess = difflib.get_close_matches(str(key).replace("_", "-"), KNOWN_KEYS, n=1)
        hint = Text(f"，是否应为「{guess[0]}」？", f"; did you mean {guess[0]!r}?") if guess else Text("", "")
        known = ", ".join(KNOWN_KEYS)
        raise ConfigError(Text(f"不认识的配置项「{key}」{hint.zh}（可用：{known}）",
                               f"unknown key {key!r}{hint.en} (known keys: {known})"), doc.location((key,)))


def load_config(path: Path, display: str | None = None) -> tuple[ConfigFile, YamlDocument]:
    display = display or str(path)
    if path.name == PYPROJECT:
        from ledgercheck.fileio.tomldoc import load_toml_table

        doc = load_toml_table(path, PYPROJECT_TABLE, ConfigError, display)
        if doc is None:
            raise ConfigError(Text("pyproject.toml 中没有 [tool.ledgercheck] 表",
                                   "pyproject.toml has no [tool.ledgercheck] table"), Location(display))
    else:
        if not path.is_file():
            raise ConfigError(Text("找不到配置文件", "configuration file not found"), Location(display))
        doc = load_yaml(path, display, ConfigError)
        if doc.data is None:
            return ConfigFile(), doc
    _check_keys(doc)
    return parse_model(doc, ConfigFile, ConfigError), doc


def _patterns(texts: list[str] | tuple[str, ...], doc: YamlDocument | None, key: str) -> tuple[Pattern, ...]:
    """Patterns from the file (with their lines) or from flags (comma-separated lists allowed)."""
    patterns: list[Pattern] = []
    for index, text in enumerate(texts):
        where = doc.location((key, index)) if doc is not None else None
        patterns.extend(Pattern(part.strip(), where) for part in str(text).split(",") if part.strip())
    return tuple(patterns)


def _relative(base: Path, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else base / path


def _rules_reference(value: str, base: Path) -> str:
    """A pack folder in the file is relative to the file; a built-in name stays a name."""
    candidate = _relative(base, value)
    looks_like_path = "/" in value or "\\" in value or value.startswith(".")
    return str(candidate) if looks_like_path or (candidate / "pack.yaml").is_file() else value


LATEST_AS_OF = dt.timedelta(days=366)  # an audit date at most a year ahead (a quarter's end planned for is fine)
EARLIEST_SINCE = dt.date(1921, 7, 1)  # no Party ledger records anything before the Party was founded


def window_problem(as_of: dt.date | None, since: dt.date | None, today: dt.date | None = None,
                   front: Front = "cli") -> Text | None:
    """What is wrong with an audit's dates, if anything (the command line and the web page alike): a window that
    starts after it ends (the two swapped), an audit date far ahead (a mistyped year: 2126 took 9 s and thousands of
    findings, 9999 overflowed the reminders), a start before any ledger could begin."""
    today = today or dt.date.today()
    end = as_of or today
    if as_of is not None and as_of > today + LATEST_AS_OF:
        return Text(f"截止日期 {as_of.isoformat()} 在一年以后，不合理：请检查年份",
                    f"the audit date {as_of.isoformat()} is more than a year ahead: check the year")
    if since is not None and since > end:
        named = f"--since {since.isoformat()}" if front == "cli" else since.isoformat()  # the page's field is named
        return Text(f"审计期间的起始日期（{named}）晚于截止日期（{end.isoformat()}）：请检查这两个日期",
                    f"the window starts ({named}) after the audit date ({end.isoformat()}): check the two dates")
    if since is not None and since < EARLIEST_SINCE:
        return Text(f"审计期间的起始日期 {since.isoformat()} 早于1921年7月1日，不合理：请检查年份",
                    f"the window starts on {since.isoformat()}, before 1 July 1921: check the year")
    return None


def resolve(cli: CliOptions, cwd: Path | None = None) -> Settings:
    """Defaults < configuration file < command line."""
    cwd = cwd or Path.cwd()
    path = None if cli.no_config else (cli.config or find_config(cwd))
    file, doc, display = ConfigFile(), None, None  # the defaults: nothing to validate
    if path is not None:
        display = _display(path, cwd) if cli.config is None else str(cli.config)
        file, doc = load_config(path, display)
    base = path.resolve().parent if path is not None else cwd
    defaults = Settings()

    def pick(flag: Any, configured: Any, default: Any) -> Any:
        return flag if flag is not None else configured if configured is not None else default

    as_of, since = pick(cli.as_of, file.as_of, None), pick(cli.since, file.since, None)
    problem = window_problem(as_of, since)
    if problem is not None:
        from ledgercheck.common.errors import UsageError

        raise UsageError(problem)
    return Settings(
        rules=cli.rules or (_rules_reference(file.rules, base) if file.rules else defaults.rules),
        as_of=as_of,
        since=since,
        fail_on=pick(cli.fail_on, file.fail_on, defaults.fail_on),
        fail_on_new=pick(cli.fail_on_new, file.fail_on_new, defaults.fail_on_new),
        lang=pick(cli.lang, file.lang, defaults.lang),
        # Flags add to the file's lists: `--ignore X` on top of a configured selection.
        select=_patterns(file.select, doc, "select") + _patterns(cli.select, None, "select"),
        ignore=_patterns(file.ignore, doc, "ignore") + _patterns(cli.ignore, None, "ignore"),
        overrides=dict(file.overrides),
        aliases=tuple(_relative(base, a) for a in file.aliases) + tuple(cli.aliases),
        waivers=cli.waivers or (_relative(base, file.waivers) if file.waivers else None),
        limits=from_options(with_values(Limits(), file.limits,
                                        lambda name: doc.location(("limits", name)) if doc else None),
                            cli.limits),
        show_pii=pick(cli.show_pii, file.show_pii, defaults.show_pii),
        org=pick(cli.org, file.org, None),
        config_file=display,
        config_doc=doc,
    )
