// The minutes web page: upload, live list, one meeting with its player, search.
"use strict";

const $ = (id) => document.getElementById(id);
const COLOURS = ["#2563eb", "#db2777", "#059669", "#d97706", "#7c3aed", "#0891b2", "#dc2626", "#4d7c0f"];
const streams = new Map();
let current = null;

function key() { return localStorage.getItem("minutes-key") || ""; }

async function api(path, options = {}) {
  const headers = { Authorization: `Bearer ${key()}`, ...(options.headers || {}) };
  const response = await fetch(path, { ...options, headers });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(typeof body.detail === "string" ? body.detail : `HTTP ${response.status}`);
  }
  return response;
}

function clock(seconds) {
  const s = Math.floor(seconds);
  return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, "0")).join(":");
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value; else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// Server-Sent Events over fetch, so the API key travels in a header.
async function follow(id, onChange) {
  if (streams.has(id)) return;
  const controller = new AbortController();
  streams.set(id, controller);
  try {
    const response = await api(`/meetings/${id}/events`, { signal: controller.signal });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut;
      while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, "");
        const data = block.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
        if (data) onChange(JSON.parse(data));
      }
    }
  } catch (error) {
    if (error.name !== "AbortError") console.warn("events", error);
  } finally {
    streams.delete(id);
  }
}

function renderItem(item, meeting) {
  item.replaceChildren(
    el("div", {}, meeting.title || meeting.id.slice(0, 8)),
    el("div", { class: `status ${meeting.status}` },
      meeting.status === "processing" ? `${meeting.stage} · ${Math.round(meeting.progress)}%` : meeting.status,
      meeting.error_message ? ` — ${meeting.error_message}` : ""),
    el("div", { class: "bar" }, Object.assign(el("span"), { style: `width:${meeting.progress}%` })),
  );
  item.dataset.status = meeting.status;
}

async function loadList() {
  if (!key()) return;
  const meetings = await (await api("/meetings?limit=100")).json();
  const list = $("meetings");
  list.replaceChildren();
  for (const meeting of meetings) {
    const item = el("li", { "data-id": meeting.id });
    renderItem(item, meeting);
    item.addEventListener("click", () => openMeeting(meeting.id));
    list.append(item);
    if (meeting.status === "pending" || meeting.status === "processing") watch(meeting);
  }
}

function watch(meeting) {
  follow(meeting.id, (change) => {
    const item = document.querySelector(`#meetings li[data-id="${meeting.id}"]`);
    Object.assign(meeting, change);
    if (item) renderItem(item, meeting);
    if (change.status === "completed" && current === meeting.id) openMeeting(meeting.id);
  });
}

async function upload(file) {
  const form = new FormData();
  form.append("file", file);
  form.append("options", JSON.stringify({ title: file.name.replace(/\.[^.]+$/, "") }));
  $("upload-status").textContent = `Uploading ${file.name}…`;
  try {
    const created = await (await api("/meetings", { method: "POST", body: form })).json();
    $("upload-status").textContent = `Uploaded ${file.name}`;
    await loadList();
    openMeeting(created.meeting.id);
  } catch (error) {
    $("upload-status").textContent = `Upload failed: ${error.message}`;
  }
}

function speakerColour(label, labels) {
  if (!labels.includes(label)) labels.push(label);
  return COLOURS[labels.indexOf(label) % COLOURS.length];
}

function listInto(id, items, render) {
  $(id).replaceChildren(...(items.length ? items.map((item) => el("li", {}, render(item))) : [el("li", { class: "muted" }, "None")]));
}

