// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by module, so the
// profile can be read in a terminal and pasted into docs/performance.md.
import {readFileSync} from 'node:fs';

/** Where a frame's code lives: a package, a dragline source file, a node internal, or a V8 pseudo-frame. */
export function areaOf(url, functionName) {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const mine = /\/(dist|src)\/(.+?)\.(?:js|ts|mjs)$/.exec(url);
  if (mine) return `dragline:${mine[2]}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

/**
 * Self time by function and area, and by nearest dragline frame; with `stageOf(area, functionName)`,
 * also by stage: each sample is charged to the innermost frame on its stack that `stageOf` names.
 */
export function summarise(path, stageOf) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map();
  const { samples, timeDeltas } = profile;
  for (let index = 0; index < samples.length; index++) {
    const delta = timeDeltas[index + 1] ?? 0;
    selfMicros.set(samples[index], (selfMicros.get(samples[index]) ?? 0) + Math.max(0, delta));
  }
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const functions = new Map();
  const areas = new Map();
  // Each sample charged to the nearest dragline frame on its stack: what a dragline function costs with the libraries it calls.
  const draglineFrames = new Map();
  const stages = new Map();
  let total = 0;
  for (const [id, micros] of selfMicros) {
    const {functionName, url, lineNumber} = byId.get(id).callFrame;
    const name = functionName || '(anonymous)';
    const area = areaOf(url, name);
    const key = `${name} ${area}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + micros);
    areas.set(area, (areas.get(area) ?? 0) + micros);
    total += micros;
    if (stageOf !== undefined) {
      let stage;
      for (let frame = id; frame !== undefined && stage === undefined; frame = parentOf.get(frame)) {
        const call = byId.get(frame).callFrame;
        stage = stageOf(areaOf(call.url, call.functionName), call.functionName);
      }
      stage ??= 'other';
      stages.set(stage, (stages.get(stage) ?? 0) + micros);
    }
    let frame = id;
    while (frame !== undefined) {
      const call = byId.get(frame).callFrame;
      const frameArea = areaOf(call.url, call.functionName);
      if (frameArea.startsWith('dragline:')) {
        const owner = `${call.functionName || '(anonymous)'} ${frameArea}:${call.lineNumber + 1}`;
        draglineFrames.set(owner, (draglineFrames.get(owner) ?? 0) + micros);
        break;
      }
      frame = parentOf.get(frame);
    }
  }
  const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  const idle = areas.get('(idle)') ?? 0;
  return {totalMs: total / 1000, idleMs: idle / 1000, functions: sorted(functions), areas: sorted(areas), draglineFrames: sorted(draglineFrames), stages: sorted(stages)};
}

/** Markdown tables of the top entries, as a share of the busy (non-idle) time. */
export function formatSummary(summary, top = 25) {
  const busy = (summary.totalMs - summary.idleMs) * 1000;
  const pct = (micros) => `${((100 * micros) / busy).toFixed(1)}%`;
  const lines = [`Sampled ${(summary.totalMs / 1000).toFixed(1)} s, of which idle ${(summary.idleMs / 1000).toFixed(1)} s; shares below are of the busy ${(busy / 1e6).toFixed(1)} s.`, ''];
  lines.push('| self time | area (package or file) |', '|---:|---|');
  for (const [area, micros] of summary.areas.filter(([area]) => area !== '(idle)').slice(0, top)) lines.push(`| ${pct(micros)} | ${area} |`);
  lines.push('', '| self time | function (area:line) |', '|---:|---|');
  for (const [name, micros] of summary.functions.filter(([name]) => !name.startsWith('(idle)')).slice(0, top)) lines.push(`| ${pct(micros)} | \`${name}\` |`);
  lines.push('', '| self + library callees | nearest dragline function (area:line) |', '|---:|---|');
  for (const [name, micros] of summary.draglineFrames.slice(0, top)) lines.push(`| ${pct(micros)} | \`${name}\` |`);
  return lines.join('\n');
}
