// Search by cadastral, permit or passport number (or address): list the matches as
// buttons; choosing one zooms to it and opens its card.

import { featureCard, layerName } from "./popups.js";
import { apiHeaders } from "./language.js";

const SEARCHED = ["land", "maf", "advertising", "zoning"];

export function setUpSearch(map, panel) {
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-input");
  const status = document.getElementById("search-status");
  const results = document.getElementById("search-results");

  function show(layer, feature) {
    const shape = L.geoJSON(feature);
    const bounds = shape.getBounds();
    map.fitBounds(bounds, { maxZoom: 18, padding: [24, 24] });
    L.popup({ maxWidth: 380, minWidth: 260 }).setLatLng(bounds.getCenter()).setContent(featureCard(layer, feature.properties)).openOn(map);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    results.replaceChildren();
    if (!text) {
      return;
    }
    const params = new URLSearchParams({ q: text, municipality: panel.dataset.municipality, page_size: "10" });
    const answers = await Promise.all(
      SEARCHED.map(async (layer) => {
        const response = await fetch(`${panel.dataset.layersUrl}${layer}/?${params}`, { headers: apiHeaders() });
        return response.ok ? [layer, (await response.json()).features] : [layer, []];
      }),
    );
    let count = 0;
    for (const [layer, features] of answers) {
      for (const feature of features) {
        count += 1;
        const p = feature.properties;
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = `${layerName(layer)}: ${p.cadastral_number || p.permit_number || p.passport_number || p.code || ""} ${p.address || p.name || ""}`.trim();
        button.addEventListener("click", () => show(layer, feature));
        item.append(button);
        results.append(item);
      }
    }
    status.textContent = count ? panel.dataset.textFound.replace("%(count)s", String(count)) : panel.dataset.textNothingFound;
    if (count === 1) {
      results.querySelector("button").click();
    }
  });
}
