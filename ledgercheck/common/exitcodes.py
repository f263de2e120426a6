"""Process exit codes shared by every command."""

OK = 0  # nothing at or above --fail-on
FINDINGS = 1  # findings at or above --fail-on
UNUSABLE_INPUT = 2  # the workbook, rules or configuration could not be used
INTERRUPTED = 130  # stopped by Ctrl-C: the shell's convention (128 + SIGINT)
