// @ts-check
// Where the model's bytes come from, and how they reach the GPU: never a whole copy in memory.
//
// Sources ("package" | "package:<path>" | "opfs:<name>" | "incoming:<name>"):
// the default model packaged with the extension (or another file inside the extension's folder) (vendor/precis-assets.json "default_model", fetched from the extension's own
// URL), a GGUF the user picked, kept in the origin-private file system (OPFS, survives restarts), or one
// being added (OPFS folder INCOMING_DIR until it has loaded: a file that fails its checks never replaces a
// stored model). Never the network.
//
//   const src = await openModelSource(source, extensionRoot);    // a forward-only stream with .size, .name
//   const header = await src.readPrefix(n);       // the first n bytes (kept for the weights pass: no second read)
//   await streamWeights(src, ranges, device, onProgress);   // each weight's file range -> its GPU buffer
// The stored models themselves (list, check, forget) are ../shared/model_store.js, which the panel uses too.

import { INCOMING_DIR, ModelSourceError, OPFS_DIR, listOpfsModels, opfsFolder, opfsModels }
  from "../shared/model_store.js";

export { INCOMING_DIR, removeStoredModel } from "../shared/model_store.js";   // what the worker takes from here

/** A model file as a forward-only byte stream with its size and a name to show. */
class ByteSource {
  constructor(name, size, stream) {
    this.name = name;
    this.size = size;
    this.stream = stream;
    this.reader = stream.getReader();
    this.kept = [];        // chunks read by readPrefix, replayed by chunks()
    this.keptBytes = 0;
    this.done = false;
  }

  async #pull() {
    const { value, done } = await this.reader.read();
    if (done) { this.done = true; return false; }
    this.kept.push(value);
    this.keptBytes += value.byteLength;
    return true;
  }

  /** The first min(n, size) bytes as one Uint8Array; what was read stays queued for chunks(). */
  async readPrefix(n) {
    while (this.keptBytes < n && !this.done && await this.#pull()) { /* read on */ }
    const size = Math.min(n, this.keptBytes);
    const out = new Uint8Array(size);
    let at = 0;
    for (const c of this.kept) {
      if (at >= size) break;
      const take = Math.min(c.byteLength, size - at);
      out.set(c.subarray(0, take), at);
      at += take;
    }
    return out;
  }

  /** Every chunk of the file from byte 0, in order: [offset, Uint8Array]. With `reuseBytes`, the chunks after
   * those readPrefix kept are read into one buffer of that size, reused: each is a view of it, overwritten by the
   * next, for a consumer done with a chunk (a copy posted) before it asks for the next; no chunk is left behind
   * for the garbage collector. A stream that cannot be read into a given buffer gives its own chunks. */
  async *chunks(reuseBytes = 0) {
    let offset = 0;
    // Each chunk is counted before it is handed out: a consumer may transfer (detach) its buffer.
    while (this.kept.length) {
      const c = this.kept.shift();
      const n = c.byteLength;
      yield [offset, c];
      offset += n;
    }
    this.keptBytes = 0;
    const into = reuseBytes > 0 && !this.done ? this.#intoReader() : null;
    let buffer = into ? new ArrayBuffer(reuseBytes) : null;
    while (!this.done) {
      const { value, done } = into ? await into.read(new Uint8Array(buffer)) : await this.reader.read();
      if (into && value) buffer = value.buffer;   // the read hands the same memory back as a new buffer
      if (done) { this.done = true; break; }
      const n = value.byteLength;
      yield [offset, value];
      offset += n;
    }
    if (offset !== this.size) {
      throw new ModelSourceError(`${this.name}: read ${offset} bytes, expected ${this.size} (the file changed or is unreadable)`);
    }
  }

  /** A reader that fills a given buffer (a byte stream's BYOB reader) in place of this.reader; null where the
   * stream has none. */
  #intoReader() {
    this.reader.releaseLock();
    try {
      this.reader = this.stream.getReader({ mode: "byob" });
      return this.reader;
    } catch {
      this.reader = this.stream.getReader();
      return null;
    }
  }

  cancel() {
    this.reader.cancel().catch(() => {});
  }
}


// One packaged-file read: the size of the buffer a reader fills (chunks(reuseBytes)), or of each new chunk.
export const RANGE_BYTES = 1 << 19;

/** Whether the packaged file at `url` has a byte at `offset` (a Range past its end fails to fetch). */
async function hasByte(url, offset) {
  try {
    const response = await fetch(url, { headers: { Range: `bytes=${offset}-${offset}` } });
    return response.ok && (await response.arrayBuffer()).byteLength === 1;
  } catch {
    return false;
  }
}

