// The four GIS layers on the city map: plots and zones from vector tiles, МАФ and
// advertising structures from the GeoJSON API for the visible area; and the permit
// applications under review (permits.js).

import { bboxOf } from "./bbox.js";
import { permitLayer } from "./permits.js";
import { featureCard, messageCard } from "./popups.js";
import { apiHeaders } from "./language.js";

const STATE_COLOURS = { active: "#1a7f37", expiring: "#b35900", expired: "#c62828", none: "#57606a" };
const STRUCTURE_MIN_ZOOM = 13;
const LAND_MIN_ZOOM = 14;

function structureStyle(layer, properties) {
  const colour = STATE_COLOURS[properties.permit_state] || STATE_COLOURS.none;
  // Dashes tell the states apart without colour too.
  const dash = { active: null, expiring: "4 3", expired: "1 3", none: "6 2 1 2" }[properties.permit_state];
  return { color: colour, fillColor: colour, fillOpacity: 0.55, weight: 3, dashArray: dash };
}

// МАФ are circles, advertising structures squares: Leaflet markers, so each one is reached
// with Tab and opened with Enter, not only by a mouse.
function structureMarker(latlng, className, style) {
  const icon = L.divIcon({
    className: `${className} state-${style.state}`,
    iconSize: [16, 16],
  });
  return L.marker(latlng, { icon, keyboard: true, title: style.title, alt: style.title });
}

function structureLayer(layer, map, panel, say) {
  const group = L.geoJSON(null, {
    style: (feature) => structureStyle(layer, feature.properties),
    pointToLayer: (feature, latlng) => {
      const title = feature.properties.passport_number || feature.properties.permit_number || feature.properties.address || "";
      const state = feature.properties.permit_state || "none";
      return structureMarker(latlng, layer === "advertising" ? "square-marker" : "maf-marker round-marker", { state, title });
    },
    onEachFeature: (feature, leafletLayer) => {
      leafletLayer.feature = feature;
      leafletLayer.bindPopup(() => featureCard(layer, feature.properties), { maxWidth: 380, minWidth: 260 });
    },
  });
  let controller = null;
  let timer = null;

  async function refresh() {
    if (!map.hasLayer(group)) {
      return;
    }
    if (map.getZoom() < STRUCTURE_MIN_ZOOM) {
      group.clearLayers();
      return;
    }
    controller?.abort();
    controller = new AbortController();
    const params = new URLSearchParams({
      municipality: panel.dataset.municipality,
      in_bbox: bboxOf(map),
      page_size: "1000",
    });
    try {
      const response = await fetch(`${panel.dataset.layersUrl}${layer}/?${params}`, { signal: controller.signal, headers: apiHeaders() });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const data = await response.json();
      group.clearLayers();
      group.addData(data);
    } catch (error) {
      if (error.name !== "AbortError") {
        say(panel.dataset.textLayerFailed);
      }
    }
  }

  map.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  group.on("add", refresh);
  return group;
}

function tileLayer(layer, panel, onClick) {
  const styles = {
    land: (properties) => ({
      weight: 1.5,
      color: ["free", "auction"].includes(properties.investor_status) ? "#1a7f37" : "#6e4c13",
      fill: true,
      fillOpacity: 0.08,
    }),
    zoning: () => ({ weight: 2, color: "#7b3fa0", dashArray: "6 4", fill: true, fillOpacity: 0.05 }),
  };
  const grid = L.vectorGrid.protobuf(`${panel.dataset.tilesUrl}${layer}/{z}/{x}/{y}.mvt?municipality=${panel.dataset.municipality}`, {
    rendererFactory: L.svg.tile,
    vectorTileLayerStyles: { [layer]: styles[layer] },
    interactive: true,
    maxNativeZoom: 18,
    // A city's plots are sub-pixel noise below zoom 14, and the heaviest tiles to make.
    minZoom: layer === "land" ? LAND_MIN_ZOOM : 10,
    getFeatureId: (feature) => feature.properties.id,
  });
  grid.on("click", (event) => onClick(event.latlng));
  return grid;
}

// Builds the layers, wires the checkboxes (outside the map, for keyboards and screen
// readers) and Leaflet's own switcher; returns the layer objects by name.
export function setUpLayers(map, panel, say) {
  async function identify(latlng) {
    const params = new URLSearchParams({ lat: latlng.lat.toFixed(7), lon: latlng.lng.toFixed(7), municipality: panel.dataset.municipality });
    const response = await fetch(`${panel.dataset.identifyUrl}?${params}`, { headers: apiHeaders() });
    if (!response.ok) {
      return;
    }
    const found = await response.json();
    const content = document.createElement("div");
    if (found.plot) {
      content.append(featureCard("land", found.plot));
    }
    if (found.zone) {
      content.append(featureCard("zoning", found.zone));
    }
    for (const maf of found.maf) {
      content.append(featureCard("maf", maf, [[panel.dataset.textDistance, "distance_m"]]));
    }
    for (const ad of found.advertising) {
      content.append(featureCard("advertising", ad, [[panel.dataset.textDistance, "distance_m"]]));
    }
    if (!content.childElementCount) {
      content.append(messageCard(panel.dataset.textNothingHere));
    }
    L.popup({ maxHeight: 360, maxWidth: 380, minWidth: 260 }).setLatLng(latlng).setContent(content).openOn(map);
  }

  const layers = {
    land: tileLayer("land", panel, identify),
    zoning: tileLayer("zoning", panel, identify),
    maf: structureLayer("maf", map, panel, say),
    advertising: structureLayer("advertising", map, panel, say),
    permits: permitLayer(map, panel, say),
  };
  const switcher = document.getElementById("layer-switcher");
  const overlays = {};
  for (const box of switcher.querySelectorAll("input[name=layer]")) {
    const layer = layers[box.value];
    overlays[box.parentElement.textContent.trim()] = layer;
    if (box.checked) {
      layer.addTo(map);
    }
    box.addEventListener("change", () => (box.checked ? layer.addTo(map) : map.removeLayer(layer)));
    map.on("overlayadd overlayremove", (event) => {
      if (event.layer === layer) {
        box.checked = event.type === "overlayadd";
      }
    });
  }
  L.control.layers(null, overlays, { collapsed: true }).addTo(map);

  const hint = document.getElementById("zoom-hint");
  const updateHint = () => {
    hint.hidden = map.getZoom() >= STRUCTURE_MIN_ZOOM;
  };
  map.on("zoomend", updateHint);
  updateHint();
  map.on("contextmenu", (event) => identify(event.latlng));
  // By keyboard: the arrows move the map, + and − zoom, Enter on the map tells what lies at
  // its centre (the plot, the zone, structures nearby), as a tap there would.
  map.getContainer().addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target === map.getContainer()) {
      event.preventDefault();
      identify(map.getCenter());
    }
  });
  return { layers, identify };
}
