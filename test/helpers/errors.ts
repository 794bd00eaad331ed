/** The `code` of the error `action` throws (a DraglineError's, a Node error's), or undefined if it throws none. */
export function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as {code?: string}).code;
  }
  return undefined;
}
