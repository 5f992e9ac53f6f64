#!/usr/bin/env node
// Sums an async-profiler CPU profile of a chat-service instance (collapsed stacks, started with
// `threads`, so each stack's first frame is its thread's name) by thread role and by activity,
// in % of the profile's samples. Used by profile.sh; usage: profile-summary.mjs <file.collapsed>
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: profile-summary.mjs <file.collapsed>');
  process.exit(2);
}

// first match wins: a stack belongs to the first rule whose pattern its text matches
const ROLES = [
  ['event loops', /^\[?vert\.x-eventloop-thread/],
  ['group-commit writers', /^\[?message-writer-/],
  ['outbox relay', /^\[?outbox-relay/],
  ['Kafka producer', /kafka-producer-network-thread|kafka\/clients\/producer\/internals\/Sender/],
  ['Kafka consumers (moderation)', /kafka-consumer|smallrye-kafka-consumer|KafkaConsumer/],
  ['JIT compilers', /C[12] CompilerThre|CompileBroker/],
  ['GC and VM', /^\[?(VM Thread|GC Thread|VM Periodic)|SerialHeap|DefNewGeneration/],
];
const ACTIVITIES = [
  ['JDBC (Connector/J)', /com\/mysql\/cj/],
  ['Redis client (publish, subscription)', /io\/vertx\/redis/],
  ['WebSocket frames', /WebSocket|io\/talkline\/chat\/realtime\/Sockets/],
  ['HTTP server (the send request)', /Http1xServer|SendRoute|VertxHttpRecorder/],
  ['Kafka clients', /org\/apache\/kafka/],
  ['Jackson', /com\/fasterxml\/jackson/],
  ['OpenTelemetry', /io\/opentelemetry/],
  ['logging', /org\/jboss\/logmanager|org\/jboss\/logging/],
  ['Micrometer', /io\/micrometer/],
  ['Bean Validation', /org\/hibernate\/validator/],
];

let total = 0, kernelLeaf = 0;
const roles = new Map(), activities = new Map();
const add = (m, k, n) => m.set(k, (m.get(k) ?? 0) + n);
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const cut = line.lastIndexOf(' ');
  if (cut < 0) continue;
  const stack = line.slice(0, cut), n = +line.slice(cut + 1);
  if (!Number.isFinite(n)) continue;
  total += n;
  if (stack.endsWith('_[k]')) kernelLeaf += n;
  add(roles, ROLES.find(([, p]) => p.test(stack))?.[0] ?? 'other threads', n);
  for (const [name, p] of ACTIVITIES) if (p.test(stack)) add(activities, name, n);
}
if (total === 0) {
  console.error(`${file}: no samples`);
  process.exit(1);
}
const pct = (n) => `${((100 * n) / total).toFixed(1).padStart(5)} %`;
const table = (title, m) => {
  console.log(title);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(v)}  ${k}`);
};
console.log(`${file}: ${total} samples; in the kernel (system calls, waking threads): ${pct(kernelLeaf).trim()}`);
table('by thread role (each sample once):', roles);
table('by activity (inclusive; a sample can count under several):', activities);
