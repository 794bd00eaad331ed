/**
 * 1234567 → "1,234,567". Not toLocaleString: its first call maps ~6 MB of ICU data into the
 * process, a cost the peak RSS of a resumed crawl should not carry for a thousands separator.
 */
export function formatCount(value: number): string {
  const [whole, fraction] = String(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
