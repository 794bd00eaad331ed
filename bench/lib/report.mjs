// Tables (Markdown) and ratios from the measured runs. With several rounds, each configuration is
// represented by its median run (by pages/s).

const MB = 2 ** 20;

function median(runs) {
  const sorted = [...runs].sort((a, b) => a.pagesPerSecond - b.pagesPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** One median run per (configuration, latency), in the order they were first run. */
export function medians(results) {
  const groups = new Map();
  for (const result of results) {
    const key = `${result.config}@${result.latencyMs}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(result);
  }
  return [...groups.values()].map((runs) => ({...median(runs), rounds: runs.length}));
}

export function comparisonTable(results, {pages}) {
  const header = '| crawler | persistence | latency | wall s | pages fetched | pages/s | CPU s | CPU ms/page | peak RSS MB | missed | fetched twice | items | load |';
  const rule = '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = medians(results).map((run) => {
    const status = run.timedOut ? ' (timed out)' : run.code !== 0 ? ` (exit ${run.code ?? run.signal})` : '';
    return `| ${run.config}${status} | ${run.persistence} | ${run.latencyMs} ms | ${run.wallSeconds.toFixed(1)} | ${run.served.fetched.toLocaleString('en-US')} / ${pages.toLocaleString('en-US')} | **${run.pagesPerSecond.toFixed(0)}** | ${run.cpuSeconds.toFixed(1)} | ${((1000 * run.cpuSeconds) / Math.max(1, run.served.fetched)).toFixed(2)} | ${(run.peakRssBytes / MB).toFixed(0)} | ${run.served.missed} | ${run.served.twice} | ${run.items.items.toLocaleString('en-US')} | ${run.load.toFixed(2)} |`;
  });
  return [header, rule, ...lines].join('\n');
}

function find(runs, config, latencyMs) {
  return runs.find((run) => run.config === config && run.latencyMs === latencyMs);
}

const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : 'n/a');

export function ratioLines(results, {concurrency}) {
  const runs = medians(results);
  const lines = ['Ratios (pages/s; CPU and RSS as peer ÷ dragline, so above 1× means dragline uses less):'];
  const latencies = [...new Set(runs.map((run) => run.latencyMs))];
  for (const latencyMs of latencies) {
    const dragline = find(runs, 'dragline', latencyMs);
    const memory = find(runs, 'dragline (memory)', latencyMs);
    if (dragline === undefined) continue;
    lines.push(`- ${latencyMs} ms latency:`);
    for (const [peer, mine] of [['Scrapy', dragline], ['Crawlee', dragline], ['Scrapy (memory)', memory], ['dragline (base)', dragline], ['dragline (base, memory)', memory]]) {
      const other = find(runs, peer, latencyMs);
      if (other === undefined || mine === undefined) continue;
      lines.push(`  - ${mine.config} vs ${peer}: pages/s ${ratio(mine.pagesPerSecond, other.pagesPerSecond)}, CPU ${ratio(other.cpuSeconds, mine.cpuSeconds)}, peak RSS ${ratio(other.peakRssBytes, mine.peakRssBytes)}`);
    }
    if (memory !== undefined) {
      const cost = 1 - dragline.pagesPerSecond / memory.pagesPerSecond;
      lines.push(`  - persistence cost: JOBDIR runs at ${(100 * dragline.pagesPerSecond / memory.pagesPerSecond).toFixed(0)}% of in-memory pages/s (cost ${(100 * cost).toFixed(0)}%), CPU ms/page ${((1000 * dragline.cpuSeconds) / dragline.served.fetched).toFixed(2)} vs ${((1000 * memory.cpuSeconds) / memory.served.fetched).toFixed(2)}`);
    }
    const bare = find(runs, 'bare HTTP client', latencyMs);
    if (bare !== undefined) {
      lines.push(`  - bare HTTP client (${concurrency} keep-alive connections, no parsing): ${bare.pagesPerSecond.toFixed(0)} pages/s; dragline reaches ${(100 * dragline.pagesPerSecond / bare.pagesPerSecond).toFixed(0)}% of it${memory === undefined ? '' : `, in memory ${(100 * memory.pagesPerSecond / bare.pagesPerSecond).toFixed(0)}%`}`);
    }
    if (latencyMs > 0) {
      const ceiling = concurrency / (latencyMs / 1000);
      const cores = dragline.cpuSeconds / dragline.wallSeconds;
      const bareShare = bare === undefined ? '' : `; the bare client reaches ${(100 * bare.pagesPerSecond / ceiling).toFixed(0)}% of it (the site's timer and the round trip add ${(1000 * concurrency / bare.pagesPerSecond - latencyMs).toFixed(1)} ms a request)`;
      lines.push(`  - concurrency ceiling ${concurrency} / ${latencyMs / 1000} s = ${ceiling.toFixed(0)} pages/s: dragline reaches ${(100 * dragline.pagesPerSecond / ceiling).toFixed(0)}% of it, using ${(100 * cores).toFixed(0)}% of one core${bareShare}`);
    }
  }
  return lines;
}

export function killTable(rows) {
  const header = '| crawler | killed at | first run s | rerun s | pages never fetched | pages fetched twice (extra fetches) | items | pages with an item | duplicate items | rerun peak RSS MB |';
  const rule = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map((row) => {
    const exit = row.resumedExit === 0 ? '' : ` (rerun: ${row.resumedExit})`;
    return `| ${row.config}${exit} | ${row.fetchedAtKill.toLocaleString('en-US')} pages${row.killed ? '' : ' (finished first)'} | ${row.firstSeconds.toFixed(1)} | ${row.resumedSeconds.toFixed(1)} | ${row.served.missed} (${(100 * row.served.missed / row.pages).toFixed(1)}%) | ${row.served.twice} (${row.served.extraFetches}) | ${row.items.items} | ${row.items.distinctPages} | ${row.items.items - row.items.distinctPages} | ${(row.resumedPeakRssBytes / MB).toFixed(0)} |`;
  });
  return [header, rule, ...lines].join('\n');
}
