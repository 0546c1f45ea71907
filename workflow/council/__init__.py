"""The city council's own rules and records, by feature; `catalog` puts them together for the engine."""
