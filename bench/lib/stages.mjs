// The stages of dragline's work on a page, for the real-pages benchmark's profile table: which
// profile frames belong to which stage, by the module (or package) their code lives in.
const STAGES = [
  ['idle', (area) => area === '(idle)'],
  ['garbage collection', (area) => area === '(garbage collector)'],
  // dragline's own modules by their path under src/ (moved out of src/core/ since this table was written).
  ['XPath', (area) => area === 'xpath' || /^dragline:selector\/xpath/.test(area)],
  ['CSS', (area) => area === 'css-select' || area === 'css-what' || /^dragline:selector\/css/.test(area)],
  ['link extraction', (area) => /^dragline:(linkextractors\/|spiders\/crawl-spider)/.test(area)],
  ['parse (HTML to tree)', (area) => /^parse5/.test(area) || area === 'htmlparser2' || area === 'domhandler' || /^dragline:selector\/(page-tree|html-document|xml-document)/.test(area)],
  ['commit (JOBDIR, feeds)', (area) => /^dragline:(persistence\/|extensions\/feedexport\/|core\/commit)/.test(area)],
  ['download (got, sockets)', (area) => area === 'got' || /^dragline:core\/downloader\//.test(area) || /^node:(net|_http|http|stream|internal\/stream)/.test(area)],
];

/** The stage a frame belongs to, or undefined to look further up its stack. */
export function stageOf(area) {
  for (const [stage, test] of STAGES) if (test(area)) return stage;
  return undefined;
}

/** A Markdown table of busy time by stage, as a share and in ms per page. */
export function stageTable(summary, pages) {
  const busy = summary.stages.filter(([stage]) => stage !== 'idle').reduce((sum, [, micros]) => sum + micros, 0);
  const lines = ['| stage | share of busy CPU | ms/page |', '|---|---:|---:|'];
  for (const [stage, micros] of summary.stages) {
    if (stage === 'idle') continue;
    lines.push(`| ${stage} | ${((100 * micros) / busy).toFixed(1)}% | ${(micros / 1000 / Math.max(1, pages)).toFixed(2)} |`);
  }
  return lines.join('\n');
}
