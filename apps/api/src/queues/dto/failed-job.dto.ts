import { ApiProperty } from '@nestjs/swagger';

export class FailedJobDto {
  @ApiProperty({ enum: ['outbox', 'bullmq'], description: '`outbox`: failed in-process (no Redis); `bullmq`: failed in the worker' })
  source: 'outbox' | 'bullmq';

  @ApiProperty({ type: String, nullable: true, description: 'BullMQ queue; null for outbox rows', example: 'email' })
  queue: string | null;

  @ApiProperty({ example: 'identity.send-set-password-email' })
  name: string;

  @ApiProperty({ description: 'Deterministic job id, as written by the business transaction' })
  jobId: string;

  @ApiProperty({ description: 'Attempts made' })
  attempts: number;

  @ApiProperty({ type: String, nullable: true, description: 'Last error message' })
  failedReason: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  failedAt: string | null;
}
