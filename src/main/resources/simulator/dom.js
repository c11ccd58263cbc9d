// Building the page safely: data from the server only ever enters the DOM as text nodes or as
// attribute values set with setAttribute, never as markup. (Copied from the duty console.)

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
