// City map: the municipality boundary, the GIS layers and the search on the django-leaflet
// map. Texts come translated from data-* attributes; nothing is built as HTML from data.

import { disclosure } from "./disclosure.js";
import { setUpLayers } from "./layers.js";
import { setUpReports } from "./reports.js";
import { setUpSearch } from "./search.js";

const panel = document.getElementById("city-map-panel");
const status = document.getElementById("map-status");

const said = new Set();

// Adds one line to the polite live region; each message is shown once.
function say(message) {
  if (!message || said.has(message)) {
    return;
  }
  said.add(message);
  const line = document.createElement("span");
  line.className = "map-status-line";
  line.textContent = message;
  status.append(line);
}

// basemap.js shows a notice on the map when no base map loads; the live region says it too.
function watchBaseTiles(map) {
  map.once("basemap:unavailable", () => say(panel.dataset.textTilesDown));
}

async function drawBoundary(map) {
  const response = await fetch(panel.dataset.boundaryUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`boundary request failed: ${response.status}`);
  }
  const feature = await response.json();
  const layer = L.geoJSON(feature, {
    style: { color: "#1f5fa8", weight: 3, fill: true, fillOpacity: 0.05, className: "municipality-boundary" },
    interactive: false,
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [16, 16] });
  panel.dataset.boundaryDrawn = "true";
  if (feature.properties.boundary_is_approximate) {
    say(panel.dataset.textApproximate);
  }
}

// On a phone the search, filters, layers and legends are a sheet over the map, opened by
// the button above it; on a wide screen they are a side panel and the button is hidden.
function setUpSidePanel(map) {
  const button = document.getElementById("map-side-button");
  const side = document.getElementById("map-side");
  const sheet = disclosure(button, side, {
    focusOnOpen: () => document.getElementById("map-side-title"),
    onToggle: () => map?.invalidateSize(),
  });
  document.getElementById("map-side-close").addEventListener("click", () => sheet.close());
}

window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  setUpSidePanel(map);
  map.getContainer().setAttribute("aria-label", panel.dataset.textBoundary);
  watchBaseTiles(map);
  if (L.control.locate) {
    L.control.locate({ strings: { title: panel.dataset.textLocate }, flyTo: true }).addTo(map);
  }
  drawBoundary(map)
    .catch(() => say(panel.dataset.textLoadFailed))
    .finally(() => setUpReports(map, panel, say));
  setUpLayers(map, panel, say);
  setUpSearch(map, panel);
});
