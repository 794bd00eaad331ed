import {isTag, isText, type AnyNode, type Element} from 'domhandler';
import {DraglineError} from '../core/errors.js';
import type {Selector} from '../selector/index.js';

/** Which form of a page to submit, as the form* arguments of Scrapy's from_response. */
export interface FormChoice {
  formname?: string;
  formid?: string;
  /** Index among the page's forms (negative counts from the end); 0 unless told. */
  formnumber?: number;
  formxpath?: string;
  formcss?: string;
}

/** Which submit button counts as clicked: attributes it must have, or `nr`, its index among the form's input/select/textarea. */
export type ClickData = Record<string, string | number>;

/**
 * The form `choice` names on the page `root`, as Scrapy's _get_form: the first form with that name,
 * else with that id, else the form holding the first node of formxpath/formcss, else form number
 * `formnumber`. A name or id no form has falls through to the next way; the others are errors.
 */
export function pickForm(root: Selector, choice: FormChoice, page: string): Element {
  const forms = root.xpath('//form').map((form) => form.root as Element);
  if (forms.length === 0) throw new DraglineError('FORM_NOT_FOUND', `No <form> element found in ${page}`);
  const byName = choice.formname === undefined ? undefined : forms.find((form) => form.attribs.name === choice.formname);
  if (byName) return byName;
  const byId = choice.formid === undefined ? undefined : forms.find((form) => form.attribs.id === choice.formid);
  if (byId) return byId;
  if (choice.formxpath !== undefined || choice.formcss !== undefined) {
    // As Scrapy, which turns formcss into the formxpath it uses: formcss wins when both are given.
    const found = choice.formcss !== undefined ? root.css(choice.formcss)[0] : root.xpath(choice.formxpath!)[0];
    const form = found === undefined ? undefined : enclosingForm(found.root);
    if (form) return form;
    const query = choice.formcss !== undefined ? `formcss ${choice.formcss}` : `formxpath ${choice.formxpath}`;
    throw new DraglineError('FORM_NOT_FOUND', `No <form> element found with ${query} in ${page}`);
  }
  const number = choice.formnumber ?? 0;
  const form = Number.isInteger(number) ? forms.at(number) : undefined;
  if (form === undefined) throw new DraglineError('FORM_NOT_FOUND', `Form number ${number} not found in ${page} (it has ${forms.length} form${forms.length === 1 ? '' : 's'})`);
  return form;
}

function enclosingForm(node: unknown): Element | undefined {
  for (let at = node as AnyNode | null; at && typeof at === 'object'; at = at.parent) {
    if (isTag(at) && at.name === 'form') return at;
  }
  return undefined;
}

/**
 * The name/value pairs a browser submits for `form`, before the caller's own formdata, as Scrapy's
 * _get_inputs: text-like inputs (any type but submit, image and reset), checked checkboxes and
 * radios, textareas, each select's selected options (or its first option), and then the clicked
 * button. Unlike Scrapy 2.8, disabled controls are left out, as a browser leaves them out: everything
 * here behaves as if they were not on the page. Fields named in `replaced` are left out too, and
 * the clicked button when `click.replaced` names it.
 */
export function formFields(form: Element, replaced: ReadonlySet<string>, click: {dontClick: boolean; clickdata?: ClickData; replaced: ReadonlySet<string>}): Array<[string, string[]]> {
  const fields: Array<[string, string[]]> = [];
  for (const control of controlsOf(form)) {
    const field = controlValue(control);
    if (field && field[0] !== '' && !replaced.has(field[0])) fields.push(field);
  }
  if (!click.dontClick) {
    const clicked = clickedButton(form, click.clickdata);
    // As Scrapy, a button without a name submits nothing; one with an empty name does ("=value").
    if (clicked?.attribs.name !== undefined && !click.replaced.has(clicked.attribs.name)) fields.push([clicked.attribs.name, [clicked.attribs.value || '']]);
  }
  return fields;
}

/** The form's elements in document order, without disabled controls and what they hold. */
function* enabledDescendants(parent: Element): Generator<Element> {
  for (const child of parent.children) {
    if (!isTag(child) || isDisabled(child)) continue;
    yield child;
    yield* enabledDescendants(child);
  }
}

const TABLE_PARTS = new Set(['table', 'tbody', 'thead', 'tfoot', 'tr']);

/**
 * The elements of a form, in document order. Mostly its descendants; but HTML parsing puts a
 * `<form>` that opens between table rows (`<table><form><tr>…`) in the table as an empty element,
 * and the controls that follow still belong to it (a browser's "form owner"; libxml2, which Scrapy
 * uses, nests them in the form). For such a form: what follows it, up to the next form, in its row
 * when it opened in a row, else in its table (where the markup's `</form>` was is not in the tree).
 */
function* formElements(form: Element): Generator<Element> {
  const parent = form.parent;
  if (form.children.some(isTag) || !parent || !isTag(parent) || !TABLE_PARTS.has(parent.name)) {
    yield* enabledDescendants(form);
    return;
  }
  let scope: Element = parent;
  while (scope.name !== 'table' && scope.name !== 'tr' && scope.parent && isTag(scope.parent)) scope = scope.parent;
  let after = false;
  for (const element of enabledDescendants(scope)) {
    if (element === form) after = true;
    else if (after && element.name === 'form') return;
    else if (after) yield element;
  }
}

