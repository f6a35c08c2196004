"""Realistic synthetic data at any scale, made inside PostGIS (set-based INSERT … SELECT,
as fast as COPY and without shipping rows through Python): plots, structures, zones and
reports with their events. For benchmarks and load tests; never for a real hromada."""
