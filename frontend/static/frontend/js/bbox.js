// The map's visible box as the APIs take it: "west,south,east,north" in degrees,
// clamped to the world (Leaflet's bounds run past ±180° when the map is zoomed out).

export function bboxOf(map) {
  const bounds = map.getBounds();
  return [
    Math.max(bounds.getWest(), -180),
    Math.max(bounds.getSouth(), -90),
    Math.min(bounds.getEast(), 180),
    Math.min(bounds.getNorth(), 90),
  ]
    .map((n) => n.toFixed(6))
    .join(",");
}
