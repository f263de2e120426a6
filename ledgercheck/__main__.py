"""`python -m ledgercheck` runs the command-line interface."""

from ledgercheck.cli import main

main()
