// A report's staff console: every action form posts to the report API with the version
// the page was drawn from. A refusal is shown next to its field and the form keeps what
// was typed; after an action the page is drawn again from the server.

const root = document.getElementById("console");
const status = document.getElementById("console-status");
const csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
const FLASH = "console-flash";

function show(message, isError) {
  status.textContent = message;
  status.classList.toggle("error", Boolean(isError));
  if (isError) {
    status.setAttribute("role", "alert");
  }
}

function clearErrors(form) {
  for (const slot of form.querySelectorAll(".field-error")) {
    slot.textContent = "";
  }
  for (const field of form.querySelectorAll("[aria-invalid]")) {
    field.removeAttribute("aria-invalid");
  }
}

// Puts each message next to its field; what has no field goes to the status line.
function showErrors(form, body) {
  const general = [];
  for (const [field, messages] of Object.entries(body)) {
    const text = Array.isArray(messages) ? messages.join(" ") : String(messages);
    const slot = form.querySelector(`.field-error[data-for="${CSS.escape(field)}"]`);
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
    if (slot && !["detail", "state", "version"].includes(field)) {
      slot.textContent = text;
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", slot.id || "");
      }
    } else if (field === "detail") {
      general.push(text);
    } else if (!["state", "version"].includes(field)) {
      general.push(`${field}: ${text}`);
    }
  }
  show(`${root.dataset.textFailed} ${general.join(" ")}`.trim(), true);
  const firstInvalid = form.querySelector("[aria-invalid=true]");
  (firstInvalid || status).focus?.();
}

async function submit(form) {
  clearErrors(form);
  const data = new FormData(form);
  data.append("version", root.dataset.version);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const response = await fetch(`${root.dataset.api}${form.dataset.action}/`, {
      method: "POST",
      body: data,
      // The page's language, not the browser's, for the API's messages (as language.js does;
      // inlined: this module imports nothing, so its handlers are ready sooner).
      headers: {
        "X-CSRFToken": csrf,
        Accept: "application/json",
        "Accept-Language": document.documentElement.lang || "uk",
      },
      credentials: "same-origin",
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      showErrors(form, body);
      return;
    }
    sessionStorage.setItem(FLASH, root.dataset.textDone.replace("%(action)s", button.textContent.trim()));
    window.location.reload();
  } catch {
    show(root.dataset.textNetwork, true);
  } finally {
    button.disabled = false;
  }
}

for (const [index, slot] of [...root.querySelectorAll(".field-error")].entries()) {
  slot.id = `field-error-${index}`;
  slot.setAttribute("aria-live", "polite");
}
for (const form of root.querySelectorAll("form.action-form")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(form);
  });
}
const flash = sessionStorage.getItem(FLASH);
if (flash) {
  sessionStorage.removeItem(FLASH);
  show(flash, false);
}
// The forms are handled from here on (tests wait for it before clicking).
root.dataset.ready = "true";
