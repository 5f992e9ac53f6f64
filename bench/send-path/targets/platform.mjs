// Target adapter: the Quarkus platform, per docs/api.md.
//   users: POST /api/auth/register (409 = already there, reused) + POST /api/auth/login -> accessToken
//   rooms: POST /api/rooms {type:"group", name, memberIds} by the room's first member (owner)
//   delivery: WebSocket /ws/chat?access_token=..., `ready` frame first, then `message.created {message}`
//   send: POST /api/rooms/{id}/messages {clientMsgId, type:"text", body}
// Logins are bcrypt-bound and limited (api.md: login/register 10/min per client IP by default), so
// tokens (15 min) and rooms are cached in bench/.run/platform-cache.json and reused while they still
// work (checked with GET /api/auth/me and GET /api/rooms/{id}). For a first setup of 1000 users, raise
// the platform's auth rate limits (they are configurable) or it takes hours. FANOUT_TRUST_CACHE=1
// skips those checks (a run right after one that checked them: reconnecting after a restart).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';
import WebSocket from 'ws';
import { mapLimit, sleep } from './util.mjs';

export const defaults = { urls: ['http://127.0.0.1:8080'] };

const PASSWORD = process.env.FANOUT_PASSWORD ?? 'fanout-bench-password';
const USER_PREFIX = process.env.FANOUT_USER_PREFIX ?? 'fanout'; // users fanout0..N-1 are reused across runs
const SETUP_CONCURRENCY = Number(process.env.FANOUT_SETUP_CONCURRENCY ?? 8);
const TRUST_CACHE = process.env.FANOUT_TRUST_CACHE === '1';
const PING_EVERY_MS = 20_000;
const CACHE = fileURLToPath(new URL('../.run/platform-cache.json', import.meta.url));

let warned429 = false;
/** JSON call with retries on 429 (after Retry-After) and on refused connections. */
async function call(base, method, path, body, token) {
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await request(base + path, {
        method,
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      if (attempt < 5) { await sleep(500 * attempt); continue; }
      throw new Error(`${method} ${base}${path}: ${e.message}`);
    }
    const text = await res.body.text();
    if (res.statusCode === 429 && attempt < 30) {
      if (!warned429) {
        warned429 = true;
        console.error(`warning: ${method} ${path} answered 429; waiting as told (Retry-After). Raise the platform's `
          + 'rate limits for benchmarking, or point --auth-url / --urls past the gateway.');
      }
      await sleep(1000 * Math.max(1, Number(res.headers['retry-after']) || 1));
      continue;
    }
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.statusCode, json, text };
  }
}

const fail = (what, r) => new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
const loadCache = () => { try { return JSON.parse(readFileSync(CACHE, 'utf8')); } catch { return { users: {}, rooms: {} }; } };

