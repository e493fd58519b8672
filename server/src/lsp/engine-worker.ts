// The language server's engine worker: runs a site's timelines (core/timelines.ts) for
// `mapscope/predict`, off the thread that answers the editor. The main thread terminates it to
// cancel a run (engine-host.ts); a simulation has no other place to stop.
import { parentPort } from 'node:worker_threads';
import { siteTimelines, TimelineError } from '../core/timelines';
import type { EngineJob, EngineReply } from './engine-host';

const port = parentPort!;
port.on('message', (job: EngineJob) => {
  let reply: EngineReply;
  try {
    reply = { id: job.id, result: siteTimelines(job.site, job.options) };
  } catch (e) {
    reply = { id: job.id, error: e instanceof Error ? e.message : String(e), invalid: e instanceof TimelineError };
  }
  port.postMessage(reply);
});
