// Test page (system-tests BrowserCall): #token=...&room=...&role=caller|callee. The callee answers
// and, as the one who joins, sends the offer (api.md); ICE goes through TURN only.
'use strict';
const params = new URLSearchParams(location.hash.slice(1));
const token = params.get('token');
const state = { ready: false, callId: null, peer: null, pc: null, pending: [], errors: [], ended: null };
window.callState = state;

function log(line) {
  document.getElementById('log').textContent += line + '\n';
}

async function start() {
  const ice = await (await fetch('/api/calls/ice-servers', { headers: { Authorization: 'Bearer ' + token } })).json();
  const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const socket = new WebSocket(`ws://${location.host}/ws/signal?access_token=${encodeURIComponent(token)}`);
  const send = (frame) => socket.send(JSON.stringify(frame));

  function connection() {
    const pc = new RTCPeerConnection({ iceServers: ice.iceServers, iceTransportPolicy: 'relay' });
    media.getTracks().forEach((track) => pc.addTrack(track, media));
    pc.onicecandidate = (e) => send({ type: 'signal.ice', callId: state.callId, to: state.peer,
      candidate: e.candidate ? e.candidate.toJSON() : null });
    pc.onicecandidateerror = (e) => state.errors.push(`${e.errorCode} ${e.errorText}`);
    pc.ontrack = (e) => { document.getElementById('remote').srcObject = e.streams[0]; };
    state.pc = pc;
    return pc;
  }

  async function flush() {
    for (const candidate of state.pending.splice(0)) {
      await state.pc.addIceCandidate(candidate);
    }
  }

  socket.onmessage = async (event) => {
    const frame = JSON.parse(event.data);
    log(frame.type);
    switch (frame.type) {
      case 'ready':
        state.ready = true;
        if (params.get('role') === 'caller') send({ type: 'call.invite', roomId: params.get('room'), media: 'video' });
        break;
      case 'call.created': state.callId = frame.callId; break;
      case 'call.incoming':
        state.callId = frame.callId;
        send({ type: 'call.accept', callId: frame.callId });
        break;
      case 'call.joined': {
        state.peer = frame.participants[0];
        const pc = connection();
        await pc.setLocalDescription(await pc.createOffer());
        send({ type: 'signal.offer', callId: state.callId, to: state.peer, sdp: pc.localDescription.sdp });
        break;
      }
      case 'signal.offer': {
        state.peer = frame.from;
        const pc = connection();
        await pc.setRemoteDescription({ type: 'offer', sdp: frame.sdp });
        await flush();
        await pc.setLocalDescription(await pc.createAnswer());
        send({ type: 'signal.answer', callId: state.callId, to: state.peer, sdp: pc.localDescription.sdp });
        break;
      }
      case 'signal.answer':
        await state.pc.setRemoteDescription({ type: 'answer', sdp: frame.sdp });
        await flush();
        break;
      case 'signal.ice':
        if (frame.candidate === null) break;
        if (state.pc && state.pc.remoteDescription) await state.pc.addIceCandidate(frame.candidate);
        else state.pending.push(frame.candidate);
        break;
      case 'call.ended': state.ended = frame.reason; break;
      case 'error': state.errors.push(frame.code + ' ' + frame.message); break;
    }
  };
}

// What the test reads: the socket greeted, inbound video frames decoded, audio packets received, the selected pair's local candidate type.
window.report = async function () {
  const out = { ready: state.ready, framesDecoded: 0, audioPackets: 0, localCandidateType: null, errors: state.errors,
    ended: state.ended };
  if (!state.pc) return out;
  const stats = await state.pc.getStats();
  stats.forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') out.framesDecoded = s.framesDecoded || 0;
    if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioPackets = s.packetsReceived || 0;
    if (s.type === 'transport' && s.selectedCandidatePairId) {
      const pair = stats.get(s.selectedCandidatePairId);
      const local = pair && stats.get(pair.localCandidateId);
      out.localCandidateType = local ? local.candidateType : null;
    }
  });
  return out;
};

start().catch((e) => { state.errors.push('start: ' + e); log(String(e)); });
