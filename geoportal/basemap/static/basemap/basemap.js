// The base map of every page with a map (a classic script: django-leaflet includes it as a
// plugin). Sources come in the order of the BASEMAP setting (#basemap-config): "own" draws
// the platform's vector tiles (/tiles/base/) with Leaflet.VectorGrid, "raster" the tiles of
// MAP_TILE_URL (django-leaflet adds that layer itself when it comes first). When a source's
// tiles fail the next one takes over; when the last fails, a visible notice says so.
(function () {
  "use strict";

  const ROAD_WIDTH = {
    motorway: 4, trunk: 4, primary: 3.5, secondary: 3, tertiary: 2.5,
    unclassified: 2, residential: 2, living_street: 2, road: 2, service: 1.2,
    pedestrian: 1.5, track: 1, footway: 0.8, cycleway: 0.8, path: 0.8, steps: 0.8,
  };
  const MAJOR = new Set(["motorway", "trunk", "primary", "secondary"]);

  // A name drawn as an SVG image (VectorGrid draws points as icons, not text): a place, a
  // street turned along its way (`angle`, degrees, upright), a house number. The text is
  // escaped for XML; as an <image> it can run nothing.
  function labelIcon(name, { size = 12, fill = "#3b3b3b", italic = false, angle = 0 } = {}) {
    const value = String(name || "");
    const text = value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const long = Math.min(240, 8 + size * 0.62 * value.length);
    // A turned label needs a square box to turn in; a level one a strip.
    const width = long;
    const height = angle ? long : size + 6;
    const style = italic ? ' font-style="italic"' : "";
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`
      + `<text x="50%" y="50%" dy="0.35em" text-anchor="middle" font-family="DejaVu Sans, sans-serif" `
      + `font-size="${size}"${style} fill="${fill}" stroke="#ffffff" stroke-width="3" paint-order="stroke" `
      + `transform="rotate(${Number(angle) || 0} ${width / 2} ${height / 2})">${text}</text></svg>`;
    return L.icon({
      iconUrl: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`,
      iconSize: [width, height],
    });
  }

  const STYLES = {
    water: { fill: true, fillColor: "#b5d0e6", fillOpacity: 1, color: "#9cbfdc", weight: 1 },
    green: { fill: true, fillColor: "#dcebd2", fillOpacity: 1, stroke: false },
    buildings: { fill: true, fillColor: "#e3ddd6", fillOpacity: 1, color: "#cfc6bc", weight: 0.6 },
    roads: (properties, zoom) => ({
      color: MAJOR.has(properties.class) ? "#e3b363" : "#b9b2a7",
      weight: (ROAD_WIDTH[properties.class] || 1) * Math.max(1, (zoom - 12) / 1.5),
      opacity: 1,
    }),
    railways: { color: "#9b9b9b", weight: 1.2, dashArray: "4 3" },
    labels: (properties) => ({ icon: labelIcon(properties.name) }),
    street_names: (properties) => ({
      icon: labelIcon(properties.name, { size: 11, fill: "#5b5750", italic: true, angle: properties.angle }),
    }),
    housenumbers: (properties) => ({
      icon: labelIcon(properties.housenumber, { size: 10, fill: "#857a70" }),
    }),
  };

  // Leaflet.VectorGrid swallows a failed tile (it draws it empty and fires nothing): the
  // fetch it makes for a tile is wrapped, for that one synchronous call, to report it.
  const OwnTiles = L.VectorGrid.Protobuf.extend({
    _getVectorTilePromise(coords, tileBounds) {
      const layer = this;
      const realFetch = window.fetch;
      window.fetch = (url, options) => realFetch(url, options).then(
        (response) => {
          if (!response.ok) {
            layer.fire("tileerror", { coords });
          }
          return response;
        },
        () => {
          layer.fire("tileerror", { coords });
          return new Response(null, { status: 503 });
        },
      );
      try {
        return L.VectorGrid.Protobuf.prototype._getVectorTilePromise.call(this, coords, tileBounds);
      } finally {
        window.fetch = realFetch;
      }
    },
  });

  function makeLayer(source, config, map) {
    if (source === "own") {
      map.getContainer().classList.add("basemap-own");
      return new OwnTiles(config.ownUrl, {
        rendererFactory: L.svg.tile,
        vectorTileLayerStyles: STYLES,
        interactive: false,
        maxNativeZoom: 18,
        attribution: config.ownAttribution,
      });
    }
    map.getContainer().classList.remove("basemap-own");
    return L.tileLayer(config.rasterUrl, { attribution: config.rasterAttribution, maxZoom: 19 });
  }

  function showNotice(map, text) {
    const container = map.getContainer();
    if (container.querySelector(".basemap-notice")) {
      return;
    }
    const Notice = L.Control.extend({
      onAdd() {
        const box = L.DomUtil.create("div", "basemap-notice");
        box.setAttribute("role", "status");
        box.textContent = text;
        return box;
      },
    });
    new Notice({ position: "bottomleft" }).addTo(map);
  }

  function watch(layer, map, config, rest) {
    layer.once("tileerror", () => {
      if (rest.length) {
        map.removeLayer(layer);
        const next = makeLayer(rest[0], config, map).addTo(map);
        next.bringToBack();
        watch(next, map, config, rest.slice(1));
      } else {
        showNotice(map, config.textUnavailable);
        map.fire("basemap:unavailable");
      }
    });
  }

  window.addEventListener("map:init", (event) => {
    const element = document.getElementById("basemap-config");
    if (!element) {
      return; // a page without the setting (the admin): django-leaflet's tiles alone
    }
    const config = element.dataset;
    const map = event.detail.map;
    const sources = config.sources.split(",").filter(Boolean);
    let first = null;
    if (sources[0] === "raster") {
      map.eachLayer((layer) => {
        if (layer instanceof L.TileLayer && !first) {
          first = layer;
        }
      });
    }
    if (!first) {
      first = makeLayer(sources[0], config, map).addTo(map);
      first.bringToBack();
    }
    watch(first, map, config, sources.slice(1));
  });
})();
