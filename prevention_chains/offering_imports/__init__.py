"""Bulk import of offerings from CSV or XLSX: columns (the file's layout, shared with the
export), reading (the table in a file), checking (what a row means), loading (the atomic
write) and services (the user's actions: upload, import, discard)."""
