// Response templates in a report's console: above each answer, return-reason and rejection
// text box, a list of the department's ready texts. Choosing one puts its text in the box
// (after what is already typed), to be edited before sending; nothing is sent by choosing.

const offered = JSON.parse(document.getElementById("response-templates")?.textContent || "{}");
const root = document.getElementById("console");

for (const [index, box] of [...document.querySelectorAll("textarea[data-templates]")].entries()) {
  const templates = offered[box.dataset.templates] || [];
  if (!templates.length) {
    continue;
  }
  const picker = document.createElement("select");
  picker.id = `template-picker-${index}`;
  picker.className = "template-picker";
  picker.append(new Option(root.dataset.textTemplateNone, ""));
  for (const template of templates) {
    picker.append(new Option(template.title, template.id));
  }
  const label = document.createElement("label");
  label.htmlFor = picker.id;
  label.textContent = root.dataset.textTemplate;
  box.labels[0].before(label, picker);
  picker.addEventListener("change", () => {
    const chosen = templates.find((template) => template.id === picker.value);
    if (!chosen) {
      return;
    }
    box.value = box.value.trim() ? `${box.value.trimEnd()}\n\n${chosen.text}` : chosen.text;
    picker.value = "";
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  });
}
