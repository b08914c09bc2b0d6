import { ApiProperty } from '@nestjs/swagger';
import { FailedJobDto } from './failed-job.dto';
import { QueuesStatusDto } from './queues-status.dto';

export class FailedJobListDto {
  @ApiProperty({ type: [FailedJobDto] })
  items: FailedJobDto[];

  @ApiProperty({ description: 'More failures exist than `limit`' })
  hasMore: boolean;

  @ApiProperty({ type: QueuesStatusDto })
  queues: QueuesStatusDto;
}