const CONTROLS = new Set(['input', 'select', 'textarea', 'button']);

/**
 * A control with the disabled attribute or inside a disabled fieldset (but not in that fieldset's
 * first legend), and a disabled option: the HTML standard's "disabled" that keeps them out of the
 * submitted data.
 */
function isDisabled(element: Element): boolean {
  if (element.name === 'option') return element.attribs.disabled !== undefined;
  if (!CONTROLS.has(element.name)) return false;
  if (element.attribs.disabled !== undefined) return true;
  let inside: Element = element;
  for (let at = element.parent; at && isTag(at); inside = at, at = at.parent) {
    if (at.name === 'fieldset' && at.attribs.disabled !== undefined && inside !== firstLegend(at)) return true;
  }
  return false;
}

function firstLegend(fieldset: Element): Element | undefined {
  return fieldset.children.find((child): child is Element => isTag(child) && child.name === 'legend');
}

/** Inputs that submit their value: not buttons; checkboxes and radios only when checked. */
function* controlsOf(form: Element): Generator<Element> {
  for (const element of formElements(form)) {
    if (element.name === 'textarea' || element.name === 'select') yield element;
    else if (element.name === 'input') {
      const type = element.attribs.type;
      if (type === undefined) yield element;
      else if (/^(?:submit|image|reset)$/i.test(type)) continue;
      else if (!/^(?:checkbox|radio)$/i.test(type) || element.attribs.checked !== undefined) yield element;
    }
  }
}

function controlValue(control: Element): [string, string[]] | undefined {
  const name = control.attribs.name;
  if (control.name === 'select') return selectValue(control, name);
  if (name === undefined) return undefined;
  if (control.name === 'textarea') return [name, [textOf(control)]];
  // lxml's InputElement.value: a checked box without a value (or with an empty one) submits "on".
  if (/^(?:checkbox|radio)$/i.test(control.attribs.type ?? '')) return [name, [control.attribs.value || 'on']];
  return [name, [control.attribs.value ?? '']];
}

/**
 * A select submits, as Scrapy with lxml reads it: with `multiple`, every selected option (value or
 * else text, trimmed); without, the last selected option, else the first, by its value or else its
 * trimmed text. A select without options submits nothing.
 */
function selectValue(select: Element, name: string | undefined): [string, string[]] | undefined {
  const options = [...enabledDescendants(select)].filter((element) => element.name === 'option');
  if (select.attribs.multiple !== undefined) {
    if (name === undefined) return undefined;
    return [name, options.filter(isSelected).map((option) => (option.attribs.value || optionText(option)).trim())];
  }
  const chosen = options.findLast(isSelected) ?? options[0];
  if (chosen === undefined || name === undefined) return undefined;
  return [name, [chosen.attribs.value ?? optionText(chosen).trim()]];
}

function isSelected(option: Element): boolean {
  return option.attribs.selected !== undefined;
}

/** The text before an option's first child element or comment (lxml's `.text`). */
function optionText(option: Element): string {
  let text = '';
  for (const child of option.children) {
    if (!isText(child)) break;
    text += child.data;
  }
  return text;
}

function textOf(element: Element): string {
  return element.children.map((child) => (isText(child) ? child.data : '')).join('');
}

/**
 * The submit control that counts as clicked, as Scrapy's _get_clickable: without clickdata the
 * first submit or image input or submit button; with `nr`, that input/select/textarea of the form
 * (when it exists); otherwise the one element of the form whose attributes equal every clickdata
 * entry. None when the form has no submit control at all.
 */
function clickedButton(form: Element, clickdata: ClickData | undefined): Element | undefined {
  const elements = [...formElements(form)];
  const clickables = elements.filter(isClickable);
  if (clickables.length === 0) return undefined;
  if (clickdata === undefined) return clickables[0];
  const nr = clickdata.nr;
  if (typeof nr === 'number' && Number.isInteger(nr)) {
    const byNumber = elements.filter((element) => element.name === 'input' || element.name === 'select' || element.name === 'textarea').at(nr);
    if (byNumber) return byNumber;
  }
  const entries = Object.entries(clickdata);
  const matches = elements.filter((element) => entries.every(([key, value]) => element.attribs[key] === String(value)));
  if (matches.length === 1) return matches[0];
  const described = JSON.stringify(clickdata);
  if (matches.length > 1) throw new DraglineError('FORM_CLICK_NOT_FOUND', `${matches.length} elements of the form match clickdata ${described}: add attributes (or nr) to pick one`);
  throw new DraglineError('FORM_CLICK_NOT_FOUND', `No element of the form matches clickdata ${described}`);
}

function isClickable(element: Element): boolean {
  const type = element.attribs.type;
  if (element.name === 'input') return type !== undefined && /^(?:submit|image)$/i.test(type);
  return element.name === 'button' && (type === undefined || /^submit$/i.test(type));
}
