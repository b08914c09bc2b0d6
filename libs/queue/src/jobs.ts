/**
 * Every job the platform knows, with its payload type. Payloads carry ids only: a job that needs a
 * secret (a set-password link) mints it when it runs. Each job name maps to one BullMQ queue.
 */
export interface JobPayloads {
  /** Send the set-password email to a user an admin created; the job mints its own token. */
  'identity.send-set-password-email': { userId: string };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, string> = {
  'identity.send-set-password-email': 'email',
};
