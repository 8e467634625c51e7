"""Access control: principals from API keys and JWTs, the access policy (roles, personal
data), and the audit log. docs/security.md describes what is enforced."""
