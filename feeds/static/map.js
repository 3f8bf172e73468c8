/* The map page: buurt polygons from /buurten.geojson drawn as an SVG choropleth (own projection,
 * no libraries), hover shows name and count, click lists the buurt's items with a link to every
 * source, a kind filter. Data is only ever inserted with textContent / setAttribute, never as HTML;
 * links are kept only for http(s) URLs. `?select=BU...` acts exactly like a click on that buurt,
 * `?kind=event` sets the filter (used by the end-to-end test and for sharing a view). */
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const W = 1000;
  const PALETTE = ["#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#2b8cbe", "#045a8d"];
  const KIND_LABEL = { event: "activiteit", vacancy: "vrijwilligerswerk", participation: "participatie",
    network: "buurtnetwerk", initiative: "initiatief", news: "nieuws" };
  const svg = document.getElementById("map");
  const tooltip = document.getElementById("tooltip");
  const kindSelect = document.getElementById("kind");
  const statusEl = document.getElementById("status");
  const params = new URLSearchParams(window.location.search);
  const paths = new Map();
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
    const project = projection(features);
    svg.replaceChildren();
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
      svg.append(p);
      paths.set(f.properties.code, p);
    }
    svg.dataset.buurten = String(paths.size);
    recolour();
  }

  function itemNode(item) {
    const li = el("li", { "data-id": String(item.id) });
    const url = httpUrl(item.url);
    const title = item.title || "(zonder titel)";
    li.append(url ? el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank" }, title) : el("strong", {}, title));
    const meta = [KIND_LABEL[item.kind] || item.kind];
    if (item.starts_at) meta.push(new Date(item.starts_at).toLocaleString("nl-NL", { timeZone: "Europe/Amsterdam" }));
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

  async function select(f) {
    const code = f.properties.code;
    if (selected) selected.classList.remove("selected");
    selected = paths.get(code);
    selected.classList.add("selected");
    svg.append(selected); /* on top, so its outline is not hidden by neighbours */
    const list = document.getElementById("items");
    const panel = document.getElementById("panel");
    panel.dataset.buurt = code;
    panel.dataset.state = "loading";
    document.getElementById("panel-title").textContent = f.properties.name;
    document.getElementById("panel-info").textContent = "laden…";
    list.replaceChildren();
    const q = new URLSearchParams({ limit: "200" });
    if (kindSelect.value) q.set("kind", kindSelect.value);
    try {
      const resp = await fetch("/buurten/" + encodeURIComponent(code) + "/items?" + q.toString());
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      const data = await resp.json();
      if (panel.dataset.buurt !== code) return;
      for (const item of data.items) list.append(itemNode(item));
      document.getElementById("panel-info").textContent =
        data.items.length ? data.items.length + (data.next ? "+" : "") + " items" : "Nog niets in deze buurt.";
      panel.dataset.state = "loaded";
    } catch (err) {
      document.getElementById("panel-info").textContent = "Kon de items niet laden (" + err.message + ").";
      panel.dataset.state = "error";
    }
  }

  kindSelect.addEventListener("change", () => {
    recolour();
    if (selected) selected.dispatchEvent(new MouseEvent("click"));
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
    if (wanted && paths.has(wanted)) paths.get(wanted).dispatchEvent(new MouseEvent("click"));
  }

  start();
})();
