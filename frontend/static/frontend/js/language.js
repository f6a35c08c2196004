// The API speaks the language the client asks for (Accept-Language); the page's own
// language is the one to ask for, whatever the browser prefers: an English browser on a
// Ukrainian page gets the API's messages in Ukrainian.

export const pageLanguage = document.documentElement.lang || "uk";

export function apiHeaders(more = {}) {
  return { "Accept-Language": pageLanguage, ...more };
}
