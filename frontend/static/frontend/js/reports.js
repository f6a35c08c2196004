// Residents' reports on the public map: counted per cell by the server when many are in
// view, single markers coloured by state when few. Popups are built with textContent.

import { bboxOf } from "./bbox.js";
import { apiHeaders, pageLanguage } from "./language.js";

const labels = JSON.parse(document.getElementById("report-labels").textContent);
// The list beside (or, on a phone, below) the map: the newest reports in view, for keyboards
// and screen readers; markers are not the only way to a report.
const LIST_LENGTH = 20;
export const STATE_COLOURS = {
  new: "#57606a",
  routed: "#1f5fa8",
  returned: "#8250df",
  in_progress: "#b35900",
  planned: "#7d5a00",
  resolved: "#1a7f37",
  not_resolved: "#c62828",
  rejected: "#6e7781",
  duplicate: "#6e7781",
  out_of_competence: "#424a53",
};

function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_all, key) => String(values[key] ?? ""));
}

function popup(item, panel) {
  const card = document.createElement("div");
  card.className = "feature-card report-card";
  const heading = document.createElement("h2");
  heading.className = "feature-card-title";
  heading.textContent = `#${item.id} ${item.title}`;
  const facts = document.createElement("p");
  facts.textContent = `${labels.states[item.state] || item.state} · ${labels.categories[item.category] || item.category}`;
  const link = document.createElement("a");
  link.href = panel.dataset.reportUrlTemplate.replace("/0/", `/${item.id}/`);
  link.textContent = panel.dataset.textOpenReport;
  card.append(heading, facts, link);
  return card;
}

function clusterMarker(item, map, panel) {
  const badge = document.createElement("span");
  badge.textContent = item.count > 999 ? `${Math.round(item.count / 1000)}k` : String(item.count);
  const size = Math.min(56, 24 + Math.round(Math.log10(item.count + 1) * 10));
  const marker = L.marker([item.lat, item.lon], {
    icon: L.divIcon({ html: badge, className: `report-cluster state-${item.state}`, iconSize: [size, size] }),
    title: fill(panel.dataset.textCluster, { count: item.count }),
    alt: fill(panel.dataset.textCluster, { count: item.count }),
    keyboard: true,
  });
  marker.on("click", () => map.setView([item.lat, item.lon], Math.min(map.getZoom() + 2, 19)));
  return marker;
}

// A report is a pin (a teardrop pointing at its place), in the report states' palette: never
// a circle or a square, which are the permits' shapes (МАФ and advertising structures).
function reportMarker(item, panel) {
  // Leaflet moves a marker by its transform: the pin turns inside it.
  const pin = document.createElement("span");
  pin.className = `report-pin state-${item.state}`;
  const marker = L.marker([item.lat, item.lon], {
    icon: L.divIcon({ html: pin, className: `report-marker state-${item.state}`, iconSize: [22, 22], iconAnchor: [11, 26], popupAnchor: [0, -24] }),
    title: item.title,
    alt: `${item.title} (${labels.states[item.state] || item.state})`,
    keyboard: true,
  });
  marker.bindPopup(() => popup(item, panel), { maxWidth: 320 });
  return marker;
}

function dateOf(iso) {
  return new Date(iso).toLocaleDateString(pageLanguage === "uk" ? "uk-UA" : "en-GB", {
    day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Kyiv",
  });
}

// One report of the list: a link to it (title, category, state, date) and a button that
// shows it on the map and moves the focus into its card there.
function listItem(feature, map, panel) {
  const item = feature.properties;
  const [lon, lat] = feature.geometry.coordinates;
  const entry = document.createElement("li");
  entry.className = "report-list-item";
  entry.dataset.reportId = String(feature.id ?? item.id);
  const shape = document.createElement("span");
  shape.className = `report-pin state-${item.state}`;
  shape.setAttribute("aria-hidden", "true");
  const link = document.createElement("a");
  link.href = item.url || panel.dataset.reportUrlTemplate.replace("/0/", `/${feature.id ?? item.id}/`);
  link.textContent = `#${feature.id ?? item.id} ${item.title}`;
  const facts = document.createElement("span");
  facts.className = "report-list-facts";
  facts.textContent = `${item.category_name} · ${item.state_label} · ${fill(panel.dataset.textSubmitted, { date: dateOf(item.created_at) })}`;
  const show = document.createElement("button");
  show.type = "button";
  show.className = "show-on-map";
  show.textContent = panel.dataset.textShowOnMap;
  link.id = `report-list-${feature.id ?? item.id}`;
  show.setAttribute("aria-describedby", link.id);
  show.addEventListener("click", () => {
    map.setView([lat, lon], Math.max(map.getZoom(), 17));
    const card = popup({ id: feature.id ?? item.id, title: item.title, state: item.state, category: item.category }, panel);
    L.popup({ maxWidth: 320 }).setLatLng([lat, lon]).setContent(card).openOn(map);
    card.querySelector("a")?.focus();
  });
  const text = document.createElement("span");
  text.className = "report-list-text";
  text.append(link, facts);
  entry.append(shape, text, show);
  return entry;
}