/** A packaged file's size, by a binary search over single-byte ranges (about 2 log2(size) small requests). */
async function packagedSize(url) {
  if (!await hasByte(url, 0)) return 0;
  let low = 0, high = 1;                    // low: a byte there; high: none there
  while (await hasByte(url, high)) { low = high; high *= 2; }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (await hasByte(url, mid)) low = mid; else high = mid;
  }
  return high;
}

/** The packaged file at `url` as a byte stream of Range reads of up to RANGE_BYTES, each read into the buffer its
 * reader gives (a BYOB reader's own, or a new one of RANGE_BYTES). */
function rangedStream(url, size) {
  let offset = 0;
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: RANGE_BYTES,
    async pull(controller) {
      const request = /** @type {ReadableStreamBYOBRequest} */ (controller.byobRequest);
      if (offset >= size) { controller.close(); request.respond(0); return; }
      const view = /** @type {Uint8Array} */ (request.view);
      const want = Math.min(view.byteLength, RANGE_BYTES, size - offset);
      const end = offset + want - 1;
      const response = await fetch(url, { headers: { Range: `bytes=${offset}-${end}` } });
      const filled = response.ok && response.body ? await readInto(response.body, view, want) : null;
      if (!filled || filled.byteLength !== want) {
        controller.error(new ModelSourceError(`${url}: bytes ${offset}-${end} could not be read`));
        return;
      }
      offset += want;
      request.respondWithNewView(filled);
    },
  });
}

/** Up to `want` bytes of `body` read into the memory of `view` (from its start): a view of that memory as long as
 * what was read, or null when the body was cancelled (the memory then is gone). */
async function readInto(body, view, want) {
  const reader = body.getReader({ mode: "byob" });
  let buffer = view.buffer, filled = 0;
  try {
    while (filled < want) {
      const { value, done } = await reader.read(new Uint8Array(buffer, view.byteOffset + filled, want - filled));
      if (!value) return null;
      buffer = value.buffer;
      if (done) break;
      filled += value.byteLength;
    }
  } finally {
    reader.releaseLock();
  }
  return new Uint8Array(buffer, view.byteOffset, filled);
}

/** `source`: "package" | "package:<path>" | "opfs:<name>" | "incoming:<name>"; none: "package". `extensionRoot`:
 * URL of the extension's root folder. */
/** @param {string | {opfs: string, folder?: string}} source @param {URL} extensionRoot @param {{defaultUrl?: string}} [options] */
export async function openModelSource(source, extensionRoot, { defaultUrl } = {}) {
  if (typeof source === "string" && source.startsWith("opfs:")) source = { opfs: source.slice(5) };
  if (typeof source === "string" && source.startsWith("incoming:")) source = { opfs: source.slice(9), folder: INCOMING_DIR };
  if (typeof source === "string" && source.startsWith("package:")) {
    // Another GGUF inside the extension's folder (benchmarks, `precis summarize --model`).
    defaultUrl = new URL(source.slice(8), extensionRoot).href;
    source = "package";
  }
  if (source === "package" || source == null) {
    if (!defaultUrl) {
      const assets = await (await fetch(new URL("vendor/precis-assets.json", extensionRoot))).json();
      defaultUrl = new URL(assets.default_model, extensionRoot).href;
    }
    const name = decodeURIComponent(new URL(defaultUrl).pathname.split("/").pop());
    const response = await fetch(defaultUrl);
    if (!response.ok) throw new ModelSourceError(`the default model ${name} is missing from the extension (run \`precis setup\`)`);
    const size = Number(response.headers.get("content-length"));
    if (size) return new ByteSource(name, size, response.body);
    // Chromium serves an extension's files with no length header, and reading one past 1 GiB whole crashes the
    // browser (measured: Chromium 156, the 1.5B's 1.1 GB file); a Blob of it would be a whole copy anyway. It
    // honours Range: the size is found by probing, the body read range by range.
    response.body?.cancel().catch(() => {});
    const fileSize = await packagedSize(defaultUrl);
    return new ByteSource(name, fileSize, rangedStream(defaultUrl, fileSize));
  }
  if (typeof source === "object" && typeof source.opfs === "string") {
    let file;
    try {
      const dir = await opfsFolder(source.folder || OPFS_DIR);
      file = await (await dir.getFileHandle(source.opfs)).getFile();
    } catch (e) {
      if (e?.name === "NotFoundError" || e?.name === "TypeError") {
        throw new ModelSourceError(`no saved model named ${JSON.stringify(source.opfs)} (pick the file again)`);
      }
      throw e;
    }
    if (file.size === 0) throw new ModelSourceError(`${source.opfs} is empty (0 bytes)`);
    return new ByteSource(source.opfs, file.size, file.stream());
  }
  throw new ModelSourceError(`unknown model source ${JSON.stringify(source)}: use "package" or "opfs:<name>"`);
}

