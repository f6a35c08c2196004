// A chosen photo made ready to go up once: its GPS position read from EXIF here in the
// browser (exifr), and the picture downsized to the page's longest side and re-encoded as
// JPEG at the page's quality, with the EXIF orientation applied (createImageBitmap with
// imageOrientation "from-image"), so the server never needs the full-size original. A photo
// that is already small goes up as it is (never re-encoded bigger); one the browser cannot
// decode (HEIC on Chromium, say) goes up as it is and the server decides. The server
// re-encodes every photo and strips its EXIF either way.

import { gps as readGps } from "../../vendor/exifr/lite.esm.js";

async function gpsOf(file) {
  try {
    const found = await readGps(file);
    if (found && Number.isFinite(found.latitude) && Number.isFinite(found.longitude)) {
      return { lat: found.latitude, lon: found.longitude };
    }
  } catch {
    // No EXIF, or not a format exifr reads: the photo simply offers no place.
  }
  return null;
}

function jpegName(name) {
  return `${name.replace(/\.[^.]*$/, "") || "photo"}.jpg`;
}

function encode(bitmap, width, height, quality) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff"; // a transparent PNG becomes white, not black, in a JPEG
  context.fillRect(0, 0, width, height);
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
}

/**
 * @param {File} file
 * @param {{maxSide: number, quality: number}} options quality 0..1
 * @returns {Promise<{file: File, name: string, gps: {lat: number, lon: number} | null,
 *   width: number | null, height: number | null, resized: boolean}>}
 */
export async function preparePhoto(file, { maxSide, quality }) {
  const gps = await gpsOf(file);
  const asIs = { file, name: file.name, gps, width: null, height: null, resized: false };
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return asIs; // the browser cannot decode it: the server decides, as for any upload
  }
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    if (scale === 1 && file.type === "image/jpeg") {
      return { ...asIs, width, height };
    }
    const blob = await encode(bitmap, width, height, quality);
    if (!blob || (scale === 1 && blob.size >= file.size)) {
      return { ...asIs, width, height }; // already small: never sent bigger than chosen
    }
    const name = jpegName(file.name);
    return {
      file: new File([blob], name, { type: "image/jpeg" }),
      name: file.name,
      gps,
      width,
      height,
      resized: true,
    };
  } finally {
    bitmap.close();
  }
}
