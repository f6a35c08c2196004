// The resident's journey: place the pin (map, device location, typed address or
// coordinates), see open reports of the same kind nearby and support one instead, describe,
// add photos, leave contact details, send. Every refusal is shown next to its field and the
// form keeps what was typed; a retried send carries the same Idempotency-Key. A rate
// limit's refusal says when to try again, in the page's language.
//
// Photos go up once, with the report: the browser reads their GPS and downsizes them as
// soon as they are chosen (photo_prepare.js). A photo's place is only offered ("Use where
// the photo was taken" at the map step); the pin is what the resident confirmed, and the
// page says so to the server (location_source). The send shows its progress in percent and
// leaves the form editable; a lost connection or a server error offers "Try again" with the
// same Idempotency-Key. Keyboard users move the focused map with the arrow keys and place
// the pin at its centre (the button, or Enter on the map).

import { apiHeaders } from "./language.js";
import { preparePhoto } from "./photo_prepare.js";
import { retryText } from "./retry.js";
import { send, UploadFailed } from "./upload.js";

const page = document.getElementById("report-journey");
const form = document.getElementById("report-form");
const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
const lat = document.getElementById("id_lat");
const lon = document.getElementById("id_lon");
const category = document.getElementById("id_category");
const pinStatus = document.getElementById("pin-status");
const errors = document.getElementById("form-errors");
const text = (name, values = {}) =>
  page.dataset[name].replace(/%\((\w+)\)s/g, (_all, key) => String(values[key] ?? ""));

let map = null;
let marker = null;
let idempotencyKey = null;
let locationSource = "map";

function setPin(latitude, longitude, { pan = true, source = "map", status = "textPinSet" } = {}) {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) {
    return;
  }
  locationSource = source;
  lat.value = latitude.toFixed(6);
  lon.value = longitude.toFixed(6);
  if (map) {
    const where = [latitude, longitude];
    if (marker) {
      marker.setLatLng(where);
    } else {
      marker = L.marker(where, { keyboard: false, title: "📍" }).addTo(map);
    }
    if (pan) {
      map.setView(where, Math.max(map.getZoom(), 16));
    }
  }
  pinStatus.textContent = text(status, { lat: lat.value, lon: lon.value });
  showNearby();
}

function typedPin() {
  const latitude = Number(lat.value.replace(",", "."));
  const longitude = Number(lon.value.replace(",", "."));
  if (lat.value && lon.value && Number.isFinite(latitude) && Number.isFinite(longitude)) {
    setPin(latitude, longitude);
  } else if (lat.value && lon.value) {
    pinStatus.textContent = text("textBadCoordinates");
  }
}

window.addEventListener("map:init", async (event) => {
  map = event.detail.map;
  map.on("click", (click) => setPin(click.latlng.lat, click.latlng.lng, { pan: false }));
  // Leaflet pans the focused map with the arrow keys (and zooms with + and -); Enter
  // places the pin at the centre, as the button beside the map does.
  const container = map.getContainer();
  container.setAttribute("aria-label", page.dataset.textMapLabel);
  container.addEventListener("keydown", (key) => {
    if (key.key === "Enter" && key.target === container) {
      key.preventDefault();
      pinAtCentre();
    }
  });
  try {
    const response = await fetch(page.dataset.boundaryUrl);
    const boundary = L.geoJSON(await response.json(), {
      style: { color: "#1f5fa8", weight: 2, fillOpacity: 0.03 },
      interactive: false,
    }).addTo(map);
    if (!marker) {
      map.fitBounds(boundary.getBounds());
    }
  } catch {
    // The pin can still be placed by coordinates or an address.
  }
});

function pinAtCentre() {
  if (map) {
    const centre = map.getCenter();
    setPin(centre.lat, centre.lng, { pan: false });
  }
}

document.getElementById("pin-centre").addEventListener("click", pinAtCentre);

lat.addEventListener("change", typedPin);
lon.addEventListener("change", typedPin);

