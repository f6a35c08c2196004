// The new-alert form's map: a tap sets the point of a radius, or adds a corner of an area.
// Everything the map does is also typed in the form's fields (latitude, longitude, the
// corners one a line), so the form works with the keyboard and without the map.

const page = document.getElementById("alerts-page");
const form = document.getElementById("alert-form");
const hromadas = JSON.parse(document.getElementById("alert-hromadas").textContent || "{}");
const status = document.getElementById("map-status");

const field = (name) => form.elements.namedItem(name);
const chosenArea = () => form.querySelector("input[name=area]:checked")?.value || "hromada";

function corners() {
  return field("polygon")
    .value.split(/[\n;]/)
    .map((line) => line.trim().split(/[\s,]+/).map(Number))
    .filter((pair) => pair.length === 2 && pair.every(Number.isFinite));
}

window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  const layer = L.layerGroup().addTo(map);

  function draw() {
    layer.clearLayers();
    const area = chosenArea();
    const lat = Number(field("lat").value);
    const lon = Number(field("lon").value);
    if (area === "radius" && field("lat").value && field("lon").value) {
      L.circle([lat, lon], { radius: Number(field("radius_m").value) || 0, color: "#1f5fa8" }).addTo(layer);
      L.circleMarker([lat, lon], { radius: 6, color: "#1f5fa8" }).addTo(layer);
    }
    if (area === "polygon") {
      const points = corners();
      if (points.length >= 3) L.polygon(points, { color: "#1f5fa8" }).addTo(layer);
      else if (points.length) L.polyline(points, { color: "#1f5fa8" }).addTo(layer);
      points.forEach((point) => L.circleMarker(point, { radius: 4, color: "#1f5fa8" }).addTo(layer));
    }
  }

  function centre() {
    const where = hromadas[field("municipality").value];
    if (where) map.setView([where.lat, where.lon], 13);
  }

  map.on("click", (e) => {
    const lat = e.latlng.lat.toFixed(6);
    const lon = e.latlng.lng.toFixed(6);
    if (chosenArea() === "polygon") {
      const text = field("polygon").value.trim();
      field("polygon").value = `${text ? `${text}\n` : ""}${lat}, ${lon}`;
      status.textContent = page.dataset.textCorner.replace("%(n)s", String(corners().length));
    } else {
      if (chosenArea() === "hromada") form.querySelector("input[name=area][value=radius]").checked = true;
      field("lat").value = lat;
      field("lon").value = lon;
      status.textContent = page.dataset.textPoint;
    }
    draw();
  });
  document.getElementById("clear-corners").addEventListener("click", () => {
    field("polygon").value = "";
    draw();
  });
  form.addEventListener("input", draw);
  form.addEventListener("change", (e) => {
    if (e.target === field("municipality")) centre();
    draw();
  });
  centre();
  draw();
});
