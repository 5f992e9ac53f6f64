// Target adapter: the Socket.IO peer (bench/send-path/peer). Token = user id, rooms joined via handshake query.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import WebSocket from 'ws';
import { io } from 'socket.io-client';

export const defaults = { urls: ['http://127.0.0.1:47101', 'http://127.0.0.1:47102'] };

const RUN_DIR = fileURLToPath(new URL('../peer/.run/', import.meta.url));
// By default the adapter speaks the Socket.IO v4 wire protocol itself over `ws` (the frames that
// socket.io-client exchanges over the websocket transport; no reconnection): the same client stack
// (ws + JSON.parse) as the platform adapter, so both targets pay the same generator cost per delivery.
// socket.io-client costs more (43% vs ~34% of a core at 800 msg/s here) and that CPU is taken from the
// servers on a shared box. FANOUT_SIO_CLIENT=official uses socket.io-client.
const OFFICIAL_CLIENT = process.env.FANOUT_SIO_CLIENT === 'official';

/** Engine.IO 4 / Socket.IO 5 protocol: open `0{..}`, connect `40{auth}` -> `40{sid}` or `44{err}`,
 *  ping `2` -> pong `3`, event `42["name",data]`. */
function connectWire(c, { onBody, onDisconnect }, sockets) {
  const url = `${c.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket&rooms=${c.roomId}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let connected = false;
    const fail = (e) => { clearTimeout(timer); ws.terminate(); reject(e); };
    const timer = setTimeout(() => fail(new Error('socket.io connect timeout')), 20_000);
    ws.on('message', (data) => {
      const s = data.toString();
      if (s.startsWith('42')) {
        const [event, m] = JSON.parse(s.slice(2));
        if (event === 'message.created') onBody(m?.body);
      } else if (s === '2') ws.send('3');
      else if (s[0] === '0') ws.send(`40${JSON.stringify({ token: c.user.token })}`);
      else if (s.startsWith('40')) { connected = true; clearTimeout(timer); sockets.add(ws); resolve(); }
      else if (s.startsWith('44')) fail(new Error(`socket.io connect refused: ${s.slice(2)}`));
    });
    ws.on('close', () => {
      if (connected) { sockets.delete(ws); onDisconnect(); } else fail(new Error('closed before connect'));
    });
    ws.on('error', (e) => { if (!connected) fail(e); });
  });
}

function connectOfficial(c, { onBody, onDisconnect }, sockets) {
  return new Promise((resolve, reject) => {
    const s = io(c.url, {
      transports: ['websocket'], forceNew: true, timeout: 20_000,
      auth: { token: c.user.token }, query: { rooms: c.roomId },
    });
    s.on('message.created', (m) => onBody(m?.body));
    s.once('connect', () => {
      sockets.add(s);
      s.on('disconnect', onDisconnect);
      resolve();
    });
    s.once('connect_error', (e) => { s.disconnect(); reject(e); });
  });
}

export async function createTarget({ urls, maxInflight }) {
  const pools = new Map(urls.map((u) => [u, new Pool(u, {
    connections: Math.ceil(maxInflight / urls.length), headersTimeout: 30_000, bodyTimeout: 30_000,
  })]));
  const sockets = new Set();

  return {
    /** Identities are trivial here: user id = client index + 1, room id = room index + 1. */
    async setup({ clients, rooms }) {
      return {
        users: clients.map((c) => ({ id: String(c.idx + 1), token: String(c.idx + 1) })),
        roomIds: rooms.map((r) => String(r.idx + 1)),
      };
    },

    connect(c, handlers) {
      return (OFFICIAL_CLIENT ? connectOfficial : connectWire)(c, handlers, sockets);
    },

    async send(c, clientMsgId, body) {
      const res = await pools.get(c.url).request({
        method: 'POST',
        path: `/api/rooms/${c.roomId}/messages`,
        headers: { authorization: `Bearer ${c.user.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clientMsgId, body }),
      });
      await res.body.dump();
      return res.statusCode;
    },

    /** Server processes to watch for CPU: the pid files written by peer/start.sh. */
    pids() {
      const out = {};
      try {
        for (const f of readdirSync(RUN_DIR).filter((n) => n.endsWith('.pid'))) {
          out[f.slice(0, -4)] = Number(readFileSync(RUN_DIR + f, 'utf8'));
        }
      } catch { /* not started by start.sh */ }
      return out;
    },

    async close() {
      for (const s of sockets) (OFFICIAL_CLIENT ? s.disconnect() : s.close(1000));
      await Promise.all([...pools.values()].map((p) => p.close()));
    },
  };
}
