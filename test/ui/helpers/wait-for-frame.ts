/** Polls `lastFrame()` until `predicate` holds; returns that frame, or throws with the last one seen. */
export async function waitForFrame(
  lastFrame: () => string | undefined,
  predicate: (frame: string) => boolean,
  { timeoutMs = 3000, intervalMs = 10 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let frame = lastFrame() ?? '';
  while (!predicate(frame)) {
    if (Date.now() > deadline) {
      throw new Error(`waitForFrame: timed out after ${timeoutMs} ms; last frame:\n${frame}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    frame = lastFrame() ?? '';
  }
  return frame;
}

/** Lets ink process pending input and re-render (input is flushed on setImmediate). */
export async function tick(ms = 20): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}
