// Verifies a log entry's inclusion proof in the page, trusting nothing the server says:
// RFC 6962 leaf and node hashes with WebCrypto SHA-256 (RFC 9162 section 2.1.3.2), up to the root
// of the signed checkpoint, and the checkpoint's C2SP signed-note Ed25519 signature under the
// verifier key.
(function () {
  'use strict';
  var el = document.getElementById('proof');
  var out = document.getElementById('proof-result');
  if (!el || !out) {
    return;
  }

  function b64(s) {
    return Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); });
  }
  function concat(parts) {
    var n = 0;
    parts.forEach(function (p) { n += p.length; });
    var all = new Uint8Array(n);
    var at = 0;
    parts.forEach(function (p) { all.set(p, at); at += p.length; });
    return all;
  }
  function same(a, b) {
    if (a.length !== b.length) { return false; }
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return false; } }
    return true;
  }
  function sha256(parts) {
    return crypto.subtle.digest('SHA-256', concat(parts)).then(function (d) { return new Uint8Array(d); });
  }
  function leafHash(bytes) { return sha256([new Uint8Array([0]), bytes]); }
  function nodeHash(l, r) { return sha256([new Uint8Array([1]), l, r]); }

  async function rootFromProof(index, size, leaf, path) {
    if (index >= size) { throw new Error('entry ' + index + ' is beyond the tree of ' + size); }
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < path.length; i++) {
      if (sn === 0) { throw new Error('the proof is longer than the tree is deep'); }
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(path[i], r);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, path[i]);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    if (sn !== 0) { throw new Error('the proof is shorter than the tree is deep'); }
    return r;
  }

  // A C2SP signed note: the body (ending in a newline), a blank line, then "— <name> <base64(keyhash[4] || signature)>" lines.
  async function checkSignature(note, verifierKey) {
    var split = note.indexOf('\n\n');
    if (split < 0) { throw new Error('the checkpoint note has no signature lines'); }
    var body = note.slice(0, split + 1);
    var parts = verifierKey.split('+');
    var name = parts[0];
    var keyHash = parts[1];
    var key = b64(parts.slice(2).join('+'));
    if (key.length !== 33 || key[0] !== 1) { throw new Error('the verifier key is not an Ed25519 key'); }
    var lines = note.slice(split + 2).split('\n').filter(function (l) { return l.length > 0; });
    for (var i = 0; i < lines.length; i++) {
      var m = /^\u2014 (\S+) (\S+)$/.exec(lines[i]);
      if (!m || m[1] !== name) { continue; }
      var sig = b64(m[2]);
      var hash = Array.from(sig.slice(0, 4), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
      if (hash !== keyHash) { continue; }
      var k = await crypto.subtle.importKey('raw', key.slice(1), { name: 'Ed25519' }, false, ['verify']);
      return { body: body, name: name, ok: await crypto.subtle.verify({ name: 'Ed25519' }, k, sig.slice(4), new TextEncoder().encode(body)) };
    }
    throw new Error('no signature by ' + name + ' on the checkpoint');
  }

  function say(text, kind) {
    out.textContent = text;
    out.className = kind;
  }

  async function verify() {
    if (!window.crypto || !crypto.subtle) {
      say('Not verified: WebCrypto is only available on https or localhost pages.', 'failed');
      return;
    }
    var index = Number(el.dataset.index);
    var size = Number(el.dataset.size);
    var path = el.dataset.path ? el.dataset.path.split(' ').map(b64) : [];
    var note = el.dataset.note;
    var body = note.slice(0, note.indexOf('\n\n') + 1).split('\n');
    var signedSize = Number(body[1]);
    var signedRoot = b64(body[2]);
    if (signedSize !== size) {
      say('NOT verified: the proof is for a tree of ' + size + ' entries, the checkpoint signs ' + signedSize + '.', 'failed');
      return;
    }
    var leaf = await leafHash(new TextEncoder().encode(el.dataset.line));
    var root = await rootFromProof(index, size, leaf, path);
    if (!same(root, signedRoot)) {
      say('NOT verified: the entry and its proof lead to another root than the signed checkpoint\'s.', 'failed');
      return;
    }
    var sig;
    try {
      sig = await checkSignature(note, el.dataset.key);
    } catch (e) {
      if (e && e.name === 'NotSupportedError') {
        say('Inclusion verified in this page: entry ' + index + ' is in the tree of ' + size
          + ' entries whose root the checkpoint carries. Its signature was not checked: this browser has no Ed25519 in WebCrypto.', 'verified');
        return;
      }
      throw e;
    }
    if (!sig.ok) {
      say('NOT verified: the checkpoint\'s signature does not verify under the key of ' + sig.name + '.', 'failed');
      return;
    }
    say('Verified in this page: entry ' + index + ' is in the tree of ' + size + ' entries whose root the checkpoint signed by '
      + sig.name + ' carries, and the signature verifies.', 'verified');
  }

  verify().catch(function (e) {
    say('NOT verified: ' + (e && e.message ? e.message : e), 'failed');
  });
}());
