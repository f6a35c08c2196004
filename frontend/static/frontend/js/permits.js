// Permit applications under review on the public map: a diamond at each site (and its
// outline when the site is an area), reached with Tab and opened with Enter like the МАФ
// markers. The popup names the number, kind, address and holder (a natural person is not
// named), built from DOM nodes and textContent only.

import { apiHeaders } from "./language.js";

const labels = JSON.parse(document.getElementById("permit-labels").textContent);
const OUTLINE = { color: "#8250df", weight: 2, dashArray: "4 3", fillColor: "#8250df", fillOpacity: 0.12 };

function holderOf(properties) {
  return properties.holder_kind === "business" && properties.holder ? properties.holder : labels.person;
}

function card(properties, panel) {
  const card = document.createElement("div");
  card.className = "feature-card permit-card";
  const heading = document.createElement("h2");
  heading.className = "feature-card-title";
  heading.textContent = labels.title;
  const list = document.createElement("dl");
  const rows = [
    [labels.fields.number, properties.number],
    [labels.fields.kind, labels.kinds[properties.kind] || properties.kind],
    [labels.fields.address, properties.address],
    [labels.fields.holder, holderOf(properties)],
    [labels.fields.state, labels.states[properties.state] || properties.state],
  ];
  for (const [label, value] of rows) {
    if (!value) {
      continue;
    }
    const term = document.createElement("dt");
    term.textContent = label;
    const detail = document.createElement("dd");
    detail.textContent = value;
    list.append(term, detail);
  }
  const link = document.createElement("a");
  link.href = `${panel.dataset.permitRegisterUrl}?municipality=${encodeURIComponent(properties.municipality)}`;
  link.textContent = labels.register;
  card.append(heading, list, link);
  return card;
}

function marker(latlng, properties, panel) {
  const title = `${properties.number} · ${labels.kinds[properties.kind] || properties.kind}`;
  // Leaflet places a marker by the transform of its icon: the diamond turns inside it.
  const diamond = document.createElement("span");
  diamond.className = "permit-diamond";
  const icon = L.divIcon({ html: diamond, className: "permit-marker", iconSize: [20, 20] });
  const found = L.marker(latlng, { icon, keyboard: true, title, alt: title });
  found.bindPopup(() => card(properties, panel), { maxWidth: 380, minWidth: 240 });
  return found;
}

// The layer of the hromada's applications under review (a few tens: loaded once, when the
// layer is first shown).
export function permitLayer(map, panel, say) {
  const group = L.layerGroup();
  let loaded = false;

  async function load() {
    if (loaded) {
      return;
    }
    loaded = true;
    try {
      const params = new URLSearchParams({ municipality: panel.dataset.municipality });
      const response = await fetch(`${panel.dataset.permitsUrl}?${params}`, { headers: apiHeaders() });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const data = await response.json();
      for (const feature of data.features) {
        let latlng;
        if (feature.geometry.type === "Point") {
          latlng = L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
        } else {
          const outline = L.geoJSON(feature, { style: OUTLINE, interactive: false });
          group.addLayer(outline);
          latlng = outline.getBounds().getCenter();
        }
        group.addLayer(marker(latlng, feature.properties, panel));
      }
      panel.dataset.permitsLoaded = String(data.features.length);
    } catch (error) {
      loaded = false;
      say(panel.dataset.textPermitsFailed);
    }
  }

  group.on("add", load);
  return group;
}
