"""Query, mutation and subscription logic: policy, batching, calls into `graph`."""
