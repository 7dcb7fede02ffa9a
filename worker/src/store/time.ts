export const nowIso = (ms = Date.now()) => new Date(ms).toISOString();
