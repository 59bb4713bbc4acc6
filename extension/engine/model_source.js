// Where the model's bytes come from, and how they reach the GPU.
//
// Sources ("package" | "opfs:<name>"; also "default" | {opfs: name}): the default model packaged with the
// extension (vendor/precis-assets.json "default_model", fetched from the extension's own URL) or a GGUF the
// user picked, copied into the origin-private file system (OPFS, survives restarts) by storeModelFile().
// Never the network.
//
//   const {bytes, name} = await readModel(source, defaultUrl, onProgress);   // the whole file (what the worker
//                                                                            // hands to Python's Session today)
//   const src = await openModelSource(source, extensionRoot);               // or: a forward-only stream
//   const header = await src.readPrefix(n);       // the first n bytes (kept for the weights pass: no second read)
//   await streamWeights(src, executor.weightRanges(), device, onProgress);   // each weight's range -> its buffer
//   uploadWeights(bytes, executor.weightRanges(), device);                  // same, from bytes already in memory

export const OPFS_DIR = "models";

export class ModelSourceError extends Error {}

/** A model file as a forward-only byte stream with its size and a name to show. */
class ByteSource {
  constructor(name, size, stream) {
    this.name = name;
    this.size = size;
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

  /** Every chunk of the file from byte 0, in order: [offset, Uint8Array]. */
  async *chunks() {
    let offset = 0;
    while (this.kept.length) {
      const c = this.kept.shift();
      yield [offset, c];
      offset += c.byteLength;
    }
    this.keptBytes = 0;
    while (!this.done) {
      const { value, done } = await this.reader.read();
      if (done) { this.done = true; break; }
      yield [offset, value];
      offset += value.byteLength;
    }
    if (offset !== this.size) {
      throw new ModelSourceError(`${this.name}: read ${offset} bytes, expected ${this.size} (the file changed or is unreadable)`);
    }
  }

  cancel() {
    this.reader.cancel().catch(() => {});
  }
}

async function opfsModels(create = false) {
  if (!navigator.storage?.getDirectory) throw new ModelSourceError("this browser has no origin-private file system");
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(OPFS_DIR, { create });
}

/** `source`: "default" or {opfs: name}. `extensionRoot`: URL of the extension's root folder. */
export async function openModelSource(source, extensionRoot, { defaultUrl } = {}) {
  if (typeof source === "string" && source.startsWith("opfs:")) source = { opfs: source.slice(5) };
  if (source === "default" || source === "package" || source == null) {
    if (!defaultUrl) {
      const assets = await (await fetch(new URL("vendor/precis-assets.json", extensionRoot))).json();
      defaultUrl = new URL(assets.default_model, extensionRoot).href;
    }
    const name = decodeURIComponent(new URL(defaultUrl).pathname.split("/").pop());
    const response = await fetch(defaultUrl);
    if (!response.ok) throw new ModelSourceError(`the default model ${name} is missing from the extension (run \`precis setup\`)`);
    const size = Number(response.headers.get("content-length"));
    if (!size) {
      // No length header: the body must be read to know it (should not happen for packaged files).
      const blob = await response.blob();
      return new ByteSource(name, blob.size, blob.stream());
    }
    return new ByteSource(name, size, response.body);
  }
  if (typeof source === "object" && typeof source.opfs === "string") {
    let file;
    try {
      const dir = await opfsModels();
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
  throw new ModelSourceError(`unknown model source ${JSON.stringify(source)}: use "default" or {opfs: name}`);
}

/** Copies a user-picked File (or Blob) into OPFS as `name`, chunk by chunk; returns its size. */
export async function saveToOpfs(file, name, onProgress = () => {}) {
  if (!file.size) throw new ModelSourceError(`${name} is empty (0 bytes)`);
  if (!/^[\w.\- ]{1,200}$/.test(name)) throw new ModelSourceError(`unusable model file name ${JSON.stringify(name)}`);
  const dir = await opfsModels(true);
  const handle = await dir.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  let written = 0;
  try {
    const reader = file.stream().getReader();
    for (;;) {
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

/** Names and sizes of the models kept in OPFS. */
export async function listOpfsModels() {
  const out = [];
  try {
    const dir = await opfsModels();
    for await (const [name, handle] of dir.entries()) {
      if (handle.kind === "file") out.push({ name, size: (await handle.getFile()).size });
    }
  } catch (e) {
    if (e?.name !== "NotFoundError") throw e;
  }
  return out;
}

export async function removeOpfsModel(name) {
  await (await opfsModels()).removeEntry(name);
}

/** The panel's picker: stores `file` in OPFS under its own (sanitized) name; returns its source "opfs:<name>". */
export async function storeModelFile(file, onProgress = () => {}) {
  const name = (file.name || "model.gguf").replace(/[^\w.\- ]/g, "_").slice(-200);
  await saveToOpfs(file, name, onProgress);
  return `opfs:${name}`;
}

/** Forgets a stored model ("opfs:<name>"); the built-in one cannot be removed. */
export async function removeStoredModel(source) {
  if (typeof source === "string" && source.startsWith("opfs:")) {
    await removeOpfsModel(source.slice(5)).catch(() => {});
  }
}

/**
 * The whole model file in memory: {bytes: Uint8Array, name}. `defaultUrl`: the packaged model's URL.
 * onProgress(fraction, bytesRead).
 */
export async function readModel(source, defaultUrl, onProgress = () => {}) {
  const src = await openModelSource(source, null, { defaultUrl });
  const bytes = new Uint8Array(src.size);
  let last = -1;
  for await (const [offset, chunk] of src.chunks()) {
    bytes.set(chunk, offset);
    const percent = Math.floor((100 * (offset + chunk.byteLength)) / src.size);
    if (percent !== last) {
      last = percent;
      onProgress((offset + chunk.byteLength) / src.size, offset + chunk.byteLength);
    }
  }
  return { bytes, name: src.name };
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

/** Copies each range [start, end) of `ranges` ({buffer, start, end, dst}) from `bytes` (the whole file, in
 * memory) into its buffer at dst. A buffer whose parts do not all start on a word is assembled first. */
export function uploadWeights(bytes, ranges, device) {
  const byBuffer = new Map();
  for (const range of ranges) {
    if (range.end > bytes.length) throw new ModelSourceError(`the model file ends before weight ${range.name}`);
    if (!byBuffer.has(range.buffer)) byBuffer.set(range.buffer, []);
    byBuffer.get(range.buffer).push(range);
  }
  for (const [buffer, parts] of byBuffer) {
    if (parts.every((r) => (r.dst || 0) % 4 === 0)) {
      for (const r of parts) {
        const filler = new BufferFiller(device.queue, buffer, r.dst || 0);
        filler.push(bytes.subarray(r.start, r.end));
        filler.finish();
      }
    } else {
      const whole = new Uint8Array(buffer.size);
      for (const r of parts) whole.set(bytes.subarray(r.start, r.end), r.dst);
      device.queue.writeBuffer(buffer, 0, whole);
    }
  }
}
