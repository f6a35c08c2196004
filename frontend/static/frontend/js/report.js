// A report's public page: its place on a small map, and the Support and Follow buttons.

import { apiHeaders } from "./language.js";
import { retryText } from "./retry.js";

const page = document.getElementById("report-page");
const csrf = page.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
const status = document.getElementById("engage-status");

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: apiHeaders({ "X-CSRFToken": csrf, Accept: "application/json" }),
    credentials: "same-origin",
  });
  const answer = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, answer, response };
}

function message(result) {
  if (result.status === 429) {
    return retryText(page.dataset.textTooMany, result.response);
  }
  return Object.values(result.answer).flat().join(" ");
}

const supportButton = document.getElementById("support-button");
supportButton?.addEventListener("click", async () => {
  supportButton.disabled = true;
  const result = await post(page.dataset.supportUrl, new FormData());
  if (result.ok) {
    document.getElementById("support-count").textContent = String(
      Number(document.getElementById("support-count").textContent) + 1,
    );
    status.textContent = page.dataset.textSupported;
  } else {
    status.textContent = result.status === 409 ? page.dataset.textAlreadySupported : message(result);
    supportButton.disabled = result.status === 409;
  }
});

const followForm = document.getElementById("follow-form");
followForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = await post(page.dataset.followUrl, new FormData(followForm));
  status.textContent = result.ok ? page.dataset.textFollowing : message(result);
});

window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  const where = [Number(page.dataset.lat), Number(page.dataset.lon)];
  L.circleMarker(where, { radius: 9, color: "#ffffff", weight: 2, fillColor: "#1f5fa8", fillOpacity: 1 }).addTo(map);
  map.setView(where, 16);
});
