"""Elasticsearch side of depeche: index design, the bulk indexer stage, and search queries."""
