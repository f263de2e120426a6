"""The user's text files (YAML, TOML, plain text) read with line numbers, and outputs written atomically."""
