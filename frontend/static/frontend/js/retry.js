// A rate limit's refusal (429) in the page's language: the page gives the sentence, with
// %(minutes)s and %(time)s, and the answer's Retry-After header says how long to wait.

export function retryText(template, response) {
  const seconds = Math.max(1, Number(response.headers.get("Retry-After")) || 60);
  const at = new Date(Date.now() + seconds * 1000);
  const values = {
    minutes: String(Math.ceil(seconds / 60)),
    time: at.toLocaleTimeString(document.documentElement.lang || undefined, {
      hour: "2-digit",
      minute: "2-digit",
    }),
  };
  return template.replace(/%\((\w+)\)s/g, (_all, key) => values[key] ?? "");
}
