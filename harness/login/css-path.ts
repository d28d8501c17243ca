import type { AnyNode, Element } from 'domhandler';

/**
 * A CSS selector that picks exactly `el` in the document it came from, by element position
 * (`html > body:nth-child(2) > form:nth-child(1) > …`). The browser login driver analyses the
 * serialised DOM with the same heuristics as the HTTP walker and acts on the live page
 * through these paths.
 */
export function cssPath(el: Element): string {
  const parts: string[] = [];
  let node: Element | null = el;
  while (node) {
    const parent: AnyNode | null = node.parent;
    if (!parent || !isElement(parent)) {
      parts.unshift(node.tagName);
      break;
    }
    const siblings = parent.children.filter(isElement);
    parts.unshift(`${node.tagName}:nth-child(${siblings.indexOf(node) + 1})`);
    node = parent;
  }
  return parts.join(' > ');
}

function isElement(node: AnyNode): node is Element {
  return 'tagName' in node;
}
