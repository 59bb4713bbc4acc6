// Requests only the tests use (type "*_for_test"), loaded by engine_worker.js on the first such request.

export const hooks = {
  // Destroys the device behind the engine's back, as a driver reset would; the next step builds a new one.
  lose_device_for_test: async (message, { model }) => {
    const device = model()?.slot.device;
    if (!device) throw new Error("no model is loaded on the GPU");
    device.device.destroy();
    await device.device.lost;
    await new Promise((resolve) => setTimeout(resolve, 0));   // the device's lost handler runs first
    return { lost: Boolean(device.lost), kind: device.lost?.kind, message: device.lost?.message };
  },
};