document.getElementById("locate-me").addEventListener("click", () => {
  if (!navigator.geolocation) {
    pinStatus.textContent = text("textNoLocation");
    return;
  }
  pinStatus.textContent = text("textLocating");
  navigator.geolocation.getCurrentPosition(
    (position) => setPin(position.coords.latitude, position.coords.longitude),
    () => {
      pinStatus.textContent = text("textNoLocation");
    },
    { enableHighAccuracy: true, timeout: 15000 },
  );
});

function choiceButton(label, onChoose) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.addEventListener("click", onChoose);
  item.append(button);
  return item;
}

async function findPlace() {
  const query = document.getElementById("place-query").value.trim();
  const list = document.getElementById("place-results");
  list.replaceChildren();
  if (query.length < 3) {
    return;
  }
  const params = new URLSearchParams({ q: query, municipality: page.dataset.municipality });
  const response = await fetch(`${page.dataset.placesUrl}?${params}`, { headers: apiHeaders() });
  const places = response.ok ? await response.json() : [];
  if (places.length === 0) {
    const item = document.createElement("li");
    item.textContent = text("textNoPlaces");
    list.append(item);
    return;
  }
  if (places.length === 1) {
    setPin(places[0].lat, places[0].lon);
  }
  for (const place of places) {
    list.append(choiceButton(place.name, () => setPin(place.lat, place.lon)));
  }
}

document.getElementById("place-find").addEventListener("click", findPlace);
document.getElementById("place-query").addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    findPlace();
  }
});

async function support(reportId, button, status) {
  button.disabled = true;
  const url = page.dataset.supportUrlTemplate.replace("/0/", `/${reportId}/`);
  const email = document.getElementById("id_reporter_email").value.trim();
  const body = new FormData();
  if (email) {
    body.append("email", email);
  }
  const response = await fetch(url, { method: "POST", body, headers: apiHeaders({ "X-CSRFToken": csrf }) });
  status.textContent = response.ok
    ? text("textSupported")
    : response.status === 409
      ? text("textAlreadySupported")
      : response.status === 429
        ? retryText(page.dataset.textTooMany, response)
        : "";
  button.disabled = response.ok || response.status === 409;
}

async function showNearby() {
  const section = document.getElementById("nearby");
  const list = document.getElementById("nearby-list");
  const status = document.getElementById("nearby-status");
  if (!lat.value || !lon.value || !category.value) {
    section.hidden = true;
    return;
  }
  const params = new URLSearchParams({ lat: lat.value, lon: lon.value, category: category.value });
  const response = await fetch(`${page.dataset.nearbyUrl}?${params}`, { headers: apiHeaders() });
  const found = response.ok ? (await response.json()).features || [] : [];
  list.replaceChildren();
  status.textContent = "";
  section.hidden = false;
  if (found.length === 0) {
    status.textContent = text("textNearbyNone");
    return;
  }
  for (const feature of found) {
    const props = feature.properties;
    const item = document.createElement("li");
    item.className = "nearby-item";
    const link = document.createElement("a");
    link.href = props.url;
    link.textContent = `#${feature.id} ${props.title}`;
    const facts = document.createElement("span");
    facts.textContent = ` — ${props.state_label}, ${props.support_count} ${text("textSupporters")} `;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "support-instead";
    button.textContent = text("textSupportInstead");
    button.addEventListener("click", () => support(feature.id, button, status));
    item.append(link, facts, button);
    list.append(item);
  }
}

category.addEventListener("change", showNearby);

const photos = document.getElementById("id_photos");
const photoPlaces = document.getElementById("photo-places");
const photoList = document.getElementById("photo-list");
// The photos as they will go up (downsized), ready when the promise settles.
let prepared = Promise.resolve([]);

function megabytes(bytes) {
  const language = document.documentElement.lang || undefined;
  return (bytes / 1024 / 1024).toLocaleString(language, { maximumFractionDigits: 1 });
}

function offerPhotoPlace(photo, several) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "photo-place";
  button.textContent = text("textPhotoGps");
  button.addEventListener("click", () =>
    setPin(photo.gps.lat, photo.gps.lon, { source: "photo", status: "textPinPhoto" }),
  );
  item.append(button);
  if (several) {
    const name = document.createElement("span");
    name.className = "photo-name";
    name.textContent = ` ${photo.name}`;
    item.append(name);
  }
  photoPlaces.append(item);
}

