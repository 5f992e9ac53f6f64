#!/usr/bin/env node
// Open-loop fan-out load generator. One process drives either target through an adapter
// (targets/<name>.mjs: setup, connect, send, pids, close); everything that measures lives here.
//
// N clients, R rooms, m = N/R members per room. Message k goes to room k % R, sent over REST by member
// (k / R) % m of that room, at the intended time t0 + k/rate (open loop: a late send keeps its intended
// time, so backlog shows up as latency). Its body carries k and the intended send time; each of the
// other m-1 members records latency = receive time - intended send time (the sender's own copy is ignored).
import { parseArgs } from 'node:util';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { mapLimit, sleep } from './targets/util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const USAGE = `usage: node fanout.mjs [--target peer|platform] [--clients 1000] [--rooms 100] [--rate 500]
  [--duration 30] [--warmup 5] [--max-inflight 256] [--max-lag 1] [--body-bytes 80] [--drain 10]
  [--connect-concurrency 100] [--urls http://h:p,...] [--auth-url http://h:p]
  [--watch auto|none|name=pid,...] [--out file.json] [--label text] [--series seconds]
  [--since epoch-seconds]`;

const { values: o } = parseArgs({
  options: {
    target: { type: 'string', default: 'peer' },
    clients: { type: 'string', default: '1000' },
    rooms: { type: 'string', default: '100' },
    rate: { type: 'string', default: '500' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    'max-inflight': { type: 'string', default: '256' },
    'max-lag': { type: 'string', default: '1' },
    'body-bytes': { type: 'string', default: '80' },
    drain: { type: 'string', default: '10' },
    'connect-concurrency': { type: 'string', default: '100' },
    urls: { type: 'string' },
    'auth-url': { type: 'string' },
    watch: { type: 'string', default: 'auto' },
    out: { type: 'string' },
    label: { type: 'string' },
    series: { type: 'string', default: '0' },
    since: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (o.help) { console.log(USAGE); process.exit(0); }

const N = +o.clients, R = +o.rooms, RATE = +o.rate, DURATION = +o.duration, WARMUP = +o.warmup;
const MAX_INFLIGHT = +o['max-inflight'], MAX_LAG_MS = +o['max-lag'] * 1000, BODY_BYTES = +o['body-bytes'], DRAIN = +o.drain;
const M = N / R;
const SERIES_MS = +o.series * 1000; // > 0: the run cut into windows of that many seconds (warm-up curves)
// --since: when the servers were started (epoch seconds); the series is then also timed from there
const SINCE_MS = o.since == null ? null : +o.since * 1000;
if (!Number.isInteger(M) || M < 2 || !(RATE > 0) || !(DURATION > 0) || !(WARMUP >= 0)) {
  console.error(`${USAGE}\n--clients must be a multiple of --rooms with at least 2 members per room`);
  process.exit(2);
}
const log = (...a) => console.error(`[fanout ${new Date().toISOString().slice(11, 19)}]`, ...a);

// ---- measuring helpers -------------------------------------------------------------------------

/** Exact percentiles over every sample (growable Float64Array, sorted once at the end). */
class Samples {
  a = new Float64Array(1 << 16); n = 0;
  add(v) {
    if (this.n === this.a.length) { const b = new Float64Array(this.n * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  summary() {
    const n = this.n, s = this.a.subarray(0, n).sort();
    if (!n) return { count: 0 };
    const q = (p) => r3(s[Math.min(n - 1, Math.ceil(p * n) - 1)]);
    let sum = 0; for (let i = 0; i < n; i++) sum += s[i];
    return { count: n, mean: r3(sum / n), p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: r3(s[n - 1]) };
  }
}
const r3 = (x) => Math.round(x * 1000) / 1000;
const r1 = (x) => Math.round(x * 10) / 10;
const ELD_RES_MS = 2;
const lagMs = (ns) => r3(Math.max(0, ns / 1e6 - ELD_RES_MS));

const CLK_TCK = 100; // USER_HZ on Linux/x86
function procTicks(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch { return null; }
}
function sysTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) };
}
/** Infrastructure and JVM processes found by name, plus the adapter's own server pids. */
function watchList(target) {
  if (o.watch === 'none') return {};
  if (o.watch !== 'auto') return Object.fromEntries(o.watch.split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, +v]));
  const out = { ...target.pids() };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (['mariadbd', 'mysqld', 'redis-server', 'java'].includes(comm)) out[`${comm}:${pid}${javaName(comm, pid)}`] = +pid;
    } catch { /* gone */ }
  }
  return out;
}
/** A JVM's part, so the report says which one spent the CPU: its HTTP port, or its main class. */
function javaName(comm, pid) {
  if (comm !== 'java') return '';
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const port = args.find((a) => a.startsWith('-Dquarkus.http.port='));
    if (port) return `:${port.split('=')[1]}`;
    const jar = args.indexOf('-jar');
    if (jar >= 0) return `:${args[jar + 1].split('/').slice(-3).join('/')}`;
    const main = args.find((a, i) => i > 0 && !a.startsWith('-') && args[i - 1] !== '-cp' && args[i - 1] !== '-classpath');
    return main ? `:${main.split('.').pop()}` : '';
  } catch { return ''; }
}
function cpuSnapshot(pids) {
  return {
    at: performance.now(), self: process.cpuUsage(), sys: sysTicks(),
    procs: Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, procTicks(pid)])),
  };
}
function cpuReport(a, b, acceptedPerSec) {
  const wallS = (b.at - a.at) / 1000;
  const user = b.self.user - a.self.user, system = b.self.system - a.self.system;
  const dt = b.sys.total - a.sys.total;
  const procs = {};
  for (const k of Object.keys(a.procs)) {
    if (a.procs[k] != null && b.procs[k] != null) procs[k] = r1((b.procs[k] - a.procs[k]) / CLK_TCK / wallS * 100);
  }
  const gen = (user + system) / 1e6 / wallS * 100;
  const servers = Object.values(procs).reduce((x, y) => x + y, 0);
  return {
    generatorPctOfOneCore: r1(gen),
    generatorKernelPct: r1(system / (user + system) * 100), // share of the generator's CPU spent in the kernel
    systemBusyPct: r1((dt - (b.sys.idle - a.sys.idle)) / dt * 100),
    cores: os.cpus().length,
    procsPctOfOneCore: procs,
    // CPU milliseconds per accepted message (all its deliveries included): watched processes, generator
    watchedMsPerMessage: acceptedPerSec ? r3(servers * 10 / acceptedPerSec) : null,
    generatorMsPerMessage: acceptedPerSec ? r3(gen * 10 / acceptedPerSec) : null,
  };
}

// ---- layout --------------------------------------------------------------------------------------

const mod = await import(join(HERE, 'targets', `${o.target}.mjs`));
const urls = o.urls ? o.urls.split(',').map((u) => u.trim().replace(/\/$/, '')) : mod.defaults.urls;
const runId = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const target = await mod.createTarget({
  urls, authUrl: o['auth-url'], maxInflight: MAX_INFLIGHT, runId, runSeconds: WARMUP + DURATION + DRAIN + 5,
});

// Client j is member j % M of room floor(j / M) and talks to urls[j % urls.length], so each room's
// members (and senders) are spread over every server instance: deliveries cross instances.
const clients = Array.from({ length: N }, (_, j) => ({ idx: j, room: Math.floor(j / M), pos: j % M, url: urls[j % urls.length] }));
const rooms = Array.from({ length: R }, (_, r) => ({ idx: r, members: clients.slice(r * M, r * M + M).map((c) => c.idx) }));
const senderOf = (k) => (k % R) * M + (Math.floor(k / R) % M);

const K = Math.round((WARMUP + DURATION) * RATE); // messages in the run
const K_WARM = Math.round(WARMUP * RATE);          // messages [K_WARM, K) are measured
const INTERVAL = 1000 / RATE;

// ---- state -------------------------------------------------------------------------------------

const prefix = `${runId}.`;
const pad = 'x'.repeat(Math.max(0, BODY_BYTES));
const status = new Uint16Array(K);   // HTTP status per message (0 = none yet, 1 = transport error)
const got = new Uint8Array(K * M);   // delivery seen, per (message, member position)
const latency = new Samples(), fromDispatch = new Samples(), httpLat = new Samples(), dispatchLag = new Samples();
// per path: the sender's instance -> the receiver's instance (urls index), so that two instances run
// with different settings can be compared under the same load, in the same minutes
const byPath = urls.map(() => urls.map(() => new Samples()));
// where a platform delivery's time went, split at the message's createdAt (the writer's clock, ms,
// taken as its batch starts): intended send -> createdAt, and createdAt -> this socket read it
const EPOCH = performance.timeOrigin;
const toStored = new Samples(), afterStored = new Samples();
const sendAt = new Float64Array(K);
const errors = {};
const c = {
  accepted: 0, acceptedInWindow: 0, received: 0, receivedInWindow: 0, duplicates: 0,
  self: 0, unexpected: 0, foreign: 0, disconnects: 0, maxBacklog: 0,
};
let winStart = Infinity, winEnd = Infinity, counting = true;
// --series: per window of intended send time (warm-up included), messages accepted and delivery latencies
const series = [];
const windowOf = (intended) => {
  const w = Math.floor((intended - t0) / SERIES_MS);
  return series[w] ??= { accepted: 0, latency: new Samples() };
};

function onBody(cl, body, storedAt) {
  const now = performance.now();
  if (typeof body !== 'string' || !body.startsWith(prefix)) { c.foreign++; return; }
  const i = body.indexOf('.', prefix.length);
  const k = +body.slice(prefix.length, i);
  const t = +body.slice(i + 1, body.indexOf('.', i + 1));
  if (!(k >= 0 && k < K) || k % R !== cl.room) { c.unexpected++; return; }
  if (senderOf(k) === cl.idx) { c.self++; return; }
  const slot = k * M + cl.pos;
  if (got[slot]) { c.duplicates++; return; }
  got[slot] = 1;
  c.received++;
  if (now >= winStart && now < winEnd) c.receivedInWindow++;
  if (k >= K_WARM) {
    latency.add(now - t);
    fromDispatch.add(now - sendAt[k]);
    byPath[senderOf(k) % urls.length][cl.idx % urls.length].add(now - t); // client j talks to urls[j % n]
    if (storedAt > 0) { toStored.add(storedAt - (EPOCH + t)); afterStored.add(EPOCH + now - storedAt); }
  }
  if (SERIES_MS > 0) windowOf(t).latency.add(now - t);
}

// ---- run -----------------------------------------------------------------------------------------

log(`target=${o.target} urls=${urls.join(',')} clients=${N} rooms=${R} members=${M} rate=${RATE}/s warmup=${WARMUP}s duration=${DURATION}s`);
let t = performance.now();
const { users, roomIds } = await target.setup({ clients, rooms });
for (const cl of clients) { cl.user = users[cl.idx]; cl.roomId = roomIds[cl.room]; }
log(`setup done in ${r1((performance.now() - t) / 1000)} s; connecting ${N} sockets`);
t = performance.now();
await mapLimit(clients, +o['connect-concurrency'], (cl) => target.connect(cl, {
  onBody: (b, storedAt) => onBody(cl, b, storedAt),
  onDisconnect: () => { if (counting) c.disconnects++; },
}));
const connectS = r1((performance.now() - t) / 1000);
log(`connected ${N} sockets in ${connectS} s`);
await sleep(1000);

const pids = watchList(target);
const eld = monitorEventLoopDelay({ resolution: ELD_RES_MS });
let snapA, snapB;
const t0 = performance.now() + 50;
winStart = t0 + WARMUP * 1000;
winEnd = winStart + DURATION * 1000;
setTimeout(() => { snapA = cpuSnapshot(pids); eld.enable(); }, winStart - performance.now());
setTimeout(() => { snapB = cpuSnapshot(pids); eld.disable(); }, winEnd - performance.now());

// Open loop: every 1 ms, dispatch all messages whose intended time has come, at most MAX_INFLIGHT
// requests at a time; the rest wait in a backlog (keeping their intended time). A message that would
// leave more than --max-lag seconds late is shed, and sending stops at the end of the window: both
// are reported as unsent (offered > sent), the sign that the target cannot absorb the offered rate.
let next = 0, inflight = 0, stopped = false, onAllSent;
const allSent = new Promise((r) => { onAllSent = r; });
const dueNow = () => Math.min(K, Math.floor((performance.now() - t0) / INTERVAL) + 1);

function dispatch(k) {
  const cl = clients[senderOf(k)];
  const intended = t0 + k * INTERVAL;
  const now = performance.now();
  sendAt[k] = now;
  if (k >= K_WARM) dispatchLag.add(now - intended);
  inflight++;
  const body = `${prefix}${k}.${intended.toFixed(3)}.${pad}`;
  target.send(cl, `${runId}-${k}`, body).then((code) => {
    status[k] = code;
    const end = performance.now();
    if (code >= 200 && code < 300) {
      c.accepted++;
      if (end >= winStart && end < winEnd) c.acceptedInWindow++;
      if (SERIES_MS > 0) windowOf(intended).accepted++;
    } else errors[`http_${code}`] = (errors[`http_${code}`] ?? 0) + 1;
    if (k >= K_WARM) httpLat.add(end - intended);
  }, (e) => {
    status[k] = 1;
    const key = e.code ?? e.name ?? 'error';
    errors[key] = (errors[key] ?? 0) + 1;
  }).finally(() => {
    inflight--;
    fill();
  });
}
function fill() {
  if (!stopped) {
    const due = dueNow();
    const tooLate = performance.now() - MAX_LAG_MS;
    while (next < due && inflight < MAX_INFLIGHT) {
      if (t0 + next * INTERVAL < tooLate) { next++; continue; } // shed: counted as unsent
      dispatch(next++);
    }
    if (due - next > c.maxBacklog) c.maxBacklog = due - next;
    if (next === K || performance.now() >= winEnd) stopped = true;
  }
  if (stopped && inflight === 0) onAllSent();
}
function pump() {
  fill();
  if (!stopped) setTimeout(pump, 1);
}
setTimeout(pump, t0 - performance.now());

const progress = setInterval(() => log(
  `sent=${next} accepted=${c.accepted} inflight=${inflight} backlog=${Math.max(0, dueNow() - next)} deliveries=${c.received} errors=${JSON.stringify(errors)}`,
), 5000);

await allSent;
await sleep(Math.max(0, winEnd - performance.now()));
// Drain: wait for the deliveries still on their way (every accepted message owes m-1 deliveries).
let expectedAll = 0;
for (let k = 0; k < K; k++) if (status[k] >= 200 && status[k] < 300) expectedAll += M - 1;
const drainUntil = performance.now() + DRAIN * 1000;
while (c.received < expectedAll && performance.now() < drainUntil) await sleep(50);
await sleep(200); // let late duplicates show up
counting = false;
clearInterval(progress);
if (!snapB) snapB = cpuSnapshot(pids); // run ended before the timer (should not happen)

// ---- report --------------------------------------------------------------------------------------

let measured = 0, measuredSent = 0, measuredAccepted = 0, expected = 0, received = 0, ofFailed = 0;
for (let k = K_WARM; k < K; k++) {
  measured++;
  if (sendAt[k] > 0) measuredSent++;
  const ok = status[k] >= 200 && status[k] < 300;
  let n = 0;
  for (let p = 0; p < M; p++) n += got[k * M + p];
  if (ok) { measuredAccepted++; expected += M - 1; received += n; } else ofFailed += n;
}
const lat = latency.summary();
const report = {
  target: o.target, label: o.label ?? null, runId, startedAt: new Date(Date.now() - performance.now() + t0).toISOString(),
  config: { clients: N, rooms: R, membersPerRoom: M, rate: RATE, duration: DURATION, warmup: WARMUP,
    maxInflight: MAX_INFLIGHT, maxLagS: MAX_LAG_MS / 1000, bodyBytes: BODY_BYTES, drain: DRAIN, urls },
  host: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, connectSeconds: connectS },
  messages: {
    offered: measured, sent: measuredSent, unsent: measured - measuredSent,
    accepted: measuredAccepted, failed: measuredSent - measuredAccepted,
    acceptedPerSec: r1(c.acceptedInWindow / DURATION), errors,
  },
  deliveries: {
    expected, received, lost: expected - received, lossPct: expected ? r3((expected - received) / expected * 100) : 0,
    perSec: r1(c.receivedInWindow / DURATION), targetPerSec: RATE * (M - 1),
    duplicates: c.duplicates, ofFailedSends: ofFailed, selfCopiesIgnored: c.self, unexpected: c.unexpected,
    foreign: c.foreign, disconnects: c.disconnects,
  },
  latencyMs: lat,                          // intended send time -> receive (open loop, coordinated-omission free)
  latencyFromDispatchMs: fromDispatch.summary(), // actual send time -> receive
  httpResponseMs: httpLat.summary(),       // intended send time -> REST response
  // a target whose frames carry the message's createdAt (the platform): delivery latency split there,
  // per delivery (1 ms clock resolution on the server's side)
  latencySplitMs: toStored.n ? { toCreatedAt: toStored.summary(), afterCreatedAt: afterStored.summary() } : undefined,
  // latencyMs per path: "<sender's url> -> <receiver's url>"
  latencyByPathMs: Object.fromEntries(byPath.flatMap((row, s) => row.map((l, r) => [`${urls[s]} -> ${urls[r]}`, l.summary()]))),
  generator: {
    dispatchLagMs: dispatchLag.summary(), maxBacklog: c.maxBacklog,
    // how late a 2 ms sampling timer fired: the generator's own event-loop stalls
    eventLoopDelayMs: { p50: lagMs(eld.percentile(50)), p99: lagMs(eld.percentile(99)), max: lagMs(eld.max) },
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
  },
  cpu: cpuReport(snapA, snapB, c.acceptedInWindow / DURATION),
  // --series: from the first intended send, per window: offered and accepted per second, delivery latency
  series: SERIES_MS > 0 ? Array.from(series, (w, i) => {
    const l = w?.latency.summary() ?? { count: 0 };
    return { fromS: i * SERIES_MS / 1000, acceptedPerSec: r1((w?.accepted ?? 0) / (SERIES_MS / 1000)),
      p50: l.p50 ?? null, p99: l.p99 ?? null, max: l.max ?? null };
  }) : undefined,
  // --since: seconds from the servers' start to the first intended send
  firstSendAfterStartS: SINCE_MS == null ? undefined : r1((performance.timeOrigin + t0 - SINCE_MS) / 1000),
};

const stamp = new Date().toISOString().replace(/[:]/g, '').replace(/\..*/, '');
const out = o.out ?? join(HERE, 'results', `fanout-${o.target}-r${RATE}-${stamp}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');

const f = (x) => (x == null ? '-' : x);
console.log(`${o.target} rate=${RATE}/s offered=${measured} sent=${measuredSent} unsent=${measured - measuredSent} accepted=${measuredAccepted} (${report.messages.acceptedPerSec}/s)` +
  ` deliveries=${received}/${expected} lost=${expected - received} dup=${c.duplicates} (${report.deliveries.perSec}/s)` +
  ` latency_ms p50=${f(lat.p50)} p90=${f(lat.p90)} p99=${f(lat.p99)} p99.9=${f(lat.p999)} max=${f(lat.max)}` +
  ` errors=${Object.values(errors).reduce((a, b) => a + b, 0)} gen_cpu=${report.cpu.generatorPctOfOneCore}%` +
  ` sys_busy=${report.cpu.systemBusyPct}% -> ${out}`);

if (SERIES_MS > 0) {
  const since = report.firstSendAfterStartS;
  console.log(`from_s${since == null ? '' : '  after_start_s'}  accepted/s  p50_ms  p99_ms  max_ms`);
  for (const w of report.series) {
    const after = since == null ? '' : String(r1(since + w.fromS)).padStart(15);
    console.log(`${String(w.fromS).padStart(6)}${after} ${String(w.acceptedPerSec).padStart(11)} ${String(f(w.p50)).padStart(7)} ${String(f(w.p99)).padStart(7)} ${String(f(w.max)).padStart(7)}`);
  }
}
await target.close();
process.exit(0);
