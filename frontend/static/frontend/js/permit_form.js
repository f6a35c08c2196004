// The permit application form: the site marked on the map (a point, or the corners of a
// footprint; advertising a point only) and its pre-check shown live before sending.
//
// The map writes the site into the form's own field, one "latitude, longitude" a line, so
// the form works from the keyboard and without the map, and keeps the site when the page
// comes back with an error. The pre-check (POST /api/v1/permits/precheck/) runs after each
// change of the site or the area, and on "Check the site"; its answer is drawn with
// textContent only. The form is sent by the browser itself, documents and all.

import { apiHeaders } from "./language.js";
import { retryText } from "./retry.js";

const page = document.getElementById("permit-apply");
const form = document.getElementById("permit-form");
const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
const hromadas = JSON.parse(document.getElementById("permit-hromadas").textContent || "{}");
const siteField = form.elements.namedItem("site");
const hromadaField = form.elements.namedItem("municipality");
const areaField = form.elements.namedItem("area_m2");
const mapStatus = document.getElementById("map-status");
const checkButton = document.getElementById("precheck-run");
const checkStatus = document.getElementById("precheck-status");
const findingsList = document.getElementById("precheck-findings");
const kind = page.dataset.kind;
const text = (name, values = {}) =>
  page.dataset[name].replace(/%\((\w+)\)s/g, (_all, key) => String(values[key] ?? ""));
const LEVEL_TEXT = { pass: "textPass", warning: "textWarning", blocker: "textBlocker" };

let map = null;
let drawn = null;
let boundary = null;
let pending = null;
let asked = 0;

// -- the site as the field holds it --------------------------------------------------------

function corners() {
  return siteField.value
    .split(/[\n;]/)
    .map((line) => line.trim().replace(/,/g, " ").split(/\s+/).map(Number))
    .filter((pair) => pair.length === 2 && pair.every(Number.isFinite));
}

function mode() {
  return form.querySelector("input[name=site_mode]:checked")?.value || "point";
}

function geometry() {
  const points = corners();
  if (points.length === 1) {
    return { type: "Point", coordinates: [points[0][1], points[0][0]] };
  }
  if (points.length >= 3 && kind !== "advertising") {
    const ring = points.map(([lat, lon]) => [lon, lat]);
    return { type: "Polygon", coordinates: [[...ring, ring[0]]] };
  }
  return null;
}

function draw() {
  if (!map) {
    return;
  }
  drawn.clearLayers();
  const points = corners();
  if (points.length === 1) {
    L.marker(points[0], { keyboard: false, title: "📍" }).addTo(drawn);
  } else if (points.length >= 3) {
    L.polygon(points, { color: "#0b5cad", weight: 3, fillOpacity: 0.3 }).addTo(drawn);
  } else if (points.length === 2) {
    L.polyline(points, { color: "#0b5cad", weight: 3 }).addTo(drawn);
  }
  points.forEach((point) => L.circleMarker(point, { radius: 4, color: "#0b5cad" }).addTo(drawn));
}

function mark(lat, lon) {
  const line = `${lat.toFixed(6)}, ${lon.toFixed(6)}`;
  if (mode() === "footprint") {
    const typed = siteField.value.trim();
    siteField.value = typed ? `${typed}\n${line}` : line;
    mapStatus.textContent = text("textCorner", { n: corners().length });
  } else {
    siteField.value = line;
    mapStatus.textContent = text("textPoint", { lat: lat.toFixed(6), lon: lon.toFixed(6) });
  }
  changed();
}

function changed() {
  draw();
  clearTimeout(pending);
  pending = setTimeout(() => {
    if (geometry()) {
      precheck();
    }
  }, 400);
}

// -- the pre-check -------------------------------------------------------------------------

function finding(item) {
  const row = document.createElement("li");
  row.className = `finding finding-${item.level}`;
  row.dataset.code = item.code;
  const level = document.createElement("span");
  level.className = "finding-level";
  level.textContent = text(LEVEL_TEXT[item.level] || "textWarning");
  row.append(level, " ", item.message);
  return row;
}

function problems(body) {
  return Object.values(body || {})
    .flat()
    .filter((message) => typeof message === "string");
}

