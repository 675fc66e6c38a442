"""REST API of the monitoring (issue 4 §9): indicators, Sozialräume, observations, need indices."""
