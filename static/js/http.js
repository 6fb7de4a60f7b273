// fetch with JSON both ways, the CSRF token, and one error type with a message a person can read.

export class RequestError extends Error {
  constructor(message, { status = 0, errors = null } = {}) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

function messageFor(status, data) {
  if (data?.errors) {
    return Object.values(data.errors).flat().join(" ");
  }
  if (status === 403) return "Your session has expired. Reload the page and log in again.";
  if (status === 404) return "That item no longer exists. The page now shows what is saved.";
  return "The server could not save your change. The page now shows what is saved; please try again.";
}

/**
 * Send `body` as JSON (GET when there is none) and return the JSON answer, or throw a RequestError.
 * `ifMatch`: the version the change was made against; the server answers 412 if it has changed since.
 */
export async function requestJSON(url, { method = "POST", body, ifMatch } = {}) {
  const headers = { Accept: "application/json" };
  if (ifMatch) headers["If-Match"] = ifMatch;
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new RequestError("Could not reach the server. Check your connection; the page shows what is saved.");
  }
  const isJSON = (response.headers.get("Content-Type") || "").includes("application/json");
  const data = isJSON ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    throw new RequestError(messageFor(response.status, data), { status: response.status, errors: data?.errors });
  }
  if (!isJSON) {
    // A login page after a redirect: the session has ended.
    throw new RequestError(messageFor(403, null), { status: response.status });
  }
  return data;
}