async function precheck() {
  const site = geometry();
  findingsList.replaceChildren();
  checkStatus.className = "precheck-status";
  if (!site) {
    checkStatus.textContent = text("textNeedSite");
    return;
  }
  const question = ++asked;
  checkStatus.textContent = text("textChecking");
  const body = { kind, municipality: hromadaField.value, site };
  if (areaField && areaField.value && Number(areaField.value) > 0) {
    body.area_m2 = Number(areaField.value);
  }
  let response;
  try {
    response = await fetch(page.dataset.precheckUrl, {
      method: "POST",
      body: JSON.stringify(body),
      headers: apiHeaders({ "Content-Type": "application/json", "X-CSRFToken": csrf }),
    });
  } catch {
    if (question === asked) {
      checkStatus.textContent = text("textFailed");
    }
    return;
  }
  if (question !== asked) {
    return; // a newer question is on its way: its answer is the one to show
  }
  if (response.status === 429) {
    checkStatus.textContent = retryText(page.dataset.textTooMany, response);
    return;
  }
  const answer = await response.json().catch(() => null);
  if (response.status === 400 && answer) {
    checkStatus.classList.add("precheck-blocker");
    checkStatus.textContent = problems(answer).join(" ");
    return;
  }
  if (!response.ok || !answer) {
    checkStatus.textContent = text("textFailed");
    return;
  }
  checkStatus.classList.add(`precheck-${answer.level}`);
  checkStatus.dataset.level = answer.level;
  checkStatus.textContent = text(`textLevel${answer.level[0].toUpperCase()}${answer.level.slice(1)}`);
  findingsList.replaceChildren(...answer.findings.map(finding));
}

// -- the map -------------------------------------------------------------------------------

async function showHromada(fit) {
  const where = hromadas[hromadaField.value];
  if (!map || !where) {
    return;
  }
  if (fit) {
    map.setView([where.lat, where.lon], 14);
  }
  try {
    const response = await fetch(where.boundary, { headers: apiHeaders() });
    const outline = L.geoJSON(await response.json(), {
      style: { color: "#1f5fa8", weight: 2, fillOpacity: 0.03 },
      interactive: false,
    });
    boundary?.remove();
    boundary = outline.addTo(map);
  } catch {
    // The site can still be marked: the boundary is only a guide.
  }
}

window.addEventListener("map:init", (event) => {
  if (event.detail.map.getContainer().id !== "permit-map") {
    return;
  }
  map = event.detail.map;
  drawn = L.featureGroup().addTo(map);
  const container = map.getContainer();
  container.setAttribute("aria-label", page.dataset.textMapLabel);
  map.on("click", (click) => mark(click.latlng.lat, click.latlng.lng));
  container.addEventListener("keydown", (key) => {
    if (key.key === "Enter" && key.target === container) {
      key.preventDefault();
      markCentre();
    }
  });
  draw();
  const points = corners();
  if (points.length) {
    map.setView(drawn.getBounds().getCenter(), 18);
  }
  showHromada(points.length === 0);
  if (geometry()) {
    precheck();
  }
});

function markCentre() {
  if (map) {
    const centre = map.getCenter();
    mark(centre.lat, centre.lng);
  }
}

document.getElementById("site-centre").addEventListener("click", markCentre);
function clearSite() {
  siteField.value = "";
  mapStatus.textContent = text("textCleared");
  findingsList.replaceChildren();
  checkStatus.textContent = "";
  draw();
}

document.getElementById("site-clear").addEventListener("click", clearSite);
// A point and a footprint are marked differently: a new mode starts the site afresh.
form.querySelectorAll("input[name=site_mode]").forEach((radio) => {
  radio.addEventListener("change", () => siteField.value.trim() && clearSite());
});
siteField.addEventListener("input", changed);
areaField?.addEventListener("change", () => geometry() && precheck());
hromadaField.addEventListener("change", () => {
  showHromada(true);
  if (geometry()) {
    precheck();
  }
});
checkButton.hidden = false;
checkButton.addEventListener("click", precheck);

// A site of several corners came back with the page: it is a footprint.
if (corners().length > 1) {
  const footprint = form.querySelector("input[name=site_mode][value=footprint]");
  if (footprint) {
    footprint.checked = true;
  }
}

// -- who applies: a business's name and code only for a business -----------------------------

const business = document.getElementById("business-fields");
function showBusiness() {
  const chosen = form.querySelector("input[name=applicant_kind]:checked")?.value;
  business.hidden = chosen === "person";
}
form.querySelectorAll("input[name=applicant_kind]").forEach((radio) => {
  radio.addEventListener("change", showBusiness);
});
showBusiness();

// After an error the summary is read first.
document.getElementById("form-errors")?.focus();
