export {Selector, type SelectorInit} from './selector.js';
export {SelectorList} from './selector-list.js';
export type {RegexInput, RegexOptions} from './regex.js';
export type {TargetKind} from './target.js';
export type {XPathOptions} from './xpath-query.js';
export type {PageTree} from './page-tree.js';
