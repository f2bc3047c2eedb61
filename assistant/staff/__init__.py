"""The staff console's logic: accounts and tokens, history queries, statistics, charts, exports."""
