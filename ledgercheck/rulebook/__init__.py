"""Rule packs: the YAML schema, loading with extends/overrides, and rule selection."""
