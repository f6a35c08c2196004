// Sending the report's form in one request with the upload's progress (XMLHttpRequest:
// fetch cannot report an upload's progress). The answer looks like fetch's where the form
// needs it (status, ok, json, headers.get); a lost connection rejects with UploadFailed,
// so the caller can offer to try again with the same Idempotency-Key.

export class UploadFailed extends Error {}

/**
 * @param {string} url
 * @param {FormData} body
 * @param {Record<string, string>} headers
 * @param {(fraction: number) => void} onProgress
 */
export function send(url, body, headers, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    for (const [name, value] of Object.entries(headers)) {
      request.setRequestHeader(name, value);
    }
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && event.total > 0) {
        onProgress(event.loaded / event.total);
      }
    });
    request.addEventListener("load", () => {
      const text = request.responseText;
      resolve({
        status: request.status,
        ok: request.status >= 200 && request.status < 300,
        headers: { get: (name) => request.getResponseHeader(name) },
        json: async () => JSON.parse(text),
      });
    });
    for (const failure of ["error", "abort", "timeout"]) {
      request.addEventListener(failure, () => reject(new UploadFailed(failure)));
    }
    request.send(body);
  });
}
