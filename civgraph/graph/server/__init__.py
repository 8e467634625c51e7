"""The embedded Neo4j launcher (Maven project beside this file) and its process manager."""
