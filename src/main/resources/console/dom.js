// Building the page safely: data from the API only ever enters the DOM as text nodes or as
// attribute values set with setAttribute, never as markup.

export const $ = (id) => document.getElementById(id);

/** A new element: attribute names are literals from this code, values and children may be data. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (/^on/i.test(name)) throw new Error(`Refusing event attribute ${name}`);
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

const PRIORITIES = new Set(['P1', 'P2', 'P3']);

/** Makes node a priority badge: the colour comes with the label, never alone. */
export function setBadge(node, priority) {
  const known = PRIORITIES.has(priority) ? priority : 'P3';
  node.className = `badge badge-${known.toLowerCase()}`;
  node.textContent = String(priority ?? '');
  return node;
}

export const badge = (priority) => setBadge(el('span'), priority);
