// depeche web page: plain JS, no build step, no external resources.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const form = $("search-form"), results = $("results"), status = $("status"), more = $("more");
  let nextCursor = null;

  const keyInput = $("apikey");
  keyInput.value = localStorage.getItem("depeche-api-key") || "";
  keyInput.addEventListener("change", () => localStorage.setItem("depeche-api-key", keyInput.value));

  async function api(path, params) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params || {})) if (v !== "" && v != null) url.searchParams.set(k, v);
    const headers = keyInput.value ? { "X-API-Key": keyInput.value } : {};
    const response = await fetch(url, { headers });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) throw new Error((body && body.error) || `HTTP ${response.status}`);
    return body;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  // Highlights come from Elasticsearch with encoder=html: the text is escaped, only <mark> is markup.
  function highlighted(html) {
    const span = el("span");
    span.innerHTML = html;
    return span;
  }

  function when(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString();
  }

  function params() {
    const data = Object.fromEntries(new FormData(form).entries());
    delete data.mode;
    if (data.q !== undefined) { data.q = data.q.trim(); }
    return data;
  }

  function renderArticle(hit) {
    const title = el("a", { class: "title", href: hit.url, target: "_blank", rel: "noopener noreferrer" });
    if (hit.highlights.title) title.append(highlighted(hit.highlights.title[0])); else title.textContent = hit.title || hit.url;
    const meta = el("div", { class: "meta", text: [when(hit.published_at || hit.first_seen_at), hit.feed_name || hit.feed_id, hit.language].filter(Boolean).join(" · ") });
    const item = el("li", { class: "result", "data-id": hit.id }, title, meta);
    const snippets = hit.highlights.text || hit.highlights.summary;
    if (snippets) for (const s of snippets) item.append(el("p", { class: "snippet" }, "… ", highlighted(s), " …"));
    else if (hit.summary) item.append(el("p", { class: "snippet", text: hit.summary.slice(0, 300) }));
    if (hit.entities && hit.entities.length) {
      const chips = el("div", { class: "chips" });
      const sorted = [...hit.entities].sort((a, b) => b.count - a.count).slice(0, 12);
      for (const e of sorted) {
        const chip = el("span", { class: `chip ${e.label}`, title: `${e.label}, ${e.count} mention(s)`, text: e.text });
        chip.addEventListener("click", () => { $("entity").value = e.text; run(); });
        chips.append(chip);
      }
      item.append(chips);
    }
    if (hit.quotes && hit.quotes.length) {
      const list = el("ul", { class: "quotes" });
      for (const q of hit.quotes.slice(0, 6)) {
        list.append(el("li", {}, el("span", { text: `« ${q.text} »` }), " ", el("span", { class: "who", text: `— ${q.speaker || "unknown"}` })));
      }
      item.append(list);
    }
    return item;
  }

  function renderQuote(hit) {
    const link = el("a", { class: "title", href: hit.url, target: "_blank", rel: "noopener noreferrer", text: hit.title || hit.url });
    return el("li", { class: "result quote", "data-id": hit.article_id },
      el("p", { class: "snippet", text: `« ${hit.text} »` }),
      el("div", { class: "meta", text: `— ${hit.speaker || "unknown speaker"} · ${when(hit.published_at)}` }),
      link);
  }

  async function run(append) {
    const mode = $("mode").value;
    const query = params();
    if (append && nextCursor) query.after = nextCursor;
    status.className = ""; status.textContent = "Searching…";
    try {
      const data = await api(mode === "quotes" ? "/quotes" : "/search", query);
      if (!append) results.replaceChildren();
      for (const hit of data.hits) results.append(mode === "quotes" ? renderQuote(hit) : renderArticle(hit));
      status.textContent = `${data.total} ${mode === "quotes" ? "quotation" : "article"}${data.total === 1 ? "" : "s"}`;
      nextCursor = data.next || null;
      more.hidden = !nextCursor;
    } catch (err) {
      status.className = "error"; status.textContent = err.message;
      if (!append) results.replaceChildren();
      more.hidden = true;
    }
  }

  // --- top entities chart: horizontal bars plus an hourly sparkline, drawn as inline SVG ---
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  }

  async function chart() {
    const box = $("chart");
    try {
      const data = await api("/entities/top", { hours: $("trend-hours").value, size: 10 });
      const rows = data.entities;
      if (!rows.length) { box.textContent = "Nothing indexed in this window yet."; return; }
      const width = 300, rowH = 24, labelW = 110, sparkW = 60, barMax = width - labelW - sparkW - 30;
      const max = Math.max(...rows.map((r) => r.count));
      const root = svg("svg", { viewBox: `0 0 ${width} ${rows.length * rowH}`, role: "img" });
      rows.forEach((r, i) => {
        const y = i * rowH;
        const g = svg("g", { class: "row" });
        const name = svg("text", { x: 0, y: y + 15 });
        name.textContent = r.text.length > 17 ? r.text.slice(0, 16) + "…" : r.text;
        const title = svg("title", {}); title.textContent = `${r.text} (${r.label}): ${r.count} article(s)`;
        const w = Math.max(2, (r.count / max) * barMax);
        const bar = svg("rect", { class: `bar ${r.label}`, x: labelW, y: y + 5, width: w, height: 13, rx: 2 });
        const count = svg("text", { x: labelW + w + 4, y: y + 15 }); count.textContent = r.count;
        g.append(title, name, bar, count);
        const series = r.series.map((p) => p[1]);
        if (series.length > 1) {
          const top = Math.max(1, ...series), x0 = width - sparkW;
          const points = series.map((v, j) => `${(x0 + (j / (series.length - 1)) * sparkW).toFixed(1)},${(y + 19 - (v / top) * 14).toFixed(1)}`);
          g.append(svg("polyline", { class: "spark", points: points.join(" ") }));
        }
        g.addEventListener("click", () => { $("entity").value = r.text; run(); });
        root.append(g);
      });
      box.replaceChildren(root);
    } catch (err) {
      box.textContent = `Chart unavailable: ${err.message}`;
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); run(false); });
  more.addEventListener("click", () => run(true));
  $("trend-hours").addEventListener("change", chart);
  chart();
  setInterval(chart, 60000);
})();
