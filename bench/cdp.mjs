// Memory of a page and of its dedicated workers through the DevTools protocol, shared by
// the app benchmark (app.mjs) and the engine comparison (run.mjs).

const timeout = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));

/**
 * Memory of a page and of each of its dedicated workers after a forced GC, through CDP:
 * JS heap (Runtime.getHeapUsage) and wasm memory (the app's from its glue; otherwise the
 * byte length of every live WebAssembly.Memory, found with Runtime.queryObjects). Workers are reached by
 * auto-attaching the page's session to them (non-flat) and Target.sendMessageToTarget.
 */
export async function heaps(context, page) {
  const cdp = await context.newCDPSession(page);
  const sessions = [];
  cdp.on('Target.attachedToTarget', (e) => { if (e.targetInfo.type === 'worker') sessions.push(e.sessionId); });
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    if (waiting.has(m.id)) { waiting.get(m.id)(m.result); waiting.delete(m.id); }
  });
  let id = 0;
  const toWorker = (sessionId) => (method, params = {}) => {
    const i = ++id;
    const p = new Promise((r) => waiting.set(i, r));
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: i, method, params }) }).catch(() => {});
    return Promise.race([p, timeout(10000, null)]);
  };
  const measure = async (send) => {
    await send('HeapProfiler.collectGarbage');
    const u = await send('Runtime.getHeapUsage');
    let wasm = 0;
    try {
      const proto = await send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
      const found = await send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
      const sum = await send('Runtime.callFunctionOn', {
        objectId: found.objects.objectId, returnByValue: true,
        functionDeclaration: 'function () { return this.reduce((s, m) => s + m.buffer.byteLength, 0); }',
      });
      wasm = sum.result.value;
    } catch (e) { console.error(`wasm memory not measurable: ${e.message}`); }
    return { heap: u ? u.usedSize : 0, wasm };
  };
  // The app's wasm memory from its glue, not Runtime.queryObjects: on a page whose wasm
  // comes in parts (one memory shared by several instances), Chromium 156 never answers
  // that, and the session then answers nothing more. The glue's initSync gives the
  // running instance's exports; the parts share its memory.
  const pageSend = (m, p) => Promise.race([cdp.send(m, p), timeout(10000, null)]);
  await pageSend('HeapProfiler.collectGarbage');
  const usage = await pageSend('Runtime.getHeapUsage');
  const mem = await pageSend('Runtime.evaluate', {
    returnByValue: true,
    expression: 'window.wasmBindings?.initSync?.(undefined, undefined)?.memory?.buffer.byteLength ?? 0',
  });
  let pageM = { heap: usage ? usage.usedSize : 0, wasm: mem?.result?.value ?? 0 };
  // A page without Trunk's glue (the engine comparison's bench page): as for workers.
  if (!pageM.wasm) pageM = await measure(pageSend);
  const workers = [];
  try {
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    await timeout(300);
    for (const s of sessions) workers.push(await measure(toWorker(s)));
  } catch (e) {
    console.error(`worker memory not measurable: ${e.message}`);
  }
  await cdp.detach().catch(() => {});
  return {
    page: pageM.heap, pageWasm: pageM.wasm, workers: workers.length,
    worker: workers.reduce((s, w) => s + w.heap, 0), workerWasm: workers.reduce((s, w) => s + w.wasm, 0),
  };
}
