/**
 * BullMQ refuses custom job ids that look like integers or contain ":" (its repeat-job format), while
 * outbox job ids are free text such as `set-password:<userId>:<requestId>`. The mapping below is
 * injective and reversible, so the same outbox row always maps to the same BullMQ job.
 */
export function toBullJobId(jobId: string): string {
  return `o_${jobId.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
}

export function fromBullJobId(bullJobId: string): string {
  if (!bullJobId.startsWith('o_')) return bullJobId;
  return bullJobId.slice(2).replace(/%3A/g, ':').replace(/%25/g, '%');
}
