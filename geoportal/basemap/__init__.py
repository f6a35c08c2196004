"""The base map the platform serves itself: OpenStreetMap extracts in PostGIS, as tiles."""
