export type {Job, JobOpenReport, JobOptions, LastRun, Lease, PendingQueue, SeenSet} from './types.js';
export {openJob, type JobTuning} from './job.js';
export {jobStatus, type JobStatus} from './job-status.js';
export {MemoryQueue, MemoryPendingQueue, type MemoryLease} from './memory-queue.js';
export {FingerprintSet} from './seen-set.js';
export {encodeRequest, decodeRequest} from './request-codec.js';