async function openMeeting(id, at = null) {
  current = id;
  document.querySelectorAll("#meetings li").forEach((li) => li.classList.toggle("active", li.dataset.id === id));
  $("results").hidden = true;
  $("empty").hidden = true;
  $("meeting").hidden = false;
  const meeting = await (await api(`/meetings/${id}`)).json();
  $("title").textContent = meeting.title || "Meeting";
  $("facts").textContent = [meeting.status, meeting.duration_seconds ? clock(meeting.duration_seconds) : "", meeting.language || ""].filter(Boolean).join(" · ");
  const transcript = await (await api(`/meetings/${id}/transcript?format=json`)).json();
  const labels = [];
  $("transcript").replaceChildren(...transcript.segments.map((segment) => {
    const line = el("div", { class: "line", "data-start": segment.start },
      el("time", {}, clock(segment.start)),
      el("span", {}, el("span", { class: "who", style: `color:${speakerColour(segment.speaker_label || "?", labels)}` }, segment.speaker || ""), segment.text));
    line.addEventListener("click", () => play(segment.start));
    return line;
  }));
  const player = $("player");
  if (meeting.status !== "pending" && meeting.duration_seconds) {
    const { url } = await (await api(`/meetings/${id}/audio-link`)).json();
    if (player.dataset.id !== id) { player.src = url; player.dataset.id = id; }
  }
  const summary = transcript.summary;
  $("summary").textContent = summary ? summary.summary : "Not yet.";
  listInto("actions", summary ? summary.action_items : [], (a) => `${a.text}${a.owner ? ` — ${a.owner}` : ""}${a.due ? ` (${a.due})` : ""}`);
  listInto("decisions", summary ? summary.decisions : [], (d) => d.text);
  listInto("topics", summary ? summary.topics : [], (t) => t);
  const voices = await (await api(`/meetings/${id}/speakers`)).json();
  listInto("speakers", voices, (voice) => {
    const rename = el("button", { class: "small", type: "button" }, "Rename");
    rename.addEventListener("click", async () => {
      const name = prompt(`Who is ${voice.name || voice.label}?`, voice.name || "");
      if (!name) return;
      await api(`/meetings/${id}/speakers/${encodeURIComponent(voice.label)}`, {
        method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name }),
      });
      openMeeting(id);
    });
    return el("span", {}, el("span", { class: "who", style: `color:${speakerColour(voice.label, labels)}` }, voice.name || voice.label), ` ${clock(voice.seconds || 0)} `, rename);
  });
  const analysis = transcript.analysis;
  $("mood").textContent = analysis ? `${analysis.mood.mood} (liveliness ${analysis.mood.arousal.toFixed(2)}, words ${analysis.mood.valence >= 0 ? "+" : ""}${analysis.mood.valence.toFixed(2)})` : "";
  listInto("sounds", transcript.sound_events, (s) => `${clock(s.start)} ${s.label} (${s.score.toFixed(2)})`);
  if (at !== null) play(at);
}

function play(seconds) {
  const player = $("player");
  player.currentTime = seconds;
  player.play().catch(() => {});
}

$("player").addEventListener("timeupdate", () => {
  const now = $("player").currentTime;
  let playing = null;
  document.querySelectorAll("#transcript .line").forEach((line) => {
    if (Number(line.dataset.start) <= now) playing = line;
    line.classList.remove("playing");
  });
  if (playing) playing.classList.add("playing");
});

$("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const q = $("search").value.trim();
  if (!q) return;
  const hits = await (await api(`/search?q=${encodeURIComponent(q)}`)).json();
  $("meeting").hidden = true;
  $("empty").hidden = true;
  $("results").hidden = false;
  $("results").replaceChildren(el("h2", {}, `Results for “${q}”`), ...(hits.length ? hits.map((hit) => {
    const row = el("div", { class: "hit" },
      el("div", { class: "muted" }, `${hit.title || hit.meeting_id.slice(0, 8)} · ${clock(hit.start)} · ${hit.section || hit.speaker || ""}`),
      el("div", {}, hit.text));
    row.addEventListener("click", () => openMeeting(hit.meeting_id, hit.start));
    return row;
  }) : [el("p", { class: "muted" }, "Nothing found.")]));
});

$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  localStorage.setItem("minutes-key", $("api-key").value.trim());
  $("api-key").value = "";
  loadList().catch((error) => { $("upload-status").textContent = error.message; });
});

const drop = $("drop");
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  for (const file of event.dataTransfer.files) upload(file);
});
$("file").addEventListener("change", () => { for (const file of $("file").files) upload(file); });

loadList().catch((error) => { $("upload-status").textContent = error.message; });
