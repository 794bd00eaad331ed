const HTML5_WHITESPACE_AT_ENDS = /^[ \t\n\f\r]+|[ \t\n\f\r]+$/g;

/**
 * w3lib's `strip_html5_whitespace`: the HTML standard's space characters (space, tab, LF, FF, CR)
 * removed at both ends, not every Unicode space as `trim()` would.
 */
export function stripHtml5Whitespace(text: string): string {
  return text.replace(HTML5_WHITESPACE_AT_ENDS, '');
}
