// The coordinator's heat map: reports counted per area by the server, drawn as circles
// whose size and darkness grow with the count.

import { bboxOf } from "./bbox.js";

const panel = document.getElementById("heatmap-panel");

async function draw(map) {
  const boundary = await fetch(panel.dataset.boundaryUrl).then((r) => r.json());
  const outline = L.geoJSON(boundary, { style: { color: "#1f5fa8", weight: 2, fillOpacity: 0 }, interactive: false }).addTo(map);
  map.fitBounds(outline.getBounds());
  const params = new URLSearchParams({
    municipality: boundary.id || "",
    bbox: bboxOf(map),
    zoom: String(map.getZoom() + 3),
  });
  const data = await fetch(`${panel.dataset.mapUrl}?${params}`).then((r) => r.json());
  // Scaled against at least 10, so a handful of single reports are small, light dots.
  const top = Math.max(10, ...data.items.map((item) => item.count));
  for (const item of data.items) {
    const share = item.count / top;
    L.circleMarker([item.lat, item.lon], {
      radius: 5 + 25 * Math.sqrt(share),
      stroke: false,
      fillColor: "#c62828",
      fillOpacity: 0.25 + 0.55 * share,
      className: "heat-cell",
    })
      .bindTooltip(document.createTextNode(`${item.count} ${panel.dataset.textCount}`))
      .addTo(map);
  }
  panel.dataset.cells = String(data.items.length);
}

window.addEventListener("map:init", (event) => {
  draw(event.detail.map).catch(() => {
    panel.dataset.cells = "error";
  });
});
