// @ts-check
// The models the user stored in the origin-private file system (OPFS): the folders, listing them, whether one
// is still there, forgetting one. Shared by the panel (model_picker.js) and the engine worker
// (../engine/model_source.js, which reads, adds and keeps them), so the panel needs nothing of the engine.

export const OPFS_DIR = "models";
export const INCOMING_DIR = "models-incoming";   // files being added, until they have loaded

export class ModelSourceError extends Error {
  constructor(message) {
    super(message);
    this.name = "ModelSourceError";
  }
}

export async function opfsFolder(folder, create = false) {
  if (!navigator.storage?.getDirectory) throw new ModelSourceError("this browser has no origin-private file system");
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(folder, { create });
}

export const opfsModels = (create = false) => opfsFolder(OPFS_DIR, create);

/** The models kept in OPFS: [{name, size, source: "opfs:<name>"}], sorted by name. */
export async function listOpfsModels() {
  const out = [];
  try {
    const dir = await opfsModels();
    for await (const [name, handle] of dir.entries()) {
      if (handle instanceof FileSystemFileHandle) out.push({ name, size: (await handle.getFile()).size, source: `opfs:${name}` });
    }
  } catch (e) {
    if (e?.name !== "NotFoundError") throw e;
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Whether "opfs:<name>" still names a stored file (any other source: true, it is not the user's to lose). */
export async function storedModelExists(source) {
  if (typeof source !== "string" || !source.startsWith("opfs:")) return true;
  try {
    await (await opfsModels()).getFileHandle(source.slice(5));
    return true;
  } catch (e) {
    if (e?.name === "NotFoundError" || e?.name === "TypeError") return false;
    throw e;
  }
}

async function removeOpfsModel(name, folder = OPFS_DIR) {
  await (await opfsFolder(folder)).removeEntry(name);
}

/** Forgets a stored model ("opfs:<name>" or "incoming:<name>"); the built-in one cannot be removed. */
export async function removeStoredModel(source) {
  if (typeof source === "string" && source.startsWith("opfs:")) {
    await removeOpfsModel(source.slice(5)).catch(() => {});
  } else if (typeof source === "string" && source.startsWith("incoming:")) {
    await removeOpfsModel(source.slice(9), INCOMING_DIR).catch(() => {});
  }
}
