"""The victims' register of fund-raising crime cases: its records, the summary of its public
aggregates, the private status check and the per-case figures (the notices are content)."""
