"""Every write to funding records (DESIGN.md §3): keyword-only, typed, atomic, attributed to an
actor, raising FundingError with a message in plain German. One module per stage of the grant
lifecycle; views and API endpoints call these and nothing else to change funding data."""