photos.addEventListener("change", () => {
  const slot = document.getElementById("error-photos");
  photoPlaces.replaceChildren();
  photoList.replaceChildren();
  document.getElementById("photo-place-note").hidden = true;
  slot.textContent = "";
  if (locationSource === "photo") {
    locationSource = "map"; // the photo whose place it was may be gone; the pin stays
  }
  const files = [...photos.files];
  const limit = Number(page.dataset.maxPhotos);
  const maxBytes = Number(page.dataset.maxPhotoMb) * 1024 * 1024;
  const options = {
    maxSide: Number(page.dataset.photoMaxSide),
    quality: Number(page.dataset.photoQuality) / 100,
  };
  const problems = files.length > limit ? [text("textTooManyPhotos", { n: limit })] : [];
  const rows = files.slice(0, limit).map((file) => {
    const row = document.createElement("li");
    row.textContent = text("textPhotoPreparing", { name: file.name });
    photoList.append(row);
    return row;
  });
  slot.textContent = problems.join(" ");
  photos.toggleAttribute("aria-invalid", problems.length > 0);
  prepared = Promise.all(
    files.slice(0, limit).map(async (file, index) => {
      const photo = await preparePhoto(file, options);
      rows[index].textContent = text("textPhotoReady", {
        name: file.name,
        mb: megabytes(photo.file.size),
      });
      if (photo.file.size > maxBytes) {
        problems.push(text("textTooBig", { name: file.name, mb: page.dataset.maxPhotoMb }));
        slot.textContent = problems.join(" ");
        photos.setAttribute("aria-invalid", "true");
      }
      return photo;
    }),
  );
  prepared.then((ready) => {
    const withPlace = ready.filter((photo) => photo.gps);
    for (const photo of withPlace) {
      offerPhotoPlace(photo, withPlace.length > 1);
    }
    document.getElementById("photo-place-note").hidden = withPlace.length === 0;
  });
});

document.getElementById("id_is_formal_appeal").addEventListener("change", (event) => {
  document.getElementById("appeal-fields").hidden = !event.target.checked;
});

function clearErrors() {
  errors.hidden = true;
  errors.replaceChildren();
  for (const slot of form.querySelectorAll(".field-error")) {
    slot.textContent = "";
  }
  for (const field of form.querySelectorAll("[aria-invalid]")) {
    field.removeAttribute("aria-invalid");
  }
}

function showRefusal(message) {
  const paragraph = document.createElement("p");
  paragraph.textContent = message;
  errors.replaceChildren(paragraph);
  errors.hidden = false;
  errors.focus();
}

function showErrors(body) {
  const summary = document.createElement("p");
  summary.textContent = text("textFix");
  const list = document.createElement("ul");
  let first = null;
  for (const [field, messages] of Object.entries(body)) {
    const message = Array.isArray(messages) ? messages.join(" ") : String(messages);
    const slot = form.querySelector(`.field-error[data-for="${CSS.escape(field)}"]`);
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
    if (slot) {
      slot.textContent = message;
    }
    if (input) {
      input.setAttribute("aria-invalid", "true");
      first = first || input;
    } else if (field === "location") {
      first = first || lat;
    }
    const item = document.createElement("li");
    const label = form.querySelector(`label[for="${input?.id}"]`);
    item.textContent = label ? `${label.textContent.trim()}: ${message}` : message;
    list.append(item);
  }
  errors.replaceChildren(summary, list);
  errors.hidden = false;
  errors.focus();
}

const sendStatus = document.getElementById("send-status");
const progress = document.getElementById("send-progress");
const retryButton = document.getElementById("send-retry");
const sendButton = document.getElementById("send-report");

function showProgress(fraction) {
  const percent = Math.min(100, Math.round(fraction * 100));
  progress.value = percent;
  progress.hidden = false;
  // Announced in steps of ten, not every event: a screen reader would never stop talking.
  const said = Math.floor(percent / 10) * 10;
  if (sendStatus.dataset.said !== String(said)) {
    sendStatus.dataset.said = String(said);
    sendStatus.textContent = text("textSendingPercent", { percent: `${said} %` });
  }
}