/** A model file name OPFS can keep: the picked file's own name, sanitized. */
export function modelFileName(file) {
  return (file.name || "model.gguf").replace(/[^\w.\- ]/g, "_").slice(-200);
}

/** Copies a user-picked File (or Blob) into OPFS folder `folder` as `name`, chunk by chunk; returns its size.
 * An aborted `signal` (AbortSignal) stops it between chunks, and nothing of the file is left in OPFS. */
/** @param {File} file @param {string} name @param {(fraction: number) => void} [onProgress] @param {string} [folder]
 * @param {AbortSignal | null} [signal] */
export async function saveToOpfs(file, name, onProgress = () => {}, folder = OPFS_DIR, signal = null) {
  if (!file.size) throw new ModelSourceError(`${name} is empty (0 bytes)`);
  if (!/^[\w.\- ]{1,200}$/.test(name)) throw new ModelSourceError(`unusable model file name ${JSON.stringify(name)}`);
  const dir = await opfsFolder(folder, true);
  const handle = await dir.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  let written = 0;
  try {
    const reader = file.stream().getReader();
    for (;;) {
      signal?.throwIfAborted();   // stopped: the partial file is removed below
      const { value, done } = await reader.read();
      if (done) break;
      await writable.write(value);
      written += value.byteLength;
      onProgress(written / file.size);
    }
    await writable.close();
  } catch (e) {
    await writable.abort().catch(() => {});
    await dir.removeEntry(name).catch(() => {});
    throw new ModelSourceError(`could not save ${name}: ${e?.message || e}`);
  }
  return written;
}


const FINGERPRINT_SPAN = 1 << 20;

/** Whether two files hold the same model, at a bounded cost: sha256 of the size, the first MiB and the last
 * MiB (2 MiB read whatever the size). A full hash would read the whole file (1-8 GB, tens of seconds at
 * OPFS/disk speed, and SubtleCrypto has no streaming digest); two different GGUFs of the same size share
 * neither the header (names, metadata) nor the last tensor's bytes, so the ends tell them apart. */
