"""Monitoring report PDFs (issue 4 §8): requested on a page, rendered by a worker, stored."""