export async function createTarget({ urls, authUrl, maxInflight, runId, runSeconds }) {
  authUrl ??= urls[0];
  const pools = new Map(urls.map((u) => [u, new Pool(u, {
    connections: Math.ceil(maxInflight / urls.length), headersTimeout: 30_000, bodyTimeout: 30_000,
  })]));
  const sockets = new Set();
  const pinger = setInterval(() => {
    for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
  }, PING_EVERY_MS).unref();

  return {
    async setup({ clients, rooms }) {
      const cache = loadCache();
      const validUntil = Date.now() + (runSeconds + 120) * 1000; // a cached token must outlive the run
      const users = await mapLimit(clients, SETUP_CONCURRENCY, async (c) => {
        const username = `${USER_PREFIX}${c.idx}`;
        const hit = cache.users[`${authUrl} ${username}`];
        if (hit && hit.expiresAt > validUntil && (TRUST_CACHE
            || (await call(authUrl, 'GET', '/api/auth/me', undefined, hit.token)).status === 200)) return hit;
        const reg = await call(authUrl, 'POST', '/api/auth/register',
          { username, email: `${username}@fanout.bench.invalid`, password: PASSWORD, displayName: `Fanout ${c.idx}` });
        if (reg.status !== 201 && reg.status !== 409) throw fail(`register ${username}`, reg);
        const login = await call(authUrl, 'POST', '/api/auth/login', { username, password: PASSWORD });
        if (login.status !== 200 || !login.json?.accessToken) throw fail(`login ${username}`, login);
        const user = { id: String(login.json.user.id), token: login.json.accessToken,
          expiresAt: Date.now() + (Number(login.json.expiresIn) || 900) * 1000 };
        cache.users[`${authUrl} ${username}`] = user;
        return user;
      });
      // Rooms depend only on the layout: reuse the cached ones if every owner still sees its room.
      const key = createHash('sha1').update(`${urls[0]} ${rooms.length} ${users.map((u) => u.id)}`).digest('hex');
      let roomIds = cache.rooms[key];
      const stillThere = roomIds && (TRUST_CACHE || (await mapLimit(rooms, SETUP_CONCURRENCY, (room) => call(clients[room.members[0]].url,
        'GET', `/api/rooms/${encodeURIComponent(roomIds[room.idx])}`, undefined, users[room.members[0]].token)))
        .every((r) => r.status === 200));
      if (!stillThere) {
        roomIds = await mapLimit(rooms, SETUP_CONCURRENCY, async (room) => {
          const [owner, ...others] = room.members;
          const r = await call(clients[owner].url, 'POST', '/api/rooms',
            { type: 'group', name: `fanout ${runId} #${room.idx}`, memberIds: others.map((i) => users[i].id) },
            users[owner].token);
          if (r.status !== 201 || r.json?.id == null) throw fail(`create room #${room.idx}`, r);
          return String(r.json.id);
        });
        cache.rooms[key] = roomIds;
      }
      mkdirSync(new URL('../.run/', import.meta.url), { recursive: true });
      writeFileSync(CACHE, JSON.stringify(cache));
      return { users, roomIds };
    },

    /**
     * A socket refused while the platform is busy starting (503, 429), or not signed in within 20 s
     * (a cold start on a saturated box), is tried again, as the web client does.
     */
    async connect(c, handlers) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.connectOnce(c, handlers);
        } catch (e) {
          if (attempt >= 8 || !/Unexpected server response: (503|429)|no ready frame/.test(e.message)) throw e;
          if (/no ready frame/.test(e.message)) console.error(`socket of user ${c.user.id}: ${e.message}; connecting again`);
          await sleep(250 * attempt);
        }
      }
    },

    connectOnce(c, { onBody, onDisconnect }) {
      const url = `${c.url.replace(/^http/, 'ws')}/ws/chat?access_token=${encodeURIComponent(c.user.token)}`;
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(url, { perMessageDeflate: false });
        let ready = false;
        const timer = setTimeout(() => { ws.terminate(); reject(new Error('no ready frame in 20 s')); }, 20_000);
        ws.on('message', (data) => {
          let f;
          try { f = JSON.parse(data); } catch { return; }
          if (f.type === 'message.created') onBody(f.message?.body, Date.parse(f.message?.createdAt));
          else if (f.type === 'ready' && !ready) {
            ready = true;
            clearTimeout(timer);
            if (!f.rooms?.some((r) => String(r.roomId) === c.roomId)) {
              console.error(`warning: ready frame of user ${c.user.id} does not list room ${c.roomId}`);
            }
            sockets.add(ws);
            resolve();
          }
        });
        ws.on('close', (code) => {
          sockets.delete(ws);
          if (ready) onDisconnect(code);
          else { clearTimeout(timer); reject(new Error(`closed before ready (code ${code})`)); }
        });
        ws.on('error', (e) => { if (!ready) { clearTimeout(timer); reject(e); } });
      });
    },

    async send(c, clientMsgId, body) {
      const res = await pools.get(c.url).request({
        method: 'POST',
        path: `/api/rooms/${encodeURIComponent(c.roomId)}/messages`,
        headers: { authorization: `Bearer ${c.user.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clientMsgId, type: 'text', body }),
      });
      await res.body.dump();
      return res.statusCode;
    },

    pids: () => ({}), // JVMs are picked up by the generator's process scan (comm "java")

    async close() {
      clearInterval(pinger);
      for (const ws of sockets) ws.close(1000);
      await Promise.all([...pools.values()].map((p) => p.close()));
    },
  };
}