export async function modelFingerprint(blob) {
  const size = new Uint8Array(new BigUint64Array([BigInt(blob.size)]).buffer);
  const head = blob.slice(0, Math.min(FINGERPRINT_SPAN, blob.size));
  const tail = blob.slice(Math.max(0, blob.size - FINGERPRINT_SPAN));
  const bytes = await new Blob([size, head, tail]).arrayBuffer();
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
                    (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The stored model holding the same bytes as `file` (same size and fingerprint): "opfs:<name>", or null. */
export async function findStoredCopy(file) {
  const same = (await listOpfsModels()).filter((m) => m.size === file.size);
  if (!same.length) return null;
  const wanted = await modelFingerprint(file);
  const dir = await opfsModels();
  for (const { name, source } of same) {
    if (await modelFingerprint(await (await dir.getFileHandle(name)).getFile()) === wanted) return source;
  }
  return null;
}

// Each file in INCOMING_DIR is held under this Web Lock while it is added (locks span the origin's workers,
// so one window's boot never removes the file another window is adding; a dead worker's lock is released).
export const incomingLock = (name) => `precis-incoming:${name}`;

/** Removes what an interrupted add left in INCOMING_DIR (a closed panel, a crash): files no add holds.
 * Returns the names removed. */
export async function clearIncoming() {
  let dir;
  try {
    dir = await opfsFolder(INCOMING_DIR);
  } catch (e) {
    if (e?.name === "NotFoundError") return [];
    throw e;
  }
  const names = [];
  for await (const [name] of dir.entries()) names.push(name);
  const removed = [];
  for (const name of names) {
    await navigator.locks.request(incomingLock(name), { ifAvailable: true }, async (lock) => {
      if (!lock) return;   // being added right now, by this or another window
      await dir.removeEntry(name, { recursive: true }).catch(() => {});
      removed.push(name);
    });
  }
  return removed;
}


/** A name in OPFS_DIR not used yet: `name`, else "stem (2).gguf", "stem (3).gguf", ... */
async function freeName(dir, name) {
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? name : `${stem} (${i})${ext}`;
    try {
      await dir.getFileHandle(candidate);
    } catch (e) {
      if (e?.name === "NotFoundError") return candidate;
      throw e;
    }
  }
}

/** An added model that loaded: moves it from INCOMING_DIR into OPFS_DIR, under its name or, when a stored
 * model already has that name, a free variant of it (a stored model is never overwritten). Returns "opfs:<name>". */
export async function keepIncoming(name) {
  const incoming = await opfsFolder(INCOMING_DIR);
  const dir = await opfsModels(true);
  const target = await freeName(dir, name);
  const handle = await incoming.getFileHandle(name);
  await handle.move(dir, target);
  return `opfs:${target}`;
}


/**
 * Writes a weight buffer sequentially from byte chunks. queue.writeBuffer wants offsets and sizes that are
 * multiples of 4; a file range can start or stop anywhere, so up to 3 bytes wait in `carry` for the next chunk.
 */
class BufferFiller {
  constructor(queue, buffer, dst = 0) {
    if (dst % 4) throw new ModelSourceError(`a weight part starts at byte ${dst} of its buffer, not a multiple of 4`);
    this.queue = queue;
    this.buffer = buffer;
    this.at = dst;                 // where the next whole word goes (a multiple of 4)
    this.carry = new Uint8Array(4);
    this.carried = 0;
  }

  push(bytes) {
    let i = 0;
    if (this.carried) {
      while (this.carried < 4 && i < bytes.length) this.carry[this.carried++] = bytes[i++];
      if (this.carried < 4) return;
      this.queue.writeBuffer(this.buffer, this.at, this.carry);
      this.at += 4;
      this.carried = 0;
    }
    const whole = (bytes.length - i) & ~3;
    if (whole) {
      this.queue.writeBuffer(this.buffer, this.at, bytes, i, whole);
      this.at += whole;
      i += whole;
    }
    while (i < bytes.length) this.carry[this.carried++] = bytes[i++];
  }

  finish() {
    // Zeros complete the last word: the buffer's size is padded to 4, and a next part starts on a word.
    if (this.carried) {
      this.carry.fill(0, this.carried);
      this.queue.writeBuffer(this.buffer, this.at, this.carry);
      this.at += 4;
      this.carried = 0;
    }
  }
}

/**
 * Streams `source` once and copies each range [start, end) of `ranges` (sorted by start; {buffer, start, end,
 * dst}: file bytes [start, end) go to buffer bytes dst.. (dst a multiple of 4)) into its buffer as the chunks arrive. Waits for the GPU queue every `flushBytes` so staging memory stays bounded.
 */
/** @param {(fraction: number, bytes: number) => void} [onProgress] */
export async function streamWeights(source, ranges, device, onProgress = () => {}, { flushBytes = 32 << 20 } = {}) {
  let next = 0;              // first range not yet started
  const active = [];         // [range, filler] started, not finished
  let sinceFlush = 0;
  let lastReport = -1;
  const lastByte = ranges.reduce((m, r) => Math.max(m, r.end), 0);
  for await (const [offset, chunk] of source.chunks()) {
    const chunkEnd = offset + chunk.byteLength;
    while (next < ranges.length && ranges[next].start < chunkEnd) {
      active.push([ranges[next], new BufferFiller(device.queue, ranges[next].buffer, ranges[next].dst || 0)]);
      next++;
    }
    for (let j = active.length - 1; j >= 0; j--) {
      const [range, filler] = active[j];
      const a = Math.max(range.start, offset), b = Math.min(range.end, chunkEnd);
      if (b > a) filler.push(chunk.subarray(a - offset, b - offset));
      if (range.end <= chunkEnd) {
        filler.finish();
        active.splice(j, 1);
      }
    }
    sinceFlush += chunk.byteLength;
    if (sinceFlush >= flushBytes) {
      sinceFlush = 0;
      await device.queue.onSubmittedWorkDone();
    }
    const percent = Math.floor((100 * chunkEnd) / source.size);
    if (percent !== lastReport) {
      lastReport = percent;
      onProgress(chunkEnd / source.size, chunkEnd);
    }
    if (chunkEnd >= lastByte && next === ranges.length && active.length === 0) {
      source.cancel();       // the rest of the file holds no weights
      break;
    }
  }
  if (next < ranges.length || active.length) {
    throw new ModelSourceError(`${source.name} ended before all weights were read`);
  }
  await device.queue.onSubmittedWorkDone();
}
