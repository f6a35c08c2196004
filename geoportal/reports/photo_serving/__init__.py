"""Report photos served only through a check of who asks (access.py, responses.py)."""
