"""The engine: each rule's check kind applied to the organizations it governs; the ledger in, findings out."""
