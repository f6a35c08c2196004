// Small map of the plots offered to investors (the table above lists the same plots).

const panel = document.getElementById("investor-map-panel");

window.addEventListener("map:init", async (event) => {
  const map = event.detail.map;
  const response = await fetch(panel.dataset.plotsUrl);
  if (!response.ok) {
    return;
  }
  const data = await response.json();
  if (!data.features.length) {
    return;
  }
  const layer = L.geoJSON(data, {
    style: { color: "#1a7f37", weight: 2, fillOpacity: 0.2, className: "investor-plot" },
    onEachFeature: (feature, leafletLayer) => {
      const label = document.createElement("span");
      label.textContent = feature.properties.cadastral_number;
      leafletLayer.bindTooltip(label);
    },
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [16, 16] });
});
