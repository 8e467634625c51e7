"""Registry readers, validation and batch loading into the graph; the demo dataset."""
