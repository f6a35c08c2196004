// Popup content built from DOM nodes and textContent only: attribute values come from
// imports and users, so nothing here is ever parsed as HTML.

const labels = JSON.parse(document.getElementById("layer-labels").textContent);

function display(layer, field, value) {
  const choices = labels[layer].choices[field];
  if (choices && value in choices) {
    return choices[value];
  }
  if (value === true) {
    return "✓";
  }
  if (value === false) {
    return "—";
  }
  return String(value);
}

// A heading and a definition list of the non-empty attributes of one feature.
export function featureCard(layer, properties, extra = []) {
  const card = document.createElement("div");
  card.className = "feature-card";
  const heading = document.createElement("h2");
  heading.className = "feature-card-title";
  heading.textContent = layerName(layer);
  card.append(heading);
  const list = document.createElement("dl");
  const rows = [...Object.entries(labels[layer].fields).map(([field, label]) => [label, field]), ...extra];
  for (const [label, field] of rows) {
    const value = properties[field];
    if (value === null || value === undefined || value === "") {
      continue;
    }
    const term = document.createElement("dt");
    term.textContent = label;
    const detail = document.createElement("dd");
    detail.textContent = display(layer, field, value);
    if (field === "permit_state") {
      detail.className = `state-text state-${value}`;
    }
    list.append(term, detail);
  }
  card.append(list);
  return card;
}

export function layerName(layer) {
  const name = labels[layer].name;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function messageCard(text) {
  const card = document.createElement("p");
  card.textContent = text;
  return card;
}
