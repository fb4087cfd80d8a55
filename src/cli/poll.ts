import { InstanceInDeletedState, ResourceInErrorState } from '../client/errors';

export interface PollOptions<T> {
  fetch: () => Promise<T>;
  /** The field watched (the status, or the task state); compared lower-cased. */
  status: (o: T) => string | null | undefined;
  progress?: (o: T) => number | undefined;
  /** What the resource is doing now (a server's task state), shown after the percentage. */
  detail?: (o: T) => string | null | undefined;
  fault?: (o: T) => string | undefined;
  /** What is being done, for the progress line: "building", "rebooting" ... */
  action: string;
  /** States that end the wait; null matches an empty field (a cleared task state). */
  finalOk: Array<string | null>;
  showProgress?: boolean;
  silent?: boolean;
  intervalMs: number;
  write: (text: string) => void;
  /** Kind named when the resource goes to ERROR. */
  kind?: string;
}

/**
 * novaclient's _poll_for_status: prints `Server <action>... N% complete` until the watched field
 * reaches a final state; ERROR and DELETED end the wait with an error. The task state, when there
 * is one, follows in brackets (`... 0% complete (spawning)`), so a build shows its steps.
 */
export async function pollForStatus<T>(o: PollOptions<T>): Promise<T> {
  const show = o.showProgress ?? true;
  let width = 0;
  const line = (p: number, detail?: string | null) => {
    const text = `${show ? `Server ${o.action}... ${p}% complete` : `Server ${o.action}...`}${detail ? ` (${detail})` : ''}`;
    // Blank out what a longer previous line left behind the carriage return.
    const padded = text.padEnd(width);
    width = Math.max(width, text.length);
    return `\r${padded}`;
  };
  if (!o.silent) o.write('\n');
  for (;;) {
    const obj = await o.fetch();
    const raw = o.status(obj);
    const status = raw ? raw.toLowerCase() : null;
    const progress = o.progress?.(obj) ?? 0;
    if (o.finalOk.includes(status)) {
      if (!o.silent) o.write(`${line(100)}\nFinished\n`);
      return obj;
    }
    if (status === 'error') {
      if (!o.silent) o.write(`\nError ${o.action} server\n`);
      throw new ResourceInErrorState(o.kind ?? 'Server', o.fault?.(obj));
    }
    if (status === 'deleted') {
      if (!o.silent) o.write(`\nDeleted ${o.action} server\n`);
      throw new InstanceInDeletedState(o.fault?.(obj) ?? 'The server was deleted.');
    }
    if (!o.silent) o.write(line(progress, o.detail?.(obj)));
    await new Promise((r) => setTimeout(r, o.intervalMs));
  }
}
