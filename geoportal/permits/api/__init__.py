"""The e-permits API under /api/v1/permits/: the pre-check of a site before applying."""
