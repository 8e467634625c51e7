"""The first load of a province into an empty database (`civgraph load --initial`)."""