function setUpList(map, panel, form) {
  const list = document.getElementById("report-list");
  const count = document.getElementById("report-list-count");
  if (!list) {
    return () => {};
  }
  let controller = null;
  return async function refreshList(filters) {
    controller?.abort();
    if (!filters.get("show")) {
      list.replaceChildren();
      count.textContent = "";
      return;
    }
    controller = new AbortController();
    const params = new URLSearchParams({
      municipality: panel.dataset.municipality,
      in_bbox: bboxOf(map),
      page_size: String(LIST_LENGTH),
    });
    for (const name of ["category", "department", "created_after", "created_before"]) {
      if (filters.get(name)) {
        params.set(name, filters.get(name));
      }
    }
    const states = filters.get("state") ? [filters.get("state")] : filters.get("hide_closed") ? labels.open_map_states : labels.map_states;
    params.set("state", states.join(","));
    try {
      const response = await fetch(`${panel.dataset.reportListUrl}?${params}`, { signal: controller.signal, headers: apiHeaders() });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const data = await response.json();
      // The list is redrawn after every move of the map: whoever had the focus on one of
      // its reports keeps it there (a keyboard user's Enter is not lost to the redraw).
      const focused = list.contains(document.activeElement) ? document.activeElement : null;
      const focusedId = focused?.closest("li")?.dataset.reportId;
      const focusedPart = focused?.classList.contains("show-on-map") ? ".show-on-map" : "a";
      list.replaceChildren(...data.features.map((feature) => listItem(feature, map, panel)));
      if (focusedId) {
        list.querySelector(`li[data-report-id="${CSS.escape(focusedId)}"] ${focusedPart}`)?.focus();
      }
      if (!data.count) {
        count.textContent = panel.dataset.textListNone;
      } else if (data.count > data.features.length) {
        count.textContent = fill(panel.dataset.textListSome, { shown: data.features.length, count: data.count });
      } else {
        count.textContent = fill(panel.dataset.textReportsCount, { count: data.count });
      }
      panel.dataset.reportsListed = String(data.features.length);
    } catch (error) {
      if (error.name !== "AbortError") {
        count.textContent = panel.dataset.textReportsFailed;
      }
    }
  };
}

export function setUpReports(map, panel, say) {
  const form = document.getElementById("report-filters");
  const count = document.getElementById("reports-count");
  const group = L.layerGroup().addTo(map);
  const refreshList = setUpList(map, panel, form);
  let controller = null;
  let timer = null;

  async function refresh() {
    const filters = new FormData(form);
    refreshList(filters);
    if (!filters.get("show")) {
      group.clearLayers();
      count.textContent = "";
      return;
    }
    controller?.abort();
    controller = new AbortController();
    const params = new URLSearchParams({
      municipality: panel.dataset.municipality,
      bbox: bboxOf(map),
      zoom: String(map.getZoom()),
    });
    for (const name of ["category", "state", "department", "created_after", "created_before"]) {
      if (filters.get(name)) {
        params.set(name, filters.get(name));
      }
    }
    if (filters.get("hide_closed")) {
      params.set("hide_closed", "true");
    }
    try {
      const response = await fetch(`${panel.dataset.reportsMapUrl}?${params}`, { signal: controller.signal });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const data = await response.json();
      group.clearLayers();
      for (const item of data.items) {
        group.addLayer(item.kind === "cluster" ? clusterMarker(item, map, panel) : reportMarker(item, panel));
      }
      count.textContent = fill(panel.dataset.textReportsCount, { count: data.total });
      panel.dataset.reportsDrawn = String(data.total);
    } catch (error) {
      if (error.name !== "AbortError") {
        say(panel.dataset.textReportsFailed);
      }
    }
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  }
  map.on("moveend", soon);
  form.addEventListener("change", soon);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    soon();
  });
  refresh();
}
