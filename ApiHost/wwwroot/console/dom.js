// Building the page from data. Everything a person or a model wrote goes in as text nodes, never as markup:
// the console never sets an element's HTML from a string (a test checks the scripts for it).

/** An element with properties (textContent, className, hidden, dataset values via "data-…" keys) and children (nodes or text). */
export function el(tag, properties = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(properties)) {
    if (value === undefined || value === null) continue;
    if (name.startsWith("data-") || name.startsWith("aria-") || name === "role" || name === "for") {
      element.setAttribute(name, String(value));
    } else {
      element[name] = value;
    }
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}.`);
  return element;
}

export function show(element, visible) {
  element.hidden = !visible;
}

/** A date from a Unix time in seconds, in the reader's own format. */
export function when(seconds) {
  return new Date(seconds * 1000).toLocaleString();
}

export function number(value) {
  return Number(value).toLocaleString();
}
