"""ledgercheck: check Party-building ledgers (党建工作台账) against the regulations."""

__version__ = "0.1.0"
