import {SelectorType, type Selector as CssToken} from 'css-what';
import type {Element} from 'domhandler';
import {localPart} from './xml-document.js';

/**
 * CSS type selectors on XML pages, as cssselect's translation to XPath makes them in parsel: `entry`
 * matches only an `entry` in no namespace (so nothing in an Atom feed, as `//entry`), `atom|entry` one
 * in the namespace the page registered for `atom`, `*|entry` one in any namespace, `|entry` one in
 * none; `dc\:creator` (an escaped colon) still matches the name as written. css-select has no
 * namespaces, so those selectors become a private pseudo-class that checks the element's.
 */
const PSEUDO = 'dragline-xml-name';

export const XML_NAME_PSEUDOS = {
  [PSEUDO]: (element: Element, data?: string | null): boolean => {
    const [namespace, name] = JSON.parse(data ?? '[]') as [string | null, string];
    if (namespace !== '*' && (element.namespace ?? '') !== namespace) return false;
    return name === '*' || localPart(element.name) === name;
  },
};

/** Rewrites one comma group's type selectors (and those inside :not(), :has(), :is()) in place. */
export function namespaceTypeSelectors(group: CssToken[], namespaces: Record<string, string>): void {
  group.forEach((token, index) => {
    if (token.type === SelectorType.Pseudo && Array.isArray(token.data)) {
      for (const inner of token.data) namespaceTypeSelectors(inner, namespaces);
      return;
    }
    if (token.type !== SelectorType.Tag && token.type !== SelectorType.Universal) return;
    const prefix = token.namespace;
    const name = token.type === SelectorType.Tag ? token.name : '*';
    if (prefix === null && (name === '*' || name.includes(':'))) return;
    if (prefix === '*' && name === '*') {
      group[index] = {type: SelectorType.Universal, namespace: null};
      return;
    }
    let namespace: string;
    if (prefix === null || prefix === '') namespace = '';
    else if (prefix === '*') namespace = '*';
    else if (namespaces[prefix] !== undefined) namespace = namespaces[prefix];
    else throw new Error(`the namespace prefix "${prefix}" is not registered (selector.registerNamespace('${prefix}', uri))`);
    group[index] = {type: SelectorType.Pseudo, name: PSEUDO, data: JSON.stringify([namespace, name])};
  });
}
