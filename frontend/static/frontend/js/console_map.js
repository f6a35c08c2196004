// The report console's map (and a permit application's, its site drawn as the "report"):
// the report, the plot and zone under it, МАФ (circles) and advertising (squares) within
// 100 m coloured and dashed by permit state, and the open reports (applications) of the
// same kind nearby, each a link to its console. Everything it shows is
// also written out in the console's text; the map shows where.

const panel = document.getElementById("console-map-panel");
const data = JSON.parse(document.getElementById("console-map-data")?.textContent || "null");
const STATE_COLOURS = { active: "#1a7f37", expiring: "#b35900", expired: "#c62828", none: "#57606a" };
const DASHES = { active: null, expiring: "4 3", expired: "1 3", none: "6 2 1 2" };

// A node, never a string: Leaflet puts a string tooltip in as HTML, and labels are titles
// and addresses that residents and imports wrote.
function tooltip(properties) {
  const parts = [properties.label];
  if (properties.metres !== undefined) {
    parts.push(`${properties.metres} ${panel.dataset.textMetres}`);
  }
  const node = document.createElement("span");
  node.textContent = parts.filter(Boolean).join(", ");
  return node;
}

function styled(feature) {
  const { role, state } = feature.properties;
  if (role === "plot") {
    return { color: "#6e4c13", weight: 2, fillOpacity: 0.05 };
  }
  if (role === "zone") {
    return { color: "#7b3fa0", weight: 2, dashArray: "6 4", fillOpacity: 0.03 };
  }
  if (role === "report") {
    // A permit application's footprint (a report is always a point).
    return { color: "#0b5cad", fillColor: "#0b5cad", weight: 3, fillOpacity: 0.3 };
  }
  const colour = STATE_COLOURS[state] || STATE_COLOURS.none;
  return { color: colour, fillColor: colour, fillOpacity: 0.55, weight: 3, dashArray: DASHES[state] };
}

function point(feature, latlng) {
  const { role, state, label } = feature.properties;
  if (role === "report" || role === "duplicate") {
    const icon = L.divIcon({ className: `console-pin console-pin-${role}`, iconSize: [22, 30], iconAnchor: [11, 30] });
    return L.marker(latlng, { icon, title: label, keyboard: role === "duplicate", zIndexOffset: role === "report" ? 1000 : 0 });
  }
  if (role === "advertising") {
    const icon = L.divIcon({ className: `square-marker state-${state || "none"}`, iconSize: [14, 14] });
    return L.marker(latlng, { icon, title: label, keyboard: false });
  }
  return L.circleMarker(latlng, { ...styled(feature), radius: 7 });
}

window.addEventListener("map:init", (event) => {
  if (!data || event.detail.map.getContainer().id !== "console-map") {
    return;
  }
  const map = event.detail.map;
  const drawn = L.geoJSON(data, {
    style: styled,
    pointToLayer: point,
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(tooltip(feature.properties));
      if (feature.properties.url) {
        layer.on("click keypress", () => window.location.assign(feature.properties.url));
      }
    },
  }).addTo(map);
  const report = data.features.find((feature) => feature.properties.role === "report");
  // The report (or an application's site) and its 100 m around, whatever the plot's or
  // zone's size.
  const centre = L.geoJSON(report).getBounds().getCenter();
  map.fitBounds(centre.toBounds(240));
  drawn.eachLayer((layer) => {
    if (layer.feature.properties.role === "report") {
      layer.openTooltip();
    }
  });
});
