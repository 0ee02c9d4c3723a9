"""The inspection pages: thin views over the selectors (reads) and the services (writes)."""
