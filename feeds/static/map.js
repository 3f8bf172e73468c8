/* The map page: buurt polygons from /buurten.geojson drawn as an SVG choropleth (own projection,
 * no libraries), each buurt's name written where it fits, hover shows name and count, click lists
 * the buurt's items with a link to every source, a kind filter, and a search box: a postcode or
 * address goes to /locate (the same place -> buurt chain as the items) and opens that buurt.
 * While no buurt is chosen the panel lists the city-wide items (/items/no-buurt).
 * Data is only ever inserted with textContent / setAttribute, never as HTML; links are kept only
 * for http(s) URLs. `?select=BU...` acts exactly like a click on that buurt, `?q=6211+PG` like a
 * search, `?kind=event` sets the filter (used by the end-to-end test and for sharing a view). */
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const TZ = { timeZone: "Europe/Amsterdam" };

  // "28 sep 2026" for a date without a time of day (midnight in Maastricht), else "27 dec 2026 09:00".
  function when(iso) {
    const d = new Date(iso);
    const hm = d.toLocaleTimeString("nl-NL", { ...TZ, hour: "2-digit", minute: "2-digit" });
    const day = d.toLocaleDateString("nl-NL", { ...TZ, day: "numeric", month: "short", year: "numeric" });
    return hm === "00:00" ? day : `${day} ${hm}`;
  }
  const W = 1000;
  const PALETTE = ["#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#2b8cbe", "#045a8d"];
  const KIND_LABEL = { event: "activiteit", vacancy: "vrijwilligerswerk", participation: "participatie",
    network: "buurtnetwerk", initiative: "initiatief", news: "nieuws" };
  const svg = document.getElementById("map");
  const tooltip = document.getElementById("tooltip");
  const kindSelect = document.getElementById("kind");
  const statusEl = document.getElementById("status");
  const searchForm = document.getElementById("locate");
  const searchInput = document.getElementById("q");
  const searchResult = document.getElementById("locate-result");
  const clearButton = document.getElementById("clear");
  const params = new URLSearchParams(window.location.search);
  const paths = new Map();
  const byCode = new Map();
  const LABEL_PX = [13, 11, 9]; /* label font sizes tried, in screen pixels, largest first */
  let areas = null;
  let labels = null;
  let project = null;
  let features = [];
  let selected = null;
  let breaks = [];

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function httpUrl(value) {
    if (typeof value !== "string") return null;
    try {
      const u = new URL(value);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function rings(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return geometry.coordinates;
    if (geometry.type === "MultiPolygon") return geometry.coordinates.flat();
    return [];
  }

  /* Equirectangular projection around the data's centre, scaled to fit a W-wide viewBox. */
  function projection(feats) {
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (const f of feats) for (const ring of rings(f.geometry)) for (const [lon, lat] of ring) {
      minX = Math.min(minX, lon); maxX = Math.max(maxX, lon);
      minY = Math.min(minY, lat); maxY = Math.max(maxY, lat);
    }
    const k = Math.cos(((minY + maxY) / 2) * Math.PI / 180);
    const scale = (W - 20) / Math.max((maxX - minX) * k, 1e-9);
    const height = (maxY - minY) * scale + 20;
    svg.setAttribute("viewBox", "0 0 " + W + " " + Math.ceil(height));
    return ([lon, lat]) => [10 + (lon - minX) * k * scale, 10 + (maxY - lat) * scale];
  }

  function pathData(geometry, project) {
    return rings(geometry).map((ring) => "M" + ring.map((pt) => project(pt).map((v) => v.toFixed(1)).join(" ")).join("L") + "Z").join("");
  }

  function count(f) {
    const kind = kindSelect.value;
    return kind ? (f.properties.per_kind[kind] || 0) : f.properties.items;
  }

  function colour(n) {
    if (n === 0) return PALETTE[0];
    let i = 1;
    while (i < breaks.length && n > breaks[i]) i++;
    return PALETTE[Math.min(i, PALETTE.length - 1)];
  }

  function recolour() {
    const counts = features.map(count);
    const max = Math.max(0, ...counts);
    breaks = [0];
    for (let i = 1; i < PALETTE.length; i++) breaks.push(Math.ceil((max * i) / (PALETTE.length - 1)));
    for (const f of features) {
      const n = count(f);
      const p = paths.get(f.properties.code);
      p.setAttribute("fill", colour(n));
      p.dataset.count = String(n);
      p.firstChild.textContent = f.properties.name + ": " + n;
    }
    legend();
  }

  function legend() {
    const box = document.getElementById("legend");
    box.replaceChildren();
    const zero = el("span", {}, "0");
    zero.style.setProperty("--swatch", PALETTE[0]);
    box.append(zero);
    for (let i = 1; i < breaks.length; i++) {
      if (breaks[i] <= breaks[i - 1]) continue;
      const lo = breaks[i - 1] + 1;
      const s = el("span", {}, lo === breaks[i] ? String(lo) : lo + "–" + breaks[i]);
      s.style.setProperty("--swatch", PALETTE[i]);
      box.append(s);
    }
  }

  function showTip(evt, f) {
    tooltip.hidden = false;
    tooltip.textContent = f.properties.name + " — " + count(f) + " items";
    const box = svg.parentElement.getBoundingClientRect();
    tooltip.style.left = (evt.clientX - box.left + 12) + "px";
    tooltip.style.top = (evt.clientY - box.top + 12) + "px";
  }

  function draw(data) {
    features = data.features.filter((f) => f && f.properties && typeof f.properties.code === "string");
    project = projection(features);
    svg.replaceChildren();
    areas = document.createElementNS(SVG, "g");
    areas.setAttribute("id", "areas");
    labels = document.createElementNS(SVG, "g");
    labels.setAttribute("id", "labels");
    labels.setAttribute("aria-hidden", "true");
    svg.append(areas, labels);
    for (const f of features) {
      const p = document.createElementNS(SVG, "path");
      p.setAttribute("d", pathData(f.geometry, project));
      p.setAttribute("data-code", f.properties.code);
      p.setAttribute("tabindex", "0");
      p.append(document.createElementNS(SVG, "title"));
      p.addEventListener("mousemove", (e) => showTip(e, f));
      p.addEventListener("mouseleave", () => { tooltip.hidden = true; });
      p.addEventListener("click", () => select(f));
      p.addEventListener("keydown", (e) => { if (e.key === "Enter") select(f); });
      areas.append(p);
      paths.set(f.properties.code, p);
      byCode.set(f.properties.code, f);
    }
    svg.dataset.buurten = String(paths.size);
    recolour();
    placeLabels();
  }

  /* Write each buurt's name at its label point (inside the polygon, computed server-side) in the
   * largest size whose box lies inside the polygon and clear of the names already placed; a name
   * that fits in no size is hidden. Sizes are screen pixels, so this is redone on resize. */
  function placeLabels() {
    if (!labels || !project) return;
    labels.replaceChildren();
    const box = svg.getBoundingClientRect();
    const vb = svg.viewBox.baseVal;
    /* viewBox units per screen pixel (the SVG keeps its aspect ratio inside its box) */
    const unit = box.width > 0 && box.height > 0 ? Math.max(vb.width / box.width, vb.height / box.height) : 1;
    const placed = [];
    /* the largest buurten first: where names compete for room, theirs are written */
    const size = new Map(features.map((f) => {
      const bb = paths.get(f.properties.code).getBBox();
      return [f.properties.code, bb.width * bb.height];
    }));
    const order = [...features].sort((a, b) => size.get(b.properties.code) - size.get(a.properties.code));
    let shown = 0;
    for (const f of order) {
      const anchor = f.properties.label;
      const t = document.createElementNS(SVG, "text");
      t.setAttribute("class", "label");
      t.setAttribute("data-code", f.properties.code);
      t.setAttribute("text-anchor", "middle");
      t.setAttribute("dominant-baseline", "central");
      t.textContent = f.properties.name;
      labels.append(t);
      if (!Array.isArray(anchor) || anchor.length !== 2) { hideLabel(t); continue; }
      const [x, y] = project(anchor);
      t.setAttribute("x", x.toFixed(1));
      t.setAttribute("y", y.toFixed(1));
      let fits = null;
      for (const px of LABEL_PX) {
        t.setAttribute("font-size", (px * unit).toFixed(2));
        const b = t.getBBox();
        const pad = unit;
        const r = { x0: b.x - pad, y0: b.y - pad, x1: b.x + b.width + pad, y1: b.y + b.height + pad };
        if (insidePolygon(paths.get(f.properties.code), r) && !placed.some((o) => overlaps(o, r))) { fits = r; break; }
      }
      if (fits) {
        placed.push(fits);
        t.setAttribute("data-fit", "yes");
        shown++;
      } else {
        hideLabel(t);
      }
    }
    svg.dataset.labels = String(shown);
  }

  function hideLabel(t) {
    t.setAttribute("data-fit", "no");
    t.setAttribute("visibility", "hidden");
  }

  function overlaps(a, b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  }

  /* The box's corners and edge midpoints all lie inside the path's fill. */
  function insidePolygon(path, r) {
    if (!path || typeof path.isPointInFill !== "function") return false;
    const xm = (r.x0 + r.x1) / 2, ym = (r.y0 + r.y1) / 2;
    const pts = [[r.x0, r.y0], [xm, r.y0], [r.x1, r.y0], [r.x1, ym], [r.x1, r.y1], [xm, r.y1], [r.x0, r.y1], [r.x0, ym]];
    return pts.every(([x, y]) => path.isPointInFill(new DOMPoint(x, y)));
  }

  function itemNode(item) {
    const li = el("li", { "data-id": String(item.id) });
    const url = httpUrl(item.url);
    const title = item.title || "(zonder titel)";
    li.append(url ? el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank" }, title) : el("strong", {}, title));
    const meta = [KIND_LABEL[item.kind] || item.kind];
    if (item.starts_at) meta.push(when(item.starts_at));
    if (item.location_name || item.address) meta.push(item.location_name || item.address);
    li.append(el("div", { class: "meta" }, meta.filter(Boolean).join(" · ")));
    const sources = el("div", { class: "sources" });
    for (const s of item.sources || []) {
      const href = httpUrl(s.url);
      const label = s.name || s.source_id || "bron";
      sources.append(href ? el("a", { href: href, class: "source", rel: "noopener noreferrer nofollow", target: "_blank" }, label)
        : el("span", { class: "source" }, label));
    }
    li.append(sources);
    return li;
  }

  /* Fill the panel with one page of items from `url` (a buurt's or the city-wide list). */
  async function loadList(url, scope, emptyText) {
    const list = document.getElementById("items");
    const panel = document.getElementById("panel");
    const info = document.getElementById("panel-info");
    panel.dataset.state = "loading";
    list.replaceChildren();
    const q = new URLSearchParams({ limit: "200" });
    if (kindSelect.value) q.set("kind", kindSelect.value);
    try {
      const resp = await fetch(url + "?" + q.toString());
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      const data = await resp.json();
      if (panel.dataset.scope !== scope) return;
      for (const item of data.items) list.append(itemNode(item));
      info.textContent = data.items.length ? data.items.length + (data.next ? "+" : "") + " items" : emptyText;
      panel.dataset.state = "loaded";
    } catch (err) {
      if (panel.dataset.scope !== scope) return;
      info.textContent = "Kon de items niet laden (" + err.message + ").";
      panel.dataset.state = "error";
    }
  }

  async function select(f) {
    const code = f.properties.code;
    if (selected) selected.classList.remove("selected");
    selected = paths.get(code);
    selected.classList.add("selected");
    areas.append(selected); /* on top of its neighbours, so its outline is not hidden; names stay above */
    const panel = document.getElementById("panel");
    panel.dataset.buurt = code;
    panel.dataset.scope = "buurt:" + code;
    document.getElementById("panel-title").textContent = f.properties.name;
    document.getElementById("panel-info").textContent = "laden…";
    clearButton.hidden = false;
    await loadList("/buurten/" + encodeURIComponent(code) + "/items", "buurt:" + code, "Nog niets in deze buurt.");
  }

  /* No buurt chosen: the items for the whole city (those that belong to no single buurt). */
  async function showCity() {
    if (selected) selected.classList.remove("selected");
    selected = null;
    const panel = document.getElementById("panel");
    panel.dataset.buurt = "";
    panel.dataset.scope = "city";
    document.getElementById("panel-title").textContent = "Heel Maastricht";
    document.getElementById("panel-info").textContent = "laden…";
    clearButton.hidden = true;
    await loadList("/items/no-buurt", "city", "Nu niets voor de hele stad.");
    if (panel.dataset.scope === "city" && panel.dataset.state === "loaded") {
      const info = document.getElementById("panel-info");
      info.textContent = "Kies een buurt op de kaart of zoek je postcode of adres. Voor de hele stad: " + info.textContent + ".";
    }
  }

  function say(text, state) {
    searchResult.hidden = false;
    searchResult.textContent = text;
    searchResult.dataset.state = state;
  }

  /* The search box: /locate finds the buurt through the same chain as the items. */
  async function locate(text) {
    const q = text.trim();
    if (!q) { say("Geef een postcode (bijv. 6211 PG) of een adres (bijv. Markt 1).", "error"); return; }
    say("zoeken…", "loading");
    try {
      const resp = await fetch("/locate?" + new URLSearchParams({ q: q }).toString());
      const data = await resp.json();
      if (resp.status === 422) {
        const d = Array.isArray(data.detail) && data.detail[0] ? data.detail[0].msg : "ongeldige invoer";
        say("Kan dit niet zoeken: " + d + ".", "error");
        return;
      }
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      const f = data.buurt ? byCode.get(data.buurt.code) : null;
      if (!f) { say(q + ": " + (data.reason || "geen buurt gevonden") + ".", "none"); return; }
      const how = { postcode: "postcode", address_point: "adres", street: "straat", venue: "plek",
        buurt_name: "buurtnaam", source_coordinates: "coördinaten" }[data.method] || data.method;
      say(q + " ligt in " + f.properties.name + " (gevonden via " + how + ", zekerheid " +
        Math.round((data.confidence || 0) * 100) + "%).", "found");
      searchResult.dataset.buurt = f.properties.code;
      const opened = select(f);
      /* on a narrow screen the panel is under the map: bring it into view */
      document.getElementById("panel").scrollIntoView({ block: "nearest" });
      await opened;
    } catch (err) {
      say("Zoeken lukte niet (" + err.message + ").", "error");
    }
  }

  searchForm.addEventListener("submit", (e) => {
    e.preventDefault();
    delete searchResult.dataset.buurt;
    locate(searchInput.value);
  });

  clearButton.addEventListener("click", () => { showCity(); });

  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(placeLabels, 150);
  });

  kindSelect.addEventListener("change", () => {
    recolour();
    if (selected) selected.dispatchEvent(new MouseEvent("click"));
    else showCity();
  });

  async function start() {
    const kind = params.get("kind");
    if (kind && [...kindSelect.options].some((o) => o.value === kind)) kindSelect.value = kind;
    try {
      const resp = await fetch("/buurten.geojson");
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      draw(await resp.json());
      statusEl.textContent = paths.size + " buurten";
      document.body.dataset.state = "ready";
    } catch (err) {
      statusEl.textContent = "Kaart kon niet laden (" + err.message + ")";
      document.body.dataset.state = "error";
      return;
    }
    const wanted = params.get("select");
    const query = params.get("q");
    if (wanted && paths.has(wanted)) {
      paths.get(wanted).dispatchEvent(new MouseEvent("click"));
    } else if (query) {
      searchInput.value = query;
      showCity();
      locate(query);
    } else {
      showCity();
    }
  }

  start();
})();
