"use strict";
// The web chat page. Text is always inserted with textContent, never as HTML.
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("ask");
  const input = document.getElementById("message");
  const button = document.getElementById("send");
  const keyForm = document.getElementById("key");
  const keyInput = document.getElementById("api-key");
  let sessionId = sessionStorage.getItem("xin-session") || null;
  let apiKey = sessionStorage.getItem("xin-api-key") || null;
  let waitingForKey = null; // resolves once the user has entered a key

  class NeedsKey extends Error {}

  // Outside development the server requires a credential: ask for an API key once per tab.
  function askForKey() {
    keyForm.hidden = false;
    keyInput.focus();
    return new Promise(function (resolve) { waitingForKey = resolve; });
  }

  keyForm.addEventListener("submit", function (event) {
    event.preventDefault();
    const value = keyInput.value.trim();
    if (!value) return;
    apiKey = value;
    sessionStorage.setItem("xin-api-key", value);
    keyInput.value = "";
    keyForm.hidden = true;
    if (waitingForKey) { waitingForKey(); waitingForKey = null; }
  });

  function add(role, text) {
    const item = document.createElement("li");
    item.className = "turn " + role;
    const body = document.createElement("p");
    body.className = "text";
    body.dir = "auto";
    body.textContent = text;
    item.appendChild(body);
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function addCitations(item, citations) {
    if (!citations || citations.length === 0) return;
    const list = document.createElement("ol");
    list.className = "citations";
    for (const c of citations) {
      const entry = document.createElement("li");
      entry.dir = "auto";
      entry.value = c.index;
      const title = document.createElement("strong");
      title.textContent = c.title || c.document_id;
      entry.appendChild(title);
      const where = document.createElement("span");
      where.className = "where";
      where.textContent = " — " + c.source + (c.location ? " · " + c.location : "");
      entry.appendChild(where);
      const snippet = document.createElement("q");
      snippet.textContent = c.snippet;
      entry.appendChild(snippet);
      list.appendChild(entry);
    }
    item.appendChild(list);
  }

  async function post(message) {
    const payload = { message: message };
    if (sessionId) payload.session_id = sessionId;
    const headers = { "content-type": "application/json" };
    if (apiKey) headers["x-api-key"] = apiKey;
    const response = await fetch("/chat", {
      method: "POST",
      headers: headers,
      body: JSON.stringify(payload),
    });
    const data = await response.json();
    if (response.status === 401) {
      apiKey = null;
      sessionStorage.removeItem("xin-api-key");
      throw new NeedsKey(data && data.error ? data.error.message : "API key required");
    }
    return { response: response, data: data };
  }

  async function ask(message) {
    let result;
    try {
      result = await post(message);
    } catch (err) {
      if (!(err instanceof NeedsKey)) throw err;
      await askForKey();
      result = await post(message);
    }
    const response = result.response;
    const data = result.data;
    if (!response.ok) {
      const error = data && data.error ? data.error : { message: response.statusText };
      throw new Error(error.message + (error.request_id ? " (request " + error.request_id + ")" : ""));
    }
    sessionId = data.session_id;
    sessionStorage.setItem("xin-session", sessionId);
    return data;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const message = input.value.trim();
    if (!message) return;
    add("user", message);
    input.value = "";
    button.disabled = true;
    const pending = add("assistant pending", "…");
    try {
      const data = await ask(message);
      pending.remove();
      const item = add("assistant", data.answer);
      item.dataset.language = data.language;
      addCitations(item, data.citations);
    } catch (err) {
      pending.remove();
      add("error", err.message);
    } finally {
      button.disabled = false;
      input.focus();
    }
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
