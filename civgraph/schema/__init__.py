"""The GraphQL schema: strawberry types wrapping what resolvers return."""