// The confirmation repeats what was sent (the request's own fields, not the form, which
// may have been edited while it went), says where the private link went, and copies it.
function summarise(sent) {
  const field = (name) => String(sent.get(name) || "").trim();
  const chosen = [...category.options].find((option) => option.value === field("category"));
  document.getElementById("sent-category").textContent = chosen ? chosen.textContent.trim() : "";
  document.getElementById("sent-title").textContent = field("title");
  document.getElementById("sent-place").textContent =
    [field("address"), `${field("lat")}, ${field("lon")}`].filter(Boolean).join(" · ");
  const photoCount = sent.getAll("photos").length;
  document.getElementById("sent-photos").textContent =
    photoCount ? String(photoCount) : page.dataset.textNoPhotos;
  const email = field("reporter_email");
  document.getElementById("sent-email").textContent = email;
  document.getElementById("sent-mailed").hidden = !email;
  document.getElementById("sent-not-mailed").hidden = Boolean(email);
}

document.getElementById("copy-tracking").addEventListener("click", async () => {
  const link = document.getElementById("confirmation-tracking");
  const said = document.getElementById("copy-status");
  try {
    await navigator.clipboard.writeText(link.href);
    said.textContent = page.dataset.textCopied;
  } catch {
    window.getSelection().selectAllChildren(link);
    said.textContent = page.dataset.textCopyFailed;
  }
});

function showDone(answer) {
  form.hidden = true;
  const done = document.getElementById("confirmation");
  document.getElementById("confirmation-number").textContent = `№ ${answer.id}`;
  const tracking = document.getElementById("confirmation-tracking");
  tracking.href = answer.tracking_url;
  tracking.textContent = answer.tracking_url;
  const publicLink = document.getElementById("confirmation-public");
  publicLink.href = answer.url;
  publicLink.textContent = answer.url;
  done.hidden = false;
  done.focus();
}

async function formBody() {
  const body = new FormData(form);
  body.delete("csrfmiddlewaretoken");
  for (const name of ["lat", "lon"]) {
    if (!body.get(name)) {
      body.delete(name);
    } else {
      body.set(name, String(body.get(name)).replace(",", "."));
    }
  }
  body.set("location_source", locationSource);
  body.delete("photos");
  for (const photo of await prepared) {
    body.append("photos", photo.file, photo.file.name);
  }
  return body;
}

async function sendReport() {
  clearErrors();
  retryButton.hidden = true;
  sendButton.disabled = true;
  idempotencyKey = idempotencyKey || crypto.randomUUID();
  sendStatus.dataset.said = "";
  sendStatus.textContent = text("textSending");
  try {
    const body = await formBody();
    const response = await send(
      page.dataset.createUrl,
      body,
      apiHeaders({ "X-CSRFToken": csrf, "Idempotency-Key": idempotencyKey, Accept: "application/json" }),
      showProgress,
    );
    if (response.status >= 500) {
      throw new UploadFailed(String(response.status));
    }
    const answer = await response.json().catch(() => ({ detail: String(response.status) }));
    sendStatus.textContent = "";
    progress.hidden = true;
    if (response.status === 429) {
      // Not the resident's mistake: no field is marked, and the same key is sent later.
      showRefusal(retryText(page.dataset.textTooManyReports, response));
      return;
    }
    if (!response.ok) {
      if (response.status === 422) {
        idempotencyKey = crypto.randomUUID();
      }
      showErrors(answer);
      return;
    }
    summarise(body);
    showDone(answer);
  } catch (failure) {
    if (!(failure instanceof UploadFailed)) {
      throw failure;
    }
    // Nothing typed is lost, and "Try again" sends the same key: never two reports.
    progress.hidden = true;
    sendStatus.textContent = text("textUploadFailed");
    retryButton.hidden = false;
  } finally {
    sendButton.disabled = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  sendReport();
});
retryButton.addEventListener("click", sendReport);
