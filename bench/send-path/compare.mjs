#!/usr/bin/env node
// Prints the peer and the platform side by side from the reports of one run (a results folder
// written by ../send-path.sh): per offered rate, the median of the repetitions, and the range of
// p99 and CPU per message when there were several. Then where the CPU went, per process kind.
//   node compare.mjs results/<stamp>
// Given several folders (alternate.sh's turns, named <n>-<setting>), a row is a setting instead of
// a target: the runs of every turn of that setting together.
//   node compare.mjs results/alternate-<stamp>/*/
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const dirs = process.argv.slice(2);
if (!dirs.length) {
  console.error('usage: node compare.mjs <results folder> [more folders, one per turn of a setting]');
  process.exit(2);
}
const bySetting = dirs.length > 1;
const reports = dirs.flatMap((dir) => readdirSync(dir).filter((f) => /^(peer|platform)-r\d+-\d+\.json$/.test(f))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
  .map((r) => ({ ...r, label: bySetting ? basename(dir).replace(/^\d+-/, '') : r.target })));
const labels = bySetting ? [...new Set(reports.map((r) => r.label))] : ['peer', 'platform'];

const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const range = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length > 1 ? ` (${fmt(s[0])}–${fmt(s[s.length - 1])})` : '';
};
const fmt = (x) => (x == null ? '—' : x >= 100 ? Math.round(x).toLocaleString('en') : String(Math.round(x * 10) / 10));

/** A process's kind, from the generator's watch keys ("java:1234:8082", "mariadbd:99", "peer-47101"). */
function kind(key) {
  const [comm, , part] = key.split(':');
  if (comm !== 'java') return comm.startsWith('peer') ? 'peer (node)' : comm;
  const port = Number(part);
  if (port) {
    const services = { 8080: 'gateway', 8081: 'auth', 8082: 'chat', 8083: 'signaling', 8084: 'media', 8085: 'audit' };
    return services[port] ?? services[port - 10] ?? `java :${port}`;
  }
  return /kafka/i.test(part ?? '') ? 'kafka' : `java ${part ?? ''}`.trim();
}

const byRate = new Map();
for (const r of reports) {
  const key = r.config.rate;
  if (!byRate.has(key)) byRate.set(key, Object.fromEntries(labels.map((l) => [l, []])));
  byRate.get(key)[r.label].push(r);
}
const rates = [...byRate.keys()].sort((a, b) => a - b);

const cell = (runs) => {
  if (!runs.length) return ['—', '—', '—', '—', '—', '—', '—', '—'];
  const ok = runs.filter((r) => r.messages.unsent === 0 && r.deliveries.lost === 0 && r.messages.failed === 0
    && r.latencyMs.p99 <= 50).length;
  return [
    fmt(median(runs.map((r) => r.messages.acceptedPerSec))),
    fmt(median(runs.map((r) => r.latencyMs.p50))),
    fmt(median(runs.map((r) => r.latencyMs.p99))) + range(runs.map((r) => r.latencyMs.p99)),
    fmt(median(runs.map((r) => r.latencyMs.p999))),
    `${runs.reduce((a, r) => a + r.deliveries.lost, 0)} / ${runs.reduce((a, r) => a + r.deliveries.duplicates, 0)}`,
    fmt(median(runs.map((r) => r.cpu.watchedMsPerMessage))) + range(runs.map((r) => r.cpu.watchedMsPerMessage)),
    fmt(median(runs.map((r) => r.cpu.systemBusyPct))) + ' %',
    `${ok}/${runs.length}`,
  ];
};

console.log(`| offered msg/s | ${bySetting ? 'setting' : 'target'} | accepted/s | p50 ms | p99 ms | p99.9 ms | lost / dup | CPU-ms/msg | box busy | runs within p99 ≤ 50 ms, nothing lost or refused |`);
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const rate of rates) {
  for (const target of labels) {
    const runs = byRate.get(rate)[target];
    if (runs.length) console.log(`| ${rate.toLocaleString('en')} | ${target} | ${cell(runs).join(' | ')} |`);
  }
}

// Where the CPU went: % of one core per process kind, median over the repetitions, per rate.
console.log('\nCPU per process kind, % of one core (median of the repetitions; generator = the load generator):');
for (const target of labels) {
  for (const rate of rates) {
    const runs = byRate.get(rate)[target];
    if (!runs.length) continue;
    const kinds = new Map();
    for (const [i, r] of runs.entries()) {
      for (const [key, pct] of Object.entries(r.cpu.procsPctOfOneCore)) {
        const k = kind(key);
        if (!kinds.has(k)) kinds.set(k, runs.map(() => 0));
        kinds.get(k)[i] += pct;
      }
    }
    const parts = [...kinds.entries()].map(([k, v]) => [k, median(v)]).filter(([, v]) => v >= 0.5)
      .sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmt(v)}`);
    parts.push(`generator ${fmt(median(runs.map((r) => r.cpu.generatorPctOfOneCore)))}`);
    console.log(`- ${target} @ ${rate}/s: ${parts.join(', ')}`);
  }
}
